import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { silentLogger } from "../logging/logger.js";
import { ChannelOutbound } from "./channel-outbound.js";
import { createOutboundMediaLoader } from "./outbound-media-loader.js";
import type { PairingStore } from "./pairing-store.js";
import type { PluginRegistry } from "./plugin-registry.js";
import { ReplyDelivery } from "./reply-delivery.js";
import { inboundMessage, memoryAccount, memoryPlatform, scriptedRun } from "./reply-delivery.test-support.js";

const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=",
  "base64",
);

let root: string;
let workspace: string;
let mediaDir: string;
let server: Server | undefined;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "openclaw-outbound-media-"));
  workspace = join(root, "workspace");
  mediaDir = join(root, "media");
  await mkdir(join(workspace, "out"), { recursive: true });
  await mkdir(mediaDir, { recursive: true });
  await writeFile(join(workspace, "out", "chart.png"), PNG);
  await writeFile(join(workspace, "notes.txt"), "meeting notes\n");
  await writeFile(join(root, "secret.png"), PNG);
});

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
  await rm(root, { recursive: true, force: true });
});

function loader() {
  const workspaces: (string | undefined)[] = [];
  const port = createOutboundMediaLoader({
    workspaceDirOf: (agentId) => {
      workspaces.push(agentId);
      return workspace;
    },
    mediaRootDir: mediaDir,
  });
  return { port, workspaces };
}

async function reply(text: string, o: { media?: boolean; config?: Record<string, unknown> } = {}) {
  const platform = memoryPlatform({ capabilities: { media: o.media ?? true } });
  const { account, logs } = memoryAccount(platform.plugin, o.config ?? {});
  const { port, workspaces } = loader();
  const run = scriptedRun("run-1", "agent:ops:memo:direct:42");
  const replies = new ReplyDelivery({ now: Date.now, media: port });
  const delivering = replies.deliver(account, inboundMessage(), run.turn);
  run.end("ok", text);
  await delivering;
  return { platform, logs, workspaces };
}

describe("MEDIA: lines in answers", () => {
  it("are taken out of the text and the files sent natively, read from the agent's workspace", async () => {
    const { platform, workspaces } = await reply("Here is the chart.\nMEDIA: out/chart.png");
    expect(platform.of("send").map((call) => call.text)).toEqual(["Here is the chart."]);
    expect(platform.of("media")).toMatchObject([
      { kind: "image", mimeType: "image/png", fileName: "chart.png", bytes: PNG.byteLength },
    ]);
    expect(workspaces).toEqual(["ops"]);
  });

  it("a media-only answer sends just the file; a text file goes as a document", async () => {
    const { platform } = await reply("MEDIA: notes.txt");
    expect(platform.of("send")).toEqual([]);
    expect(platform.of("media")).toMatchObject([{ kind: "document", fileName: "notes.txt" }]);
  });

  it("a path outside the workspace is not sent; the chat gets a note that names no gateway path", async () => {
    const { platform } = await reply(`Look:\nMEDIA: ${join(root, "secret.png")}`);
    expect(platform.of("media")).toEqual([]);
    const texts = platform.of("send").map((call) => call.text);
    expect(texts).toEqual(["Look:", "[secret.png was not sent: it is outside the agent's workspace]"]);
    expect(texts.join("")).not.toContain(root);
  });

  it("a file over channels.<id>.mediaMaxMb is refused with the limit in the note", async () => {
    const { platform } = await reply("MEDIA: out/chart.png", { config: { mediaMaxMb: 0.00005 } });
    expect(platform.of("media")).toEqual([]);
    expect(platform.of("send")[0]?.text).toMatch(
      /chart\.png was not sent: it is larger than this chat's limit/,
    );
  });

  it("a platform without media gets the link for a URL and a note for a file", async () => {
    const { platform } = await reply("Two files\nMEDIA: https://example.com/a.png\nMEDIA: out/chart.png", {
      media: false,
    });
    expect(platform.of("send").map((call) => call.text)).toEqual([
      "Two files",
      "https://example.com/a.png\n[chart.png was not sent: this channel cannot send files]",
    ]);
  });

  it("a URL on a private address is refused by the SSRF guard and sent as its link", async () => {
    let requests = 0;
    server = createServer((_request, response) => {
      requests += 1;
      response.end(PNG);
    });
    await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", () => resolve()));
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/chart.png`;
    const { platform, logs } = await reply(`MEDIA: ${url}`);
    expect(platform.of("media")).toEqual([]);
    expect(platform.of("send").map((call) => call.text)).toEqual([url]);
    const logged = logs.find((record) => record.msg === "outbound media not loaded");
    expect(String(logged?.error)).toMatch(/private|blocked|not allowed|loopback/i);
    expect(requests).toBe(0);
  });
});

describe("ChannelOutbound.send with mediaUrls", () => {
  function outbound(o: { config?: Record<string, unknown> } = {}) {
    const platform = memoryPlatform({ id: "memo" });
    const { port } = loader();
    const sender = new ChannelOutbound({
      registry: { getChannel: async () => platform.plugin } as unknown as PluginRegistry,
      pairing: {} as PairingStore,
      logger: silentLogger,
      runningAccounts: () => [{ channel: "memo", accountId: "default" }],
      defaultAccountId: () => "default",
      onSent: () => undefined,
      media: port,
      accountConfig: () => o.config ?? {},
    });
    return { platform, sender };
  }

  it("sends the text, then each file natively; forceDocument makes a photo a document", async () => {
    const { platform, sender } = outbound();
    const result = await sender.send({
      to: "42",
      message: "Report attached",
      mediaUrls: ["out/chart.png", `data:image/png;base64,${PNG.toString("base64")}`],
      presentation: { forceDocument: true },
      replyToId: "in-9",
    });
    expect(platform.of("send")).toMatchObject([{ text: "Report attached", replyTo: "in-9" }]);
    expect(platform.of("media").map((call) => call.kind)).toEqual(["document", "document"]);
    expect(result.messageIds).toHaveLength(3);
  });

  it("a media-only send works; a missing file becomes a note and the send still succeeds", async () => {
    const { platform, sender } = outbound();
    const result = await sender.send({
      to: "42",
      message: "",
      mediaUrls: ["out/chart.png", "out/missing.png"],
    });
    expect(platform.of("media")).toHaveLength(1);
    expect(platform.of("send").map((call) => call.text)).toEqual([
      "[missing.png was not sent: the file was not found]",
    ]);
    expect(result.messageIds).toHaveLength(2);
  });

  it("refuses a send with neither text nor files", async () => {
    const { sender } = outbound();
    await expect(sender.send({ to: "42", message: "  " })).rejects.toMatchObject({
      code: "CHANNEL_SEND_FAILED",
    });
  });
});
