import { Bot } from "grammy";
import type { MessageReactionUpdated } from "grammy/types";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeTelegramServer, startFakeTelegramServer } from "./fake-telegram-server.js";

const ada = { id: 424242001, first_name: "Ada", username: "ada_l" };
const dm = { id: ada.id, type: "private" as const };
const group = { id: -1002233445566, type: "supergroup" as const, title: "OpenClaw testers" };

let fake: FakeTelegramServer;
let bot: Bot;

beforeEach(async () => {
  fake = await startFakeTelegramServer();
  bot = new Bot(fake.token, { client: { apiRoot: fake.apiRoot } });
});

afterEach(async () => {
  if (bot.isRunning()) await bot.stop();
  await fake.close();
});

describe("edits and deletes", () => {
  it("keeps each message's text history, refuses an unchanged edit and forgets a deleted message", async () => {
    const draft = await bot.api.sendMessage(dm.id, "Thinking");
    await bot.api.editMessageText(dm.id, draft.message_id, "Thinking about it");
    await bot.api.editMessageText(dm.id, draft.message_id, "Thinking about it: *done*", {
      parse_mode: "MarkdownV2",
    });
    const unchanged = await bot.api
      .editMessageText(dm.id, draft.message_id, "Thinking about it: done")
      .catch((error: unknown) => error);
    expect(unchanged).toMatchObject({ error_code: 400 });
    expect(String((unchanged as Error).message)).toContain("message is not modified");
    expect(fake.textHistory(dm.id, draft.message_id)).toEqual([
      "Thinking",
      "Thinking about it",
      "Thinking about it: done",
    ]);
    expect(fake.sent.filter((entry) => entry.method === "editMessageText")).toHaveLength(2);

    await bot.api.deleteMessage(dm.id, draft.message_id);
    const again = await bot.api.deleteMessage(dm.id, draft.message_id).catch((error: unknown) => error);
    expect(again).toMatchObject({ error_code: 400, description: "Bad Request: message to delete not found" });
  });
});

describe("reactions", () => {
  it("sets and clears the bot's reaction from Telegram's fixed emoji set", async () => {
    const { message } = fake.sendMessage({ chat: group, from: ada, text: "ship it?" });
    await bot.api.setMessageReaction(group.id, message.message_id, [{ type: "emoji", emoji: "👀" }]);
    expect(fake.botReactions(group.id, message.message_id)).toEqual(["👀"]);
    const invalid = await bot.api
      .setMessageReaction(group.id, message.message_id, [{ type: "emoji", emoji: "✅" as "👍" }])
      .catch((error: unknown) => error);
    expect(invalid).toMatchObject({ error_code: 400, description: "Bad Request: REACTION_INVALID" });
    await bot.api.setMessageReaction(group.id, message.message_id, []);
    expect(fake.botReactions(group.id, message.message_id)).toEqual([]);
    expect(fake.sent.map((entry) => entry.reaction)).toEqual([["👀"], []]);
  });

  it("delivers message_reaction updates only to a bot that asked for them", async () => {
    const sent = await bot.api.sendMessage(group.id, "answer");
    fake.sendReaction({ chat: group, from: ada, messageId: sent.message_id, reaction: ["👍"] });
    expect(await bot.api.getUpdates({ timeout: 0, allowed_updates: ["message"] })).toEqual([]);

    fake.sendReaction({ chat: group, from: ada, messageId: sent.message_id, reaction: ["🔥"] });
    const received = new Promise<MessageReactionUpdated>((resolve) =>
      bot.on("message_reaction", (ctx) => resolve(ctx.messageReaction)),
    );
    void bot.start({ allowed_updates: ["message", "message_reaction"], timeout: 1 });
    expect(await received).toMatchObject({
      message_id: sent.message_id,
      user: { id: ada.id },
      old_reaction: [{ type: "emoji", emoji: "👍" }],
      new_reaction: [{ type: "emoji", emoji: "🔥" }],
    });
  });
});

describe("setMyCommands", () => {
  it("records the default command list and refuses invalid names", async () => {
    await bot.api.setMyCommands([
      { command: "new", description: "Start a new session" },
      { command: "stop", description: "Stop the running answer" },
    ]);
    await bot.api.setMyCommands([{ command: "ignored", description: "other scope" }], {
      scope: { type: "all_group_chats" },
    });
    expect(fake.commands).toEqual([
      { command: "new", description: "Start a new session" },
      { command: "stop", description: "Stop the running answer" },
    ]);
    expect(await bot.api.getMyCommands()).toEqual(fake.commands);
    const invalid = await bot.api
      .setMyCommands([{ command: "Bad-Name", description: "x" }])
      .catch((error: unknown) => error);
    expect(invalid).toMatchObject({ error_code: 400, description: "Bad Request: BOT_COMMAND_INVALID" });
  });
});
