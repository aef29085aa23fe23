import type { ChannelAccountContext, InboundMessage } from "@openclaw/plugin-sdk";
import { InboundMessageSchema } from "@openclaw/plugin-sdk";
import { type FakeSlackServer, startFakeSlackServer } from "@openclaw/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SlackAccountHandle } from "./slack-account.js";
import { type SlackConfig, SlackConfigSchema } from "./slack-config.js";
import { createSlackPlugin } from "./slack-plugin.js";

type Status = { connected?: boolean; lastError?: string | null };

interface AccountProbe {
  context: ChannelAccountContext<SlackConfig>;
  controller: AbortController;
  inbound: InboundMessage[];
  statuses: Status[];
  nextInbound(): Promise<InboundMessage>;
  /** Resolves once a status report matching `predicate` arrives after this call. */
  nextStatus(predicate: (status: Status) => boolean): Promise<Status>;
}

function accountContext(config: SlackConfig, accountId = "default"): AccountProbe {
  const inbound: InboundMessage[] = [];
  const inboundWaiters: ((message: InboundMessage) => void)[] = [];
  const statuses: Status[] = [];
  let statusWaiters: { predicate: (status: Status) => boolean; resolve: (status: Status) => void }[] = [];
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
        inboundWaiters.shift()?.(message);
      },
      setStatus(patch) {
        statuses.push(patch);
        statusWaiters = statusWaiters.filter((waiter) => {
          if (!waiter.predicate(patch)) return true;
          waiter.resolve(patch);
          return false;
        });
      },
    },
    nextInbound: () => new Promise((resolve) => inboundWaiters.push(resolve)),
    nextStatus: (predicate) => new Promise((resolve) => statusWaiters.push({ predicate, resolve })),
  };
}

let fake: FakeSlackServer;
let plugin: ReturnType<typeof createSlackPlugin>;
const handles: SlackAccountHandle[] = [];

function configFor(server: FakeSlackServer, extra: Record<string, unknown> = {}): SlackConfig {
  return SlackConfigSchema.parse({
    botToken: server.botToken,
    appToken: server.appToken,
    apiUrl: server.apiUrl,
    reconnectDelayMs: 10,
    ...extra,
  });
}

async function start(probe: AccountProbe): Promise<SlackAccountHandle> {
  const handle = (await plugin.startAccount(probe.context)) as SlackAccountHandle;
  handles.push(handle);
  return handle;
}

beforeEach(async () => {
  fake = await startFakeSlackServer();
  fake.addUser({ id: "U0ALICE", name: "alice", realName: "Alice Liddell" });
  fake.addChannel({ id: "C0TEAM", name: "team" });
  plugin = createSlackPlugin();
});

afterEach(async () => {
  await Promise.all(handles.splice(0).map((handle) => handle.stop()));
  await fake.close();
});

describe("slack inbound", () => {
  it("delivers a DM normalised and acknowledges its envelope", async () => {
    const probe = accountContext(configFor(fake));
    await start(probe);
    expect(probe.statuses).toContainEqual({ connected: true, lastError: null });
    const arrived = probe.nextInbound();
    const delivery = fake.sendDirectMessage({ user: "U0ALICE", text: "hello &lt;bot&gt; &amp; co" });
    const inbound = await arrived;
    expect(InboundMessageSchema.safeParse(inbound).success).toBe(true);
    expect(inbound).toEqual({
      channel: "slack",
      accountId: "default",
      peer: { id: "U0ALICE", name: "alice" },
      chatKind: "dm",
      sender: { id: "U0ALICE", name: "alice" },
      text: "hello <bot> & co",
      mentionsBot: false,
      timestamp: Math.floor(Number.parseFloat(delivery.ts) * 1000),
      platformMessageId: delivery.ts,
    });
    await fake.waitForAck(delivery.envelopeIds[0] ?? "");
  });

  it("delivers a mentioned channel message once (message + app_mention) with mentionsBot true", async () => {
    const probe = accountContext(configFor(fake));
    await start(probe);
    const arrived = probe.nextInbound();
    const delivery = fake.sendChannelMessage({
      channel: "C0TEAM",
      user: "U0ALICE",
      text: fake.mention("status?"),
    });
    const inbound = await arrived;
    expect(inbound).toMatchObject({
      chatKind: "group",
      chatId: "C0TEAM",
      peer: { id: "C0TEAM", name: "#team" },
      sender: { id: "U0ALICE" },
      text: "status?",
      mentionsBot: true,
    });
    expect(delivery.envelopeIds).toHaveLength(2);
    await Promise.all(delivery.envelopeIds.map((id) => fake.waitForAck(id)));
    // Both envelopes are acknowledged, and a later message proves nothing else was queued for the first post.
    const next = probe.nextInbound();
    fake.sendChannelMessage({ channel: "C0TEAM", user: "U0ALICE", text: "plain" });
    expect(await next).toMatchObject({ text: "plain", mentionsBot: false });
    expect(probe.inbound.map((message) => message.text)).toEqual(["status?", "plain"]);
  });

  it("keeps a mention in the middle of the text and detects it", async () => {
    const probe = accountContext(configFor(fake));
    await start(probe);
    const arrived = probe.nextInbound();
    const text = `ping <@${fake.bot.userId}> please`;
    fake.sendChannelMessage({ channel: "C0TEAM", user: "U0ALICE", text, appMention: false });
    expect(await arrived).toMatchObject({ text, mentionsBot: true });
  });

  it("gives a reply inside a thread chatKind thread with threadId = thread_ts", async () => {
    const probe = accountContext(configFor(fake));
    await start(probe);
    const root = fake.sendChannelMessage({ channel: "C0TEAM", user: "U0ALICE", text: "root" });
    expect(await probe.nextInbound()).toMatchObject({ chatKind: "group", platformMessageId: root.ts });
    const arrived = probe.nextInbound();
    fake.sendChannelMessage({ channel: "C0TEAM", user: "U0ALICE", text: "in thread", threadTs: root.ts });
    const inbound = await arrived;
    expect(inbound).toMatchObject({
      chatKind: "thread",
      chatId: "C0TEAM",
      threadId: root.ts,
      mentionsBot: false,
    });
    expect(InboundMessageSchema.safeParse(inbound).success).toBe(true);
  });

  it("keeps running when onInbound throws", async () => {
    const probe = accountContext(configFor(fake));
    let calls = 0;
    const second = new Promise<InboundMessage>((resolve) => {
      probe.context.onInbound = (message) => {
        calls += 1;
        if (calls === 1) throw new Error("gateway hiccup");
        resolve(message);
      };
    });
    await start(probe);
    fake.sendDirectMessage({ user: "U0ALICE", text: "first" });
    fake.sendDirectMessage({ user: "U0ALICE", text: "second" });
    expect(await second).toMatchObject({ text: "second" });
  });
});

describe("slack outbound", () => {
  it("posts mrkdwn converted from Markdown, into the thread when threadId is given", async () => {
    await start(accountContext(configFor(fake)));
    const result = await plugin.sendText({
      accountId: "default",
      to: "C0TEAM",
      text: "**done** see [docs](https://example.com/a) & `a<b`",
      threadId: "1700000000.000001",
    });
    const [posted] = await fake.waitForPosted((entry) => entry.channel === "C0TEAM");
    expect(posted).toMatchObject({
      text: "*done* see <https://example.com/a|docs> &amp; `a&lt;b`",
      threadTs: "1700000000.000001",
      mrkdwn: true,
    });
    expect(result).toEqual({ messageId: posted?.ts });
    expect(posted?.body.unfurl_links).toBe("false");
  });

  it("waits out a 429's Retry-After and then posts once", async () => {
    await start(accountContext(configFor(fake)));
    fake.failNext("chat.postMessage", { status: 429, retryAfter: 1 });
    const startedAt = performance.now();
    await plugin.sendText({ accountId: "default", to: "U0ALICE", text: "after the limit" });
    const elapsed = performance.now() - startedAt;
    expect(elapsed).toBeGreaterThanOrEqual(1000);
    // Our loop waits exactly Retry-After; the WebClient's own backoff would add about a second more.
    expect(elapsed).toBeLessThan(1800);
    const attempts = fake.calls.filter((call) => call.method === "chat.postMessage");
    expect(attempts.map((call) => call.status)).toEqual([429, 200]);
    expect(fake.posted.map((entry) => entry.text)).toEqual(["after the limit"]);
  });

  it("gives up on a Retry-After longer than a minute and on platform errors, with clear codes", async () => {
    await start(accountContext(configFor(fake)));
    fake.failNext("chat.postMessage", { status: 429, retryAfter: 120 });
    await expect(plugin.sendText({ accountId: "default", to: "C0TEAM", text: "x" })).rejects.toMatchObject({
      code: "SLACK_RATE_LIMITED",
    });
    fake.failNext("chat.postMessage", { error: "channel_not_found" });
    await expect(plugin.sendText({ accountId: "default", to: "C404", text: "x" })).rejects.toMatchObject({
      code: "SLACK_API_ERROR",
      message: expect.stringContaining("channel_not_found"),
    });
  });

  it("refuses to send for an account that is not running", async () => {
    await expect(plugin.sendText({ accountId: "nope", to: "C1", text: "x" })).rejects.toMatchObject({
      code: "SLACK_ACCOUNT_NOT_RUNNING",
      message: expect.stringContaining("openclaw channels start slack --account nope"),
    });
  });
});

describe("slack socket lifecycle", () => {
  it("reconnects a dropped socket: connected false, then true, and messages flow again", async () => {
    const probe = accountContext(configFor(fake));
    await start(probe);
    const lost = probe.nextStatus((status) => status.connected === false);
    const back = probe.nextStatus((status) => status.connected === true);
    fake.dropSocket();
    await lost;
    await back;
    expect(fake.connectionCount).toBe(2);
    const arrived = probe.nextInbound();
    fake.sendDirectMessage({ user: "U0ALICE", text: "after reconnect" });
    expect(await arrived).toMatchObject({ text: "after reconnect" });
  });

  it("follows Slack's disconnect request with a fresh connection", async () => {
    const probe = accountContext(configFor(fake));
    await start(probe);
    const back = probe.nextStatus((status) => status.connected === true);
    fake.sendDisconnect("refresh_requested");
    await back;
    await fake.waitForConnections(2);
  });

  it("ends the account with SLACK_SOCKET_LOST when reconnecting keeps failing", async () => {
    const probe = accountContext(configFor(fake, { maxReconnectAttempts: 2 }));
    const handle = await start(probe);
    fake.failNext("apps.connections.open", { error: "invalid_auth", times: 2 });
    fake.dropSocket();
    await expect(handle.done).rejects.toMatchObject({ code: "SLACK_SOCKET_LOST" });
    expect(probe.statuses.at(-1)).toEqual({
      connected: false,
      lastError: expect.stringContaining("invalid_auth"),
    });
    expect(probe.statuses.at(-1)?.lastError).not.toContain(fake.appToken);
    await expect(plugin.sendText({ accountId: "default", to: "C1", text: "x" })).rejects.toMatchObject({
      code: "SLACK_ACCOUNT_NOT_RUNNING",
    });
  });

  it("rejects startAccount with a clear lastError for a wrong bot or app token", async () => {
    const wrongBot = accountContext(configFor(fake, { botToken: "xoxb-wrong" }));
    await expect(plugin.startAccount(wrongBot.context)).rejects.toMatchObject({ code: "SLACK_UNAUTHORIZED" });
    expect(wrongBot.statuses.at(-1)).toEqual({
      connected: false,
      lastError: expect.stringContaining("invalid_auth from auth.test"),
    });
    const wrongApp = accountContext(configFor(fake, { appToken: "xapp-wrong" }));
    await expect(plugin.startAccount(wrongApp.context)).rejects.toMatchObject({ code: "SLACK_UNAUTHORIZED" });
    expect(wrongApp.statuses.at(-1)?.lastError).toContain("apps.connections.open");
  });

  it("fails to start without tokens and names the config key to set", async () => {
    const probe = accountContext(SlackConfigSchema.parse({ apiUrl: fake.apiUrl }), "work");
    await expect(plugin.startAccount(probe.context)).rejects.toMatchObject({
      code: "SLACK_TOKEN_MISSING",
      message: expect.stringContaining("openclaw config set channels.slack.accounts.work.botToken"),
    });
  });

  it("stops within seconds, closes the socket and delivers nothing after", async () => {
    const probe = accountContext(configFor(fake));
    const handle = await start(probe);
    const startedAt = performance.now();
    await handle.stop();
    // Stop is near-instant when idle; the bound is loose because a loaded CI machine (issue 17) is slow, not hung.
    expect(performance.now() - startedAt).toBeLessThan(3_000);
    await expect(handle.done).resolves.toBeUndefined();
    expect(probe.statuses.at(-1)).toEqual({ connected: false });
    await fake.waitForOpenSockets(0);
    fake.sendDirectMessage({ user: "U0ALICE", text: "too late" });
    expect(probe.inbound).toEqual([]);
    expect(fake.connectionCount).toBe(1);
  });

  it("stops when ctx.signal aborts", async () => {
    const probe = accountContext(configFor(fake));
    const handle = await start(probe);
    const startedAt = performance.now();
    probe.controller.abort();
    await handle.done;
    // Stop is near-instant when idle; the bound is loose because a loaded CI machine (issue 17) is slow, not hung.
    expect(performance.now() - startedAt).toBeLessThan(3_000);
  });

  it("probes with auth.test", async () => {
    expect(await plugin.probe?.({ accountId: "default", timeoutMs: 1000 })).toEqual({
      ok: false,
      detail: "not running",
    });
    await start(accountContext(configFor(fake)));
    expect(await plugin.probe?.({ accountId: "default", timeoutMs: 1000 })).toEqual({
      ok: true,
      detail: "@openclaw in Fake Workspace",
    });
  });
});

describe("slack HTTP Events API mode", () => {
  it("answers url_verification, refuses unsigned requests and delivers signed events", async () => {
    const probe = accountContext(
      configFor(fake, { mode: "http", signingSecret: fake.signingSecret, http: { port: 0 } }),
    );
    const handle = await start(probe);
    expect(probe.statuses).toContainEqual({ connected: true, lastError: null });
    expect(fake.calls.some((call) => call.method === "apps.connections.open")).toBe(false);
    const url = `http://127.0.0.1:${handle.httpAddress?.port}/slack/events`;

    const challenge = await fake.postEvent(url, {
      token: "x",
      challenge: "c-123",
      type: "url_verification",
    });
    expect(challenge.status).toBe(200);
    expect(await challenge.text()).toContain("c-123");

    const body = fake.directMessageEvent({ user: "U0ALICE", text: "over http" });
    expect((await fake.postEvent(url, body, { sign: false })).status).toBe(401);
    expect((await fake.postEvent(url, body, { signingSecret: "not-the-secret" })).status).toBe(401);
    expect(probe.inbound).toEqual([]);

    const arrived = probe.nextInbound();
    expect((await fake.postEvent(url, body)).status).toBe(200);
    expect(await arrived).toMatchObject({ chatKind: "dm", text: "over http", sender: { id: "U0ALICE" } });
    expect((await fetch(`http://127.0.0.1:${handle.httpAddress?.port}/elsewhere`)).status).toBe(404);
  });
});
