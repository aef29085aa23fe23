import type { InboundReaction } from "@openclaw/plugin-sdk";
import { describe, expect, it } from "vitest";
import { createLogger, type LogRecord } from "../logging/logger.js";
import { createReactionNotes } from "./inbound-reactions.js";
import type { InboundAccount } from "./inbound-types.js";

function setup(config: Record<string, unknown>) {
  const notes: { sessionKey: string; text: string }[] = [];
  const logs: LogRecord[] = [];
  const handler = createReactionNotes({
    sink: {
      appendTranscript: async (sessionKey, entry) => {
        notes.push({ sessionKey, text: entry.text });
      },
    },
    now: () => 1_000,
  });
  const account = {
    plugin: { meta: { label: "Telegram" } },
    config,
    logger: createLogger({ level: "debug", sinks: [(record) => logs.push(record)] }),
  } as unknown as InboundAccount;
  const react = (patch: Partial<InboundReaction> = {}) =>
    handler.handle({
      account,
      agentId: "main",
      sessionKey: "agent:main:main",
      reaction: {
        channel: "telegram",
        accountId: "default",
        peer: { id: "42" },
        chatKind: "dm",
        sender: { id: "42", name: "Alice", username: "alice" },
        messageId: "77",
        onBotMessage: true,
        emoji: "👍",
        removed: false,
        timestamp: 0,
        ...patch,
      },
    });
  return { notes, logs, react };
}

describe("reaction notes", () => {
  it("own (the default): notes reactions on the bot's messages, added or removed", async () => {
    const { notes, react } = setup({});
    await react();
    await react({ onBotMessage: false, emoji: "🎉" });
    await react({ removed: true, emoji: "👍" });
    expect(notes).toEqual([
      {
        sessionKey: "agent:main:main",
        text: "Telegram reaction added: 👍 by Alice (@alice) on your message 77",
      },
      {
        sessionKey: "agent:main:main",
        text: "Telegram reaction removed: 👍 by Alice (@alice) on your message 77",
      },
    ]);
  });

  it("all notes every reaction; off none; allowlist only listed senders", async () => {
    const all = setup({ reactionNotifications: "all" });
    await all.react({ onBotMessage: false, messageId: "9", sender: { id: "5" } });
    expect(all.notes.map((note) => note.text)).toEqual(["Telegram reaction added: 👍 by 5 on msg 9"]);
    const off = setup({ reactionNotifications: "off" });
    await off.react();
    expect(off.notes).toEqual([]);
    const listed = setup({ reactionNotifications: "allowlist", reactionAllowlist: [42] });
    await listed.react({ onBotMessage: false });
    await listed.react({ sender: { id: "43" } });
    expect(listed.notes).toHaveLength(1);
  });

  it("an invalid setting is reported and notes nothing", async () => {
    const { notes, logs, react } = setup({ reactionNotifications: "loud" });
    await react();
    expect(notes).toEqual([]);
    expect(logs.some((record) => record.msg.includes("reactionNotifications is invalid"))).toBe(true);
  });

  it("caps a long note", async () => {
    const { notes, react } = setup({});
    await react({ emoji: "x".repeat(128), sender: { id: "1", name: "N".repeat(400) } });
    expect(notes[0]?.text.length).toBeLessThanOrEqual(300);
  });
});
