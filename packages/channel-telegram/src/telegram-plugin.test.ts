import type { ChannelAccountContext, InboundMessage } from "@openclaw/plugin-sdk";
import { InboundMessageSchema } from "@openclaw/plugin-sdk";
import { type FakeTelegramServer, startFakeTelegramServer } from "@openclaw/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { TelegramAccountHandle } from "./telegram-account.js";
import { type TelegramConfig, TelegramConfigSchema } from "./telegram-config.js";
import { createTelegramPlugin } from "./telegram-plugin.js";

const alice = { id: 42, first_name: "Alice", username: "alice" };
const dm = { id: 42, type: "private" as const };
const team = { id: -100200, type: "supergroup" as const, title: "Team" };
const forum = { id: -100300, type: "supergroup" as const, title: "Ops", is_forum: true };

interface AccountProbe {
  context: ChannelAccountContext<TelegramConfig>;
  controller: AbortController;
  inbound: InboundMessage[];
  statuses: { connected?: boolean; lastError?: string | null }[];
  nextInbound(): Promise<InboundMessage>;
}

function accountContext(config: TelegramConfig, accountId = "default"): AccountProbe {
  const inbound: InboundMessage[] = [];
  const waiters: ((message: InboundMessage) => void)[] = [];
  const statuses: AccountProbe["statuses"] = [];
  const controller = new AbortController();
  const silent = { debug() {}, info() {}, warn() {}, error() {} };
  return {
    controller,
    inbound,
    statuses,
    context: {
      accountId,
      config,
      logger: silent,
      signal: controller.signal,
      onInbound(message) {
        inbound.push(message);
        waiters.shift()?.(message);
      },
      setStatus(patch) {
        statuses.push(patch);
      },
    },
    nextInbound: () => new Promise((resolve) => waiters.push(resolve)),
  };
}

let fake: FakeTelegramServer;
let plugin: ReturnType<typeof createTelegramPlugin>;
const handles: TelegramAccountHandle[] = [];

function configFor(server: FakeTelegramServer, extra: Record<string, unknown> = {}): TelegramConfig {
  return TelegramConfigSchema.parse({ botToken: server.token, apiRoot: server.apiRoot, ...extra });
}

async function start(probe: AccountProbe): Promise<TelegramAccountHandle> {
  const handle = (await plugin.startAccount(probe.context)) as TelegramAccountHandle;
  handles.push(handle);
  return handle;
}

beforeEach(async () => {
  fake = await startFakeTelegramServer();
  plugin = createTelegramPlugin();
});

afterEach(async () => {
  await Promise.all(handles.splice(0).map((handle) => handle.stop()));
  await fake.close();
});

describe("telegram inbound", () => {
  it("delivers a DM normalised, after reporting connected", async () => {
    const probe = accountContext(configFor(fake));
    await start(probe);
    expect(probe.statuses).toContainEqual({ connected: true, lastError: null });
    const arrived = probe.nextInbound();
    const { message } = fake.sendMessage({ chat: dm, from: alice, text: "hello bot" });
    const inbound = await arrived;
    expect(InboundMessageSchema.parse(inbound)).toEqual({
      channel: "telegram",
      accountId: "default",
      chatKind: "dm",
      peer: { id: "42", name: "Alice" },
      sender: { id: "42", name: "Alice", username: "alice" },
      text: "hello bot",
      mentionsBot: false,
      timestamp: message.date * 1000,
      platformMessageId: String(message.message_id),
    });
  });

  it("marks group messages with mentionsBot only when the bot is mentioned or replied to", async () => {
    const probe = accountContext(configFor(fake));
    await start(probe);
    let arrived = probe.nextInbound();
    fake.sendMessage({ chat: team, from: alice, text: "just chatting" });
    expect(await arrived).toMatchObject({
      chatKind: "group",
      chatId: "-100200",
      peer: { id: "-100200" },
      mentionsBot: false,
    });
    arrived = probe.nextInbound();
    fake.sendMessage({ chat: team, from: alice, ...fake.mentionText("what's up?") });
    expect(await arrived).toMatchObject({ chatKind: "group", mentionsBot: true });
    arrived = probe.nextInbound();
    fake.sendMessage({
      chat: team,
      from: alice,
      text: "and this?",
      replyTo: { message_id: 5, text: "earlier", from: fake.bot },
    });
    expect(await arrived).toMatchObject({ mentionsBot: true, replyTo: { messageId: "5", text: "earlier" } });
  });

  it("maps a forum topic message to a thread", async () => {
    const probe = accountContext(configFor(fake));
    await start(probe);
    const arrived = probe.nextInbound();
    fake.sendMessage({ chat: forum, from: alice, text: "in a topic", messageThreadId: 77 });
    expect(await arrived).toMatchObject({ chatKind: "thread", chatId: "-100300", threadId: "77" });
  });

  it("runs several bots independently, keyed by account id", async () => {
    const other = await startFakeTelegramServer({
      token: "7000000002:BBother-token",
      botUsername: "second_bot",
    });
    try {
      const first = accountContext(configFor(fake), "first");
      const second = accountContext(configFor(other), "second");
      await start(first);
      await start(second);
      const arrived = second.nextInbound();
      other.sendMessage({ chat: dm, from: alice, text: "to the second bot" });
      expect(await arrived).toMatchObject({ accountId: "second", text: "to the second bot" });
      await plugin.sendText({ accountId: "first", to: "42", text: "from first" });
      await plugin.sendText({ accountId: "second", to: "42", text: "from second" });
      expect(fake.sent.map((sent) => sent.text)).toEqual(["from first"]);
      expect(other.sent.map((sent) => sent.text)).toEqual(["from second"]);
    } finally {
      await Promise.all(handles.splice(0).map((handle) => handle.stop()));
      await other.close();
    }
  });
});

describe("telegram outbound", () => {
  it("sends plain and Markdown text as MarkdownV2, in a topic and as a reply", async () => {
    await start(accountContext(configFor(fake)));
    const plain = await plugin.sendText({ accountId: "default", to: "42", text: "hello there" });
    const formatted = await plugin.sendText({
      accountId: "default",
      to: "-100300",
      text: "**Done.** See `a_b`",
      threadId: "77",
      replyTo: "9",
    });
    expect(fake.sent).toMatchObject([
      {
        method: "sendMessage",
        chatId: "42",
        text: "hello there",
        parseMode: "MarkdownV2",
        messageId: Number(plain.messageId),
      },
      {
        method: "sendMessage",
        chatId: "-100300",
        text: "*Done\\.* See `a_b`",
        parseMode: "MarkdownV2",
        messageThreadId: 77,
        replyToMessageId: 9,
        messageId: Number(formatted.messageId),
      },
    ]);
  });

  it("resends the same text without parse_mode when Telegram cannot parse the entities", async () => {
    await start(accountContext(configFor(fake)));
    fake.failNext("sendMessage", {
      status: 400,
      description:
        "Bad Request: can't parse entities: Can't find end of the entity starting at byte offset 3",
    });
    const result = await plugin.sendText({ accountId: "default", to: "42", text: "**half bold" });
    expect(fake.sent).toHaveLength(1);
    expect(fake.sent[0]).toMatchObject({ text: "**half bold", messageId: Number(result.messageId) });
    expect(fake.sent[0]?.parseMode).toBeUndefined();
  });

  it("waits out a 429 retry_after and then delivers", async () => {
    await start(accountContext(configFor(fake)));
    fake.failNext("sendMessage", {
      status: 429,
      description: "Too Many Requests: retry after 1",
      retryAfterSeconds: 1,
    });
    const startedAt = Date.now();
    await plugin.sendText({ accountId: "default", to: "42", text: "patience" });
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(950);
    const attempts = fake.calls.filter((call) => call.method === "sendMessage");
    expect(attempts).toHaveLength(2);
    expect(fake.sent.map((sent) => sent.text)).toEqual(["patience"]);
  });

  it("gives up on a retry_after longer than the bound with a clear error", async () => {
    await start(accountContext(configFor(fake)));
    fake.failNext("sendMessage", {
      status: 429,
      description: "Too Many Requests: retry after 600",
      retryAfterSeconds: 600,
    });
    await expect(plugin.sendText({ accountId: "default", to: "42", text: "late" })).rejects.toMatchObject({
      code: "TELEGRAM_API_ERROR",
      message: expect.stringContaining("429"),
    });
  });

  it("sends typing in a topic", async () => {
    await start(accountContext(configFor(fake)));
    await plugin.sendTyping?.({ accountId: "default", to: "-100300", threadId: "77" });
    expect(fake.sent).toMatchObject([
      { method: "sendChatAction", chatId: "-100300", action: "typing", messageThreadId: 77 },
    ]);
  });

  it("refuses to send for an account that is not running", async () => {
    await expect(plugin.sendText({ accountId: "nope", to: "42", text: "x" })).rejects.toMatchObject({
      code: "TELEGRAM_ACCOUNT_NOT_RUNNING",
      message: expect.stringContaining("openclaw channels start telegram --account nope"),
    });
  });
});

describe("telegram lifecycle", () => {
  it("probes with getMe", async () => {
    expect(await plugin.probe?.({ accountId: "default", timeoutMs: 1000 })).toEqual({
      ok: false,
      detail: "not running",
    });
    await start(accountContext(configFor(fake)));
    expect(await plugin.probe?.({ accountId: "default", timeoutMs: 1000 })).toEqual({
      ok: true,
      detail: `@${fake.bot.username}`,
    });
  });

  it("rejects startAccount with a clear lastError for a wrong token", async () => {
    const probe = accountContext(configFor(fake, { botToken: "123:wrong" }));
    await expect(plugin.startAccount(probe.context)).rejects.toMatchObject({ code: "TELEGRAM_UNAUTHORIZED" });
    expect(probe.statuses.at(-1)).toEqual({
      connected: false,
      lastError: expect.stringContaining("copy the token again from @BotFather"),
    });
  });

  it("reports a 409 conflict at start as lastError and fails the start", async () => {
    fake.failNext("getUpdates", {
      status: 409,
      description:
        "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
    });
    const probe = accountContext(configFor(fake));
    await expect(plugin.startAccount(probe.context)).rejects.toMatchObject({
      code: "TELEGRAM_POLLING_CONFLICT",
    });
    expect(probe.statuses.at(-1)).toEqual({
      connected: false,
      lastError:
        "another process is polling this bot token (Telegram 409): stop the other bot or use a different token",
    });
  });

  it("surfaces a 409 while running through lastError and the handle's done promise", async () => {
    const probe = accountContext(configFor(fake));
    const handle = await start(probe);
    fake.failNext("getUpdates", {
      status: 409,
      description: "Conflict: terminated by other getUpdates request",
    });
    // Wake the held poll so the next getUpdates meets the injected conflict.
    fake.sendMessage({ chat: dm, from: alice, text: "wake" });
    await expect(handle.done).rejects.toMatchObject({ code: "TELEGRAM_POLLING_CONFLICT" });
    expect(probe.statuses.at(-1)).toMatchObject({
      connected: false,
      lastError: expect.stringContaining("Telegram 409"),
    });
    await expect(plugin.sendText({ accountId: "default", to: "42", text: "x" })).rejects.toMatchObject({
      code: "TELEGRAM_ACCOUNT_NOT_RUNNING",
    });
  });

  it("surfaces a 500 and a connection reset while polling", async () => {
    const probe = accountContext(configFor(fake));
    const handle = await start(probe);
    await fake.waitForActivePolls(1);
    fake.resetConnections();
    await expect(handle.done).rejects.toMatchObject({ code: "TELEGRAM_NETWORK_ERROR" });
    expect(probe.statuses.at(-1)?.lastError).not.toContain(fake.token);

    const again = accountContext(configFor(fake));
    const second = await start(again);
    fake.failNext("getUpdates", { status: 500, description: "Internal Server Error" });
    fake.sendMessage({ chat: dm, from: alice, text: "wake" });
    await expect(second.done).rejects.toMatchObject({ code: "TELEGRAM_API_ERROR" });
    expect(again.statuses.at(-1)?.lastError).toContain("500");
  });

  it("stops at once with a poll in flight, not after the 30 s long poll, and delivers nothing after", async () => {
    const probe = accountContext(configFor(fake));
    const handle = await start(probe);
    await fake.waitForActivePolls(1);
    const startedAt = performance.now();
    await handle.stop();
    // The default long poll is 30 s: 10 s still tells an aborted poll from a waited-out one, with room for a
    // loaded CI machine (1 s was flaky there).
    expect(performance.now() - startedAt).toBeLessThan(10_000);
    await fake.waitForActivePolls(0);
    await expect(handle.done).resolves.toBeUndefined();
    expect(probe.statuses.at(-1)).toEqual({ connected: false });
    fake.sendMessage({ chat: dm, from: alice, text: "too late" });
    expect(probe.inbound).toEqual([]);
  });

  it("stops when ctx.signal aborts", async () => {
    const probe = accountContext(configFor(fake));
    const handle = await start(probe);
    const startedAt = performance.now();
    probe.controller.abort();
    await handle.done;
    // Far below the 30 s long poll it aborts, loose for a loaded machine.
    expect(performance.now() - startedAt).toBeLessThan(10_000);
  });
});

describe("telegram webhook mode", () => {
  it("sets the webhook and delivers updates posted with the secret token", async () => {
    const probe = accountContext(
      configFor(fake, {
        mode: "webhook",
        webhook: { url: "https://bot.example.test/tg-hook", secretToken: "s3cret", port: 0 },
      }),
    );
    const handle = await start(probe);
    expect(fake.calls.find((call) => call.method === "setWebhook")?.body).toMatchObject({
      url: "https://bot.example.test/tg-hook",
      secret_token: "s3cret",
    });
    expect(fake.calls.some((call) => call.method === "getUpdates")).toBe(false);
    const address = handle.webhookAddress;
    const url = `http://127.0.0.1:${address?.port}/tg-hook`;
    const update = {
      update_id: 1,
      message: {
        message_id: 3,
        date: 1_700_000_000,
        chat: dm,
        from: { ...alice, is_bot: false },
        text: "via webhook",
      },
    };
    const post = (headers: Record<string, string>) =>
      fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify(update),
      });
    expect((await post({})).status).toBe(401);
    expect(probe.inbound).toEqual([]);
    const arrived = probe.nextInbound();
    expect((await post({ "x-telegram-bot-api-secret-token": "s3cret" })).status).toBe(200);
    expect(await arrived).toMatchObject({ chatKind: "dm", text: "via webhook", platformMessageId: "3" });
  });
});
