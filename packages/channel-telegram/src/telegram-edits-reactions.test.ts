import { InboundReactionSchema } from "@openclaw/plugin-sdk";
import { type FakeTelegramServer, startFakeTelegramServer } from "@openclaw/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type AccountProbe, accountProbe, configFor, startProbe } from "./account-probe.test-support.js";
import type { TelegramAccountHandle } from "./telegram-account.js";
import { createTelegramPlugin } from "./telegram-plugin.js";

const alice = { id: 42, first_name: "Alice", username: "alice" };
const dm = { id: 42, type: "private" as const };
const forum = { id: -100300, type: "supergroup" as const, title: "Ops", is_forum: true };

let fake: FakeTelegramServer;
let plugin: ReturnType<typeof createTelegramPlugin>;
let probe: AccountProbe;
const handles: TelegramAccountHandle[] = [];

beforeEach(async () => {
  fake = await startFakeTelegramServer();
  plugin = createTelegramPlugin();
  probe = accountProbe(configFor(fake));
  await startProbe(plugin, probe, handles);
});

afterEach(async () => {
  await Promise.all(handles.splice(0).map((handle) => handle.stop()));
  await fake.close();
});

describe("editText and deleteMessage", () => {
  it("edits one message as a draft grows; an unchanged text and a 429 are not failures", async () => {
    const { messageId } = await plugin.sendText({ accountId: "default", to: "42", text: "Thinking" });
    await plugin.editText?.({ accountId: "default", to: "42", messageId, text: "Thinking about **it**" });
    fake.failNext("editMessageText", {
      status: 429,
      description: "Too Many Requests: retry after 1",
      retryAfterSeconds: 1,
    });
    await plugin.editText?.({
      accountId: "default",
      to: "42",
      messageId,
      text: "Thinking about **it**, done.",
    });
    await plugin.editText?.({
      accountId: "default",
      to: "42",
      messageId,
      text: "Thinking about **it**, done.",
    });
    expect(fake.textHistory(42, Number(messageId))).toEqual([
      "Thinking",
      "Thinking about it",
      "Thinking about it, done.",
    ]);
    expect(probe.logs).toContainEqual(
      expect.objectContaining({ level: "warn", message: "telegram rate limited; waiting" }),
    );
  });

  it("deletes a message; one already gone counts as deleted", async () => {
    const { messageId } = await plugin.sendText({ accountId: "default", to: "42", text: "draft" });
    await plugin.deleteMessage?.({ accountId: "default", to: "42", messageId });
    await plugin.deleteMessage?.({ accountId: "default", to: "42", messageId });
    expect(fake.sent.filter((entry) => entry.method === "deleteMessage")).toHaveLength(1);
  });
});

describe("react", () => {
  it("sets Telegram's emoji, maps a close one, skips what it cannot show, and removes", async () => {
    const { message } = fake.sendMessage({ chat: dm, from: alice, text: "hello" });
    const target = { accountId: "default", to: "42", messageId: String(message.message_id) };
    await plugin.react?.({ ...target, emoji: "👀" });
    expect(fake.botReactions(42, message.message_id)).toEqual(["👀"]);
    await plugin.react?.({ ...target, emoji: "✅" });
    expect(fake.botReactions(42, message.message_id)).toEqual(["👌"]);
    await plugin.react?.({ ...target, emoji: "❤️" });
    expect(fake.botReactions(42, message.message_id)).toEqual(["❤"]);
    await plugin.react?.({ ...target, emoji: "🦖" });
    expect(probe.logs).toContainEqual(
      expect.objectContaining({
        level: "debug",
        message: "telegram has no reaction for this emoji; skipped",
      }),
    );
    await plugin.react?.({ ...target, emoji: "👀", remove: true });
    expect(fake.sent.map((entry) => entry.reaction)).toEqual([["👀"], ["👌"], ["❤"], []]);
  });
});

describe("inbound reactions", () => {
  it("reports added and removed emoji, and whether the message is the bot's own", async () => {
    const { messageId } = await plugin.sendText({ accountId: "default", to: "42", text: "an answer" });
    const { message: own } = fake.sendMessage({ chat: dm, from: alice, text: "my message" });
    fake.sendReaction({ chat: dm, from: alice, messageId: Number(messageId), reaction: ["👍"] });
    fake.sendReaction({ chat: dm, from: alice, messageId: Number(messageId), reaction: ["🔥"] });
    fake.sendReaction({ chat: dm, from: alice, messageId: own.message_id, reaction: ["😁"] });
    const reactions = (await probe.reactionsReceived(4)).map((reaction) =>
      InboundReactionSchema.parse(reaction),
    );
    const base = {
      channel: "telegram",
      accountId: "default",
      chatKind: "dm",
      peer: { id: "42", name: "Alice" },
      sender: { id: "42", name: "Alice", username: "alice" },
    };
    expect(reactions).toEqual([
      { ...base, messageId, onBotMessage: true, emoji: "👍", removed: false, timestamp: expect.any(Number) },
      { ...base, messageId, onBotMessage: true, emoji: "🔥", removed: false, timestamp: expect.any(Number) },
      { ...base, messageId, onBotMessage: true, emoji: "👍", removed: true, timestamp: expect.any(Number) },
      {
        ...base,
        messageId: String(own.message_id),
        onBotMessage: false,
        emoji: "😁",
        removed: false,
        timestamp: expect.any(Number),
      },
    ]);
  });

  it("finds the bot's message even when the reaction overtakes the answer to its send", async () => {
    // Telegram answers sendMessage only after a delay; the user's reaction arrives meanwhile.
    const sending = plugin.sendText({ accountId: "default", to: "42", text: "quick" });
    const [sent] = await fake.waitForSent((entry) => entry.method === "sendMessage");
    fake.sendReaction({ chat: dm, from: alice, messageId: sent?.messageId ?? 0, reaction: ["👍"] });
    const [reaction] = await probe.reactionsReceived(1);
    expect(reaction).toMatchObject({ messageId: (await sending).messageId, onBotMessage: true });
  });

  it("places a reaction in the forum topic of the bot's message it reacts to", async () => {
    const { messageId } = await plugin.sendText({
      accountId: "default",
      to: "-100300",
      text: "in a topic",
      threadId: "77",
    });
    fake.sendReaction({ chat: forum, from: alice, messageId: Number(messageId), reaction: ["🎉"] });
    const [reaction] = await probe.reactionsReceived(1);
    expect(reaction).toMatchObject({
      chatKind: "thread",
      chatId: "-100300",
      threadId: "77",
      onBotMessage: true,
    });
  });
});
