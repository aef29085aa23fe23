import { describe, expect, it } from "vitest";
import type { MessagingPort, OutboundMessage } from "../ports/messaging-port.js";
import { toolContext } from "../sessions/memory-sessions-port.test-support.js";
import { ToolError } from "../tool-error.js";
import { createMessageTool } from "./message-tool.js";

function setup() {
  const sent: OutboundMessage[] = [];
  const port: MessagingPort = {
    async send(message) {
      sent.push(message);
      if (message.to === "stranger") throw new ToolError("DENIED", "stranger is not in allowFrom");
      return {
        channel: message.channel ?? "telegram",
        accountId: message.accountId ?? "default",
        to: message.to ?? "42",
        messageIds: message.dryRun ? [] : ["m1", "m2"],
        ...(message.dryRun ? { dryRun: true } : {}),
      };
    },
  };
  return { sent, tool: createMessageTool(port) };
}

const ctx = toolContext("agent:main:telegram:direct:42");

describe("message", () => {
  it("sends text to a target and returns the platform message ids", async () => {
    const { sent, tool } = setup();
    const result = await tool.execute(
      { action: "send", channel: "telegram", target: "7", message: "hello", threadId: 9 },
      ctx,
    );
    expect(result).toEqual({
      ok: true,
      action: "send",
      channel: "telegram",
      accountId: "default",
      to: "7",
      messageId: "m1",
      messageIds: ["m1", "m2"],
    });
    expect(sent[0]).toMatchObject({
      requesterSessionKey: ctx.sessionKey,
      channel: "telegram",
      to: "7",
      threadId: "9",
      text: "hello",
      idempotencyKey: "run-parent:call-1",
    });
  });

  it("leaves the target to the port (the current conversation) when none is given, and supports dryRun", async () => {
    const { sent, tool } = setup();
    const result = await tool.execute({ action: "send", message: "hi", dryRun: true }, ctx);
    expect(result).toMatchObject({ ok: true, dryRun: true, to: "42" });
    expect(sent[0]?.to).toBeUndefined();
  });

  it("refuses other actions and unsupported send parameters by name", async () => {
    const { sent, tool } = setup();
    await expect(tool.execute({ action: "react", emoji: "👍" }, ctx)).rejects.toThrow(/only action "send"/);
    await expect(tool.execute({ action: "send", message: "x", buffer: "aGk=" }, ctx)).rejects.toThrow(
      /"buffer" is not supported/,
    );
    await expect(tool.execute({ action: "send", message: "  " }, ctx)).rejects.toThrow(/needs message text/);
    await expect(tool.execute({ action: "send", message: "x", target: "1", to: "2" }, ctx)).rejects.toThrow(
      /different chats/,
    );
    expect(sent).toHaveLength(0);
  });

  it("sends media in OpenClaw's spellings (media, mediaUrl(s), filePath, attachments), each file once", async () => {
    const { sent, tool } = setup();
    await tool.execute(
      {
        action: "send",
        media: "https://example.com/a.png",
        mediaUrl: "https://example.com/a.png",
        filePath: "out/chart.png",
        mediaUrls: ["data:text/plain;base64,aGk="],
        attachments: [{ type: "audio", media: "voice.ogg" }],
        caption: "Here you go",
        asVoice: true,
        asDocument: true,
      },
      ctx,
    );
    expect(sent[0]).toMatchObject({
      text: "Here you go",
      media: ["https://example.com/a.png", "out/chart.png", "data:text/plain;base64,aGk=", "voice.ogg"],
      asVoice: true,
      forceDocument: true,
    });
  });

  it("a file alone is a message; more than ten files are refused", async () => {
    const { sent, tool } = setup();
    await tool.execute({ action: "send", path: "report.pdf" }, ctx);
    expect(sent[0]).toMatchObject({ text: "", media: ["report.pdf"] });
    const eleven = Array.from({ length: 11 }, (_, index) => ({ media: `f${index}.png` }));
    await expect(tool.execute({ action: "send", attachments: eleven }, ctx)).rejects.toThrow();
    const many = Array.from({ length: 10 }, (_, index) => `f${index}.png`);
    await expect(tool.execute({ action: "send", mediaUrls: many, media: "x.png" }, ctx)).rejects.toThrow(
      /at most 10 files/,
    );
  });

  it("passes the port's access refusal through to the model", async () => {
    const { tool } = setup();
    await expect(
      tool.execute({ action: "send", target: "stranger", message: "hi" }, ctx),
    ).rejects.toMatchObject({
      code: "DENIED",
    });
  });
});
