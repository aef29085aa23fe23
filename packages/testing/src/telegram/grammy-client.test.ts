import { Bot, GrammyError, HttpError } from "grammy";
import type { Message } from "grammy/types";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeTelegramServer, startFakeTelegramServer } from "./fake-telegram-server.js";

const ada = { id: 424242001, first_name: "Ada", username: "ada_l" };
const grace = { id: 424242002, first_name: "Grace", username: "grace_h" };
const dm = { id: ada.id, type: "private" as const };
const group = { id: -1002233445566, type: "supergroup" as const, title: "OpenClaw testers" };
const forum = { id: -1009988776655, type: "supergroup" as const, title: "OpenClaw forum", is_forum: true };
const CONFLICT =
  "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running";

let fake: FakeTelegramServer;
const bots: Bot[] = [];

beforeEach(async () => {
  fake = await startFakeTelegramServer();
});

afterEach(async () => {
  for (const bot of bots.splice(0)) if (bot.isRunning()) await bot.stop();
  await fake.close();
});

function newBot(token = fake.token): Bot {
  const bot = new Bot(token, { client: { apiRoot: fake.apiRoot } });
  bots.push(bot);
  return bot;
}

/** Starts long polling; resolves once grammY's first getUpdates is held, with bot.start()'s own promise. */
async function startPolling(bot: Bot): Promise<{ running: Promise<void> }> {
  const running = bot.start({ timeout: 10 });
  await fake.waitForActivePolls(1);
  return { running };
}

// grammY types its signal parameter with the abort-controller polyfill; Node's own AbortSignal works at run time.
type GrammySignal = Parameters<Bot["api"]["getUpdates"]>[1];

describe("grammY long polling against the fake", () => {
  it("receives a DM and a group mention with Telegram's message shapes", async () => {
    const bot = newBot();
    const received: Message[] = [];
    const both = new Promise<void>((resolve) => {
      bot.on("message", (ctx) => {
        received.push(ctx.message);
        if (received.length === 2) resolve();
      });
    });
    const { running } = await startPolling(bot);
    fake.sendMessage({ chat: dm, from: ada, text: "hello there" });
    fake.sendMessage({ chat: group, from: grace, ...fake.mentionText("what is on the agenda?") });
    await both;

    const [direct, mention] = received;
    expect(direct).toMatchObject({
      message_id: 1,
      from: { id: ada.id, is_bot: false, first_name: "Ada", username: "ada_l" },
      chat: { id: ada.id, type: "private", first_name: "Ada", username: "ada_l" },
      text: "hello there",
    });
    expect(direct?.entities).toBeUndefined();
    expect(typeof direct?.date).toBe("number");
    expect(mention).toMatchObject({
      chat: { id: group.id, type: "supergroup", title: "OpenClaw testers" },
      text: "@openclaw_test_bot what is on the agenda?",
      entities: [{ offset: 0, length: "@openclaw_test_bot".length, type: "mention" }],
    });
    expect(bot.botInfo.username).toBe("openclaw_test_bot");

    await bot.stop();
    await running;
  });

  it("delivers a forum topic message with its thread id", async () => {
    const bot = newBot();
    const topicMessage = new Promise<Message>((resolve) => bot.on("message", (ctx) => resolve(ctx.message)));
    const { running } = await startPolling(bot);
    fake.sendMessage({ chat: forum, from: grace, text: "/status please", messageThreadId: 77 });
    const message = await topicMessage;
    expect(message).toMatchObject({
      message_thread_id: 77,
      is_topic_message: true,
      chat: { id: forum.id, is_forum: true },
      reply_to_message: { message_id: 77, forum_topic_created: { name: "Topic 77" } },
      entities: [{ offset: 0, length: 7, type: "bot_command" }],
    });
    await bot.stop();
    await running;
  });

  it("bot.stop() ends the held getUpdates at once and confirms the offset", async () => {
    const bot = newBot();
    const seen = new Promise<void>((resolve) => bot.on("message", () => resolve()));
    const { running } = await startPolling(bot);
    const { update_id } = fake.sendMessage({ chat: dm, from: ada, text: "one" });
    await seen;
    await fake.waitForActivePolls(1);

    const stoppedAt = Date.now();
    await bot.stop();
    await running;
    // Well below the 10 s long poll it aborts; loose, as a loaded CI machine (issue 17) is slow, not hung.
    expect(Date.now() - stoppedAt).toBeLessThan(5_000);
    await fake.waitForActivePolls(0);
    expect(fake.activePolls).toBe(0);
    const lastPoll = fake.calls.filter((call) => call.method === "getUpdates").at(-1);
    expect(lastPoll?.body).toMatchObject({ offset: update_id + 1, limit: 1 });
  });

  it("a held getUpdates ends when the client aborts its request", async () => {
    const bot = newBot();
    const controller = new AbortController();
    const poll = bot.api.getUpdates({ timeout: 10 }, controller.signal as unknown as GrammySignal);
    await fake.waitForActivePolls(1);
    controller.abort();
    await expect(poll).rejects.toBeInstanceOf(HttpError);
    await fake.waitForActivePolls(0);
  });

  it("records sendMessage, sendChatAction, editMessageText and deleteMessage in `sent`", async () => {
    const bot = newBot();
    const inbound = fake.sendMessage({ chat: forum, from: grace, text: "ping", messageThreadId: 77 });
    await bot.api.sendChatAction(forum.id, "typing", { message_thread_id: 77 });
    const reply = await bot.api.sendMessage(forum.id, "<b>pong</b>", {
      parse_mode: "HTML",
      message_thread_id: 77,
      reply_parameters: { message_id: inbound.message.message_id },
    });
    expect(reply).toMatchObject({
      message_id: inbound.message.message_id + 1,
      from: { id: fake.bot.id, is_bot: true, username: "openclaw_test_bot" },
      chat: { id: forum.id, type: "supergroup", is_forum: true },
      message_thread_id: 77,
      is_topic_message: true,
      text: "pong",
      reply_to_message: { message_id: inbound.message.message_id, text: "ping" },
    });
    const edited = await bot.api.editMessageText(forum.id, reply.message_id, "pong, edited");
    expect(edited).toMatchObject({ message_id: reply.message_id, text: "pong, edited" });
    expect(typeof (edited as Message).edit_date).toBe("number");
    await bot.api.deleteMessage(forum.id, reply.message_id);

    expect(fake.sent.map(({ at: _at, body: _body, ...entry }) => entry)).toEqual([
      {
        method: "sendChatAction",
        chatId: String(forum.id),
        action: "typing",
        messageThreadId: 77,
        messageId: 0,
      },
      {
        method: "sendMessage",
        chatId: String(forum.id),
        text: "<b>pong</b>",
        parseMode: "HTML",
        messageThreadId: 77,
        replyToMessageId: inbound.message.message_id,
        messageId: reply.message_id,
      },
      {
        method: "editMessageText",
        chatId: String(forum.id),
        text: "pong, edited",
        messageId: reply.message_id,
      },
      { method: "deleteMessage", chatId: String(forum.id), messageId: reply.message_id },
    ]);
    const [typing] = await fake.waitForSent((sent) => sent.action === "typing");
    expect(typing?.body).toMatchObject({ chat_id: forum.id, action: "typing" });
  });

  it("answers a bot reply in a DM, found by waitForSent", async () => {
    const bot = newBot();
    bot.on("message:text", (ctx) => ctx.reply(`echo: ${ctx.message.text}`));
    const { running } = await startPolling(bot);
    fake.sendMessage({ chat: dm, from: ada, text: "hi" });
    const [reply] = await fake.waitForSent((sent) => sent.chatId === String(ada.id));
    expect(reply?.text).toBe("echo: hi");
    await bot.stop();
    await running;
  });
});

describe("grammY sees the fake's failures as Telegram's", () => {
  it("429 with retry_after rejects the call with GrammyError parameters.retry_after", async () => {
    const bot = newBot();
    fake.failNext("sendMessage", {
      status: 429,
      description: "Too Many Requests: retry after 3",
      retryAfterSeconds: 3,
    });
    const error = await bot.api.sendMessage(ada.id, "hi").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GrammyError);
    expect(error).toMatchObject({
      error_code: 429,
      description: "Too Many Requests: retry after 3",
      parameters: { retry_after: 3 },
    });
    await expect(bot.api.sendMessage(ada.id, "hi")).resolves.toMatchObject({ text: "hi" });
    expect(fake.sent.map((sent) => sent.text)).toEqual(["hi"]);
  });

  it("failNext with times fails that many calls", async () => {
    const bot = newBot();
    fake.failNext("sendChatAction", { status: 500, description: "Internal Server Error", times: 2 });
    await expect(bot.api.sendChatAction(ada.id, "typing")).rejects.toMatchObject({ error_code: 500 });
    await expect(bot.api.sendChatAction(ada.id, "typing")).rejects.toMatchObject({ error_code: 500 });
    await expect(bot.api.sendChatAction(ada.id, "typing")).resolves.toBe(true);
  });

  it("409 on getUpdates makes bot.start() reject", async () => {
    const bot = newBot();
    fake.failNext("getUpdates", { status: 409, description: CONFLICT });
    const error = await bot.start({ timeout: 10 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GrammyError);
    expect(error).toMatchObject({ error_code: 409, description: CONFLICT });
    expect(bot.isRunning()).toBe(false);
  });

  it("a second poller on the same token ends the first one's bot.start() with 409", async () => {
    const first = newBot();
    const firstRun = first.start({ timeout: 10 }).catch((caught: unknown) => caught);
    await fake.waitForActivePolls(1);
    const second = newBot();
    const secondRun = second.start({ timeout: 10 });
    expect(await firstRun).toMatchObject({ error_code: 409, description: CONFLICT });
    await fake.waitForActivePolls(1);
    await second.stop();
    await secondRun;
  });

  it("400 can't parse entities for a text its parse_mode refuses", async () => {
    const bot = newBot();
    const error = await bot.api
      .sendMessage(ada.id, "Total: 3.50!", { parse_mode: "MarkdownV2" })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GrammyError);
    expect(error).toMatchObject({
      error_code: 400,
      description:
        "Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'",
    });
    fake.failNext("sendMessage", {
      status: 400,
      description: 'Bad Request: can\'t parse entities: Unsupported start tag "foo" at byte offset 0',
    });
    await expect(bot.api.sendMessage(ada.id, "<b>ok</b>", { parse_mode: "HTML" })).rejects.toMatchObject({
      error_code: 400,
    });
    await expect(bot.api.sendMessage(ada.id, "Total: 3.50!")).resolves.toMatchObject({
      text: "Total: 3.50!",
    });
    expect(fake.sent).toHaveLength(1);
  });

  it("a wrong token gets 401 Unauthorized, and bot.start() rejects", async () => {
    const bot = newBot("1234:not-the-token");
    await expect(bot.api.getMe()).rejects.toMatchObject({ error_code: 401, description: "Unauthorized" });
    await expect(bot.start()).rejects.toBeInstanceOf(GrammyError);
  });

  it("resetConnections() drops a held getUpdates as a network error", async () => {
    const bot = newBot();
    const poll = bot.api.getUpdates({ timeout: 10 });
    await fake.waitForActivePolls(1);
    fake.resetConnections();
    expect(fake.activePolls).toBe(0);
    await expect(poll).rejects.toBeInstanceOf(HttpError);
  });

  it("close() answers a held getUpdates with no updates", async () => {
    const bot = newBot();
    const poll = bot.api.getUpdates({ timeout: 10 });
    await fake.waitForActivePolls(1);
    const closedAt = Date.now();
    await fake.close();
    await expect(poll).resolves.toEqual([]);
    // Well below the 10 s long poll; loose, as a loaded CI machine (issue 17) is slow, not hung.
    expect(Date.now() - closedAt).toBeLessThan(5_000);
    expect(fake.activePolls).toBe(0);
  });
});
