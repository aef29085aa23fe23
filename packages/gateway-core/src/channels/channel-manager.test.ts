import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AgentRunResult } from "@openclaw/agent";
import {
  CHANNEL_PLUGIN_API_VERSION,
  type ChannelAccountContext,
  type ChannelPlugin,
  type InboundMessage,
  type SendTextOptions,
} from "@openclaw/plugin-sdk";
import { ChannelsStatusResultSchema } from "@openclaw/protocol";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import type { ChatTurnRequest } from "../chat/chat-service.js";
import { createLogger, type LogRecord } from "../logging/logger.js";
import {
  type ChannelChange,
  ChannelManager,
  type ChannelManagerConfig,
  PAIRING_APPROVED_TEXT,
} from "./channel-manager.js";
import { pairingReplyText } from "./inbound-router.js";
import { createPairingStore, type PairingStore } from "./pairing-store.js";
import { PluginRegistry } from "./plugin-registry.js";

/** Everything observable, in order; `waitFor` resolves as soon as an event satisfies the predicate. */
class Events<T> {
  readonly list: T[] = [];
  readonly #waiters: { match: (all: T[]) => boolean; resolve: () => void }[] = [];

  push(event: T): void {
    this.list.push(event);
    for (const waiter of [...this.#waiters]) {
      if (waiter.match(this.list)) {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  }

  waitFor(match: (all: T[]) => boolean, label = "event"): Promise<void> {
    if (match(this.list)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${label}`)), 5_000);
      this.#waiters.push({
        match,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }
}

type FakeEvent =
  | { kind: "start"; channel: string; accountId: string }
  | { kind: "stop"; channel: string; accountId: string }
  | { kind: "send"; channel: string; options: SendTextOptions }
  | { kind: "typing"; channel: string; to: string }
  | { kind: "logout"; channel: string; accountId: string };

interface FakeBehaviour {
  /** Per start call (1-based): throw instead of starting. */
  failStart?: (call: number) => Error | undefined;
  hangStop?: boolean;
  hangStart?: boolean;
  probe?: (accountId: string) => Promise<{ ok: boolean; detail?: string }>;
  failSend?: boolean;
  maxTextLength?: number;
}

interface FakeChannel {
  plugin: ChannelPlugin<{ token?: string }>;
  contexts: Map<string, ChannelAccountContext<{ token?: string }>>;
  starts: number;
  behaviour: FakeBehaviour;
}

function fakeChannel(id: string, events: Events<FakeEvent>, behaviour: FakeBehaviour = {}): FakeChannel {
  const fake: FakeChannel = { contexts: new Map(), starts: 0, behaviour, plugin: undefined as never };
  let messageId = 0;
  fake.plugin = {
    apiVersion: CHANNEL_PLUGIN_API_VERSION,
    id,
    meta: { label: `${id.toUpperCase()} chat` },
    configSchema: z.looseObject({ token: z.string().optional(), requiredKey: z.never().optional() }),
    capabilities: {
      dms: true,
      groups: true,
      threads: true,
      reactions: false,
      typing: true,
      media: false,
      edits: false,
      maxTextLength: behaviour.maxTextLength ?? 4096,
    },
    startAccount: async (context) => {
      fake.starts += 1;
      const failure = fake.behaviour.failStart?.(fake.starts);
      events.push({ kind: "start", channel: id, accountId: context.accountId });
      if (failure) throw failure;
      if (fake.behaviour.hangStart) await new Promise(() => undefined);
      fake.contexts.set(context.accountId, context);
      context.setStatus({ connected: true, lastError: null });
      return {
        stop: async () => {
          events.push({ kind: "stop", channel: id, accountId: context.accountId });
          if (fake.behaviour.hangStop) await new Promise(() => undefined);
        },
      };
    },
    sendText: async (options) => {
      if (fake.behaviour.failSend) throw new Error("platform rejected the message");
      events.push({ kind: "send", channel: id, options });
      messageId += 1;
      return { messageId: `out-${messageId}` };
    },
    sendTyping: async (options) => {
      events.push({ kind: "typing", channel: id, to: options.to });
    },
    probe: async ({ accountId }) => fake.behaviour.probe?.(accountId) ?? { ok: true },
    logout: async ({ accountId }) => {
      events.push({ kind: "logout", channel: id, accountId });
    },
  };
  return fake;
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** A ChatService stand-in: each turn waits for the test to finish it (or answers at once with `autoReply`). */
class FakeChat {
  readonly requests = new Events<ChatTurnRequest>();
  readonly #pending = new Map<string, Deferred<AgentRunResult>>();
  autoReply: ((request: ChatTurnRequest) => Partial<AgentRunResult>) | undefined = (request) => ({
    text: `echo: ${request.message}`,
  });

  start(request: ChatTurnRequest): { runId: string; sessionKey: string; done: Promise<AgentRunResult> } {
    const runId = `run-${this.requests.list.length + 1}`;
    const gate = deferred<AgentRunResult>();
    this.#pending.set(runId, gate);
    this.requests.push(request);
    if (this.autoReply) this.finish(runId, this.autoReply(request), request.sessionKey);
    return { runId, sessionKey: request.sessionKey, done: gate.promise };
  }

  finish(runId: string, result: Partial<AgentRunResult>, sessionKey = "unknown"): void {
    this.#pending.get(runId)?.resolve({
      runId,
      sessionKey,
      status: "ok",
      text: "",
      usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
      ...result,
    });
  }
}

function dm(
  channel: string,
  senderId: string,
  text: string,
  extra: Partial<InboundMessage> = {},
): InboundMessage {
  return {
    channel,
    accountId: "default",
    peer: { id: senderId, name: `User ${senderId}` },
    chatKind: "dm",
    sender: { id: senderId, name: `User ${senderId}` },
    text,
    mentionsBot: false,
    timestamp: 1_700_000_000_000,
    platformMessageId: `in-${senderId}-${text.length}`,
    ...extra,
  };
}

function groupMessage(
  channel: string,
  o: { text: string; mentionsBot: boolean; threadId?: string },
): InboundMessage {
  return {
    channel,
    accountId: "default",
    peer: { id: "-100", name: "Team" },
    chatKind: o.threadId ? "thread" : "group",
    chatId: "-100",
    ...(o.threadId ? { threadId: o.threadId } : {}),
    sender: { id: "7", name: "Ann" },
    text: o.text,
    mentionsBot: o.mentionsBot,
    timestamp: 1_700_000_000_000,
    platformMessageId: `g-${o.text.length}`,
  };
}

let stateDir: string;
let events: Events<FakeEvent>;
let changes: Events<ChannelChange>;
let logs: LogRecord[];
let chat: FakeChat;
let pairing: PairingStore;
let config: ChannelManagerConfig;
let managers: ChannelManager[];

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "openclaw-channels-"));
  events = new Events();
  changes = new Events();
  logs = [];
  chat = new FakeChat();
  pairing = createPairingStore({ stateDir });
  config = { channels: {}, session: { dmScope: "per-channel-peer", mainKey: "main" } };
  managers = [];
});

afterEach(async () => {
  await Promise.all(managers.map((manager) => manager.stop()));
  await rm(stateDir, { recursive: true, force: true });
});

function createManager(
  registry: PluginRegistry,
  extra: Partial<ConstructorParameters<typeof ChannelManager>[0]> = {},
) {
  const manager = new ChannelManager({
    registry,
    getConfig: () => config,
    chat,
    pairing,
    logger: createLogger({ level: "debug", sinks: [(record) => logs.push(record)] }),
    stateDir,
    onChange: (change) => changes.push(change),
    backoff: { initialMs: 5, maxMs: 20, factor: 2 },
    typingIntervalMs: 5,
    ...extra,
  });
  managers.push(manager);
  return manager;
}

function sends(channel?: string): SendTextOptions[] {
  return events.list.flatMap((event) =>
    event.kind === "send" && (channel === undefined || event.channel === channel) ? [event.options] : [],
  );
}

function inject(fake: FakeChannel, message: InboundMessage, accountId = "default"): void {
  const context = fake.contexts.get(accountId);
  if (!context) throw new Error(`account ${accountId} of ${fake.plugin.id} is not running`);
  void context.onInbound(message);
}

describe("ChannelManager lifecycle", () => {
  it("starts only channels with a section and accounts not disabled, and reports them in the protocol's shape", async () => {
    const registry = new PluginRegistry();
    const alpha = fakeChannel("alpha", events);
    const beta = fakeChannel("beta", events);
    const gamma = fakeChannel("gamma", events);
    for (const fake of [alpha, beta, gamma]) registry.registerChannel(fake.plugin);
    config.channels = {
      alpha: { token: "t", accounts: { work: {}, spare: { enabled: false } } },
      beta: { enabled: false },
    };
    const manager = createManager(registry);
    await manager.start();

    expect(events.list.filter((e) => e.kind === "start")).toEqual([
      { kind: "start", channel: "alpha", accountId: "work" },
    ]);
    const status = await manager.status();
    expect(ChannelsStatusResultSchema.parse(status)).toEqual(status);
    expect(status.channelOrder).toEqual(["alpha", "beta", "gamma"]);
    expect(status.channelLabels).toEqual({ alpha: "ALPHA chat", beta: "BETA chat", gamma: "GAMMA chat" });
    expect(status.channelAccounts.alpha).toEqual([
      expect.objectContaining({
        accountId: "work",
        enabled: true,
        configured: true,
        running: true,
        connected: true,
      }),
      expect.objectContaining({ accountId: "spare", enabled: false, running: false }),
    ]);
    expect(status.channelAccounts.beta).toEqual([
      expect.objectContaining({ accountId: "default", enabled: false }),
    ]);
    expect(status.channelAccounts.gamma).toEqual([]);
    expect(status.channels.alpha).toMatchObject({ configured: true, running: true, connected: true });
    expect(status.channels.gamma).toMatchObject({ configured: false, running: false });
    expect(status.channelDefaultAccountId).toEqual({ alpha: "work", beta: "default", gamma: "default" });
    const work = status.channelAccounts.alpha?.[0];
    expect(work?.lastStartAt).toEqual(expect.any(Number));
    expect(work?.lastError).toBeNull();
  });

  it("does not start an account whose config the plugin rejects, and says why", async () => {
    const registry = new PluginRegistry();
    const alpha = fakeChannel("alpha", events);
    registry.registerChannel(alpha.plugin);
    config.channels = { alpha: { requiredKey: "nope" } };
    const manager = createManager(registry);
    await manager.start();
    expect(alpha.starts).toBe(0);
    const [account] = (await manager.status()).channelAccounts.alpha ?? [];
    expect(account).toMatchObject({ configured: false, running: false });
    expect(account?.lastError).toMatch(/config of channel "alpha" account "default" is invalid.*requiredKey/);
  });

  it("restarts a crashed account with exponential backoff up to the cap and shows lastError meanwhile", async () => {
    const registry = new PluginRegistry();
    const alpha = fakeChannel("alpha", events, {
      failStart: (call) => (call <= 4 ? new Error(`connection refused #${call}`) : undefined),
    });
    registry.registerChannel(alpha.plugin);
    config.channels = { alpha: {} };
    const manager = createManager(registry);
    await manager.start();
    const [afterFirst] = (await manager.status()).channelAccounts.alpha ?? [];
    expect(afterFirst).toMatchObject({
      running: false,
      lastError: "connection refused #1",
      reconnectAttempts: 1,
      lastStopAt: expect.any(Number),
    });

    await changes.waitFor((all) => all.some((c) => c.snapshot.connected), "the fifth start to connect");
    expect(alpha.starts).toBe(5);
    const delays = logs.filter((r) => r.msg.startsWith("channel account failed")).map((r) => r.delayMs);
    expect(delays).toEqual([5, 10, 20, 20]);
    const [recovered] = (await manager.status()).channelAccounts.alpha ?? [];
    // The adapter's own setStatus({ lastError: null }) cleared the error once it connected again.
    expect(recovered).toMatchObject({
      running: true,
      connected: true,
      lastError: null,
      reconnectAttempts: 4,
    });
  });

  it("treats a handle reporting 'disconnected with an error' as a crash: stops it and starts it again", async () => {
    const registry = new PluginRegistry();
    const alpha = fakeChannel("alpha", events);
    registry.registerChannel(alpha.plugin);
    config.channels = { alpha: {} };
    const manager = createManager(registry, { backoff: { initialMs: 5, maxMs: 20, resetAfterMs: 30 } });
    await manager.start();
    alpha.contexts
      .get("default")
      ?.setStatus({ connected: false, lastError: "409 Conflict: terminated by other getUpdates" });
    const [crashed] = (await manager.status()).channelAccounts.alpha ?? [];
    expect(crashed).toMatchObject({
      running: false,
      lastError: expect.stringContaining("409"),
      reconnectAttempts: 1,
    });
    await events.waitFor((all) => all.filter((e) => e.kind === "start").length === 2, "the restart");
    expect(events.list.map((e) => e.kind)).toEqual(["start", "stop", "start"]);
    // A healthy period resets the attempt counter.
    await changes.waitFor((all) => all.at(-1)?.snapshot.reconnectAttempts === 0, "the backoff reset");
  });

  it("stops within about a second even when the adapter's stop hangs, and aborts its signal", async () => {
    const registry = new PluginRegistry();
    const alpha = fakeChannel("alpha", events, { hangStop: true });
    registry.registerChannel(alpha.plugin);
    config.channels = { alpha: {} };
    const manager = createManager(registry);
    await manager.start();
    const signal = alpha.contexts.get("default")?.signal;
    const started = Date.now();
    const [stopped] = await manager.stopChannel("alpha");
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(1_500);
    expect(signal?.aborted).toBe(true);
    expect(stopped).toMatchObject({ running: false, connected: false, lastStopAt: expect.any(Number) });
    expect(logs.some((r) => r.msg.includes("did not stop within 1000ms"))).toBe(true);
  });

  it("stops an account whose start never finishes, and explicit start brings a stopped account back", async () => {
    const registry = new PluginRegistry();
    const alpha = fakeChannel("alpha", events, { hangStart: true });
    registry.registerChannel(alpha.plugin);
    config.channels = { alpha: {} };
    const manager = createManager(registry, { startWaitMs: 20 });
    await manager.start();
    expect((await manager.status()).channelAccounts.alpha?.[0]).toMatchObject({
      running: true,
      connected: false,
    });
    await manager.stopChannel("alpha");
    expect((await manager.status()).channelAccounts.alpha?.[0]).toMatchObject({ running: false });
    alpha.behaviour.hangStart = false;
    const [again] = await manager.startChannel("alpha", "default");
    expect(again).toMatchObject({ running: true, connected: true });
    await expect(manager.startChannel("alpha", "nope")).rejects.toMatchObject({
      code: "CHANNEL_ACCOUNT_UNKNOWN",
    });
    await expect(manager.startChannel("zeta")).rejects.toMatchObject({ code: "CHANNEL_UNKNOWN" });
  });

  it("probes each account under a timeout", async () => {
    const registry = new PluginRegistry();
    const alpha = fakeChannel("alpha", events, {
      probe: (accountId) =>
        accountId === "slow"
          ? new Promise(() => undefined)
          : Promise.resolve({ ok: true, detail: "bot @alpha" }),
    });
    registry.registerChannel(alpha.plugin);
    config.channels = { alpha: { accounts: { fast: {}, slow: {} } } };
    const manager = createManager(registry);
    await manager.start();
    const status = await manager.status({ probe: true, timeoutMs: 50 });
    expect(status.channelAccounts.alpha?.map((a) => [a.accountId, a.probe])).toEqual([
      ["fast", { ok: true, detail: "bot @alpha" }],
      ["slow", { ok: false, detail: "probe timed out after 50ms" }],
    ]);
    const plain = await manager.status({ channel: "alpha" });
    expect(plain.channelOrder).toEqual(["alpha"]);
    expect(plain.channelAccounts.alpha?.[0]?.probe).toBeUndefined();
  });

  it("keeps one channel running when another throws everywhere", async () => {
    const registry = new PluginRegistry();
    const broken = fakeChannel("broken", events, { failStart: () => new Error("bad token"), failSend: true });
    const good = fakeChannel("good", events);
    registry.registerChannel(broken.plugin);
    registry.registerChannel({
      id: "missing",
      meta: { label: "Missing" },
      load: async () => {
        throw new Error("Cannot find package 'platform-lib'");
      },
    });
    registry.registerChannel(good.plugin);
    config.channels = { broken: {}, missing: {}, good: { dmPolicy: "open", allowFrom: ["*"] } };
    const manager = createManager(registry);
    await manager.start();
    const status = await manager.status();
    expect(status.channelAccounts.broken?.[0]).toMatchObject({ running: false, lastError: "bad token" });
    expect(status.channelAccounts.missing?.[0]?.lastError).toMatch(
      /failed to load: Cannot find package 'platform-lib'/,
    );
    expect(status.channelAccounts.good?.[0]).toMatchObject({ running: true, connected: true });
    inject(good, dm("good", "1", "still here?"));
    await events.waitFor(
      (all) => all.some((e) => e.kind === "send" && e.channel === "good"),
      "the good reply",
    );
    expect(sends("good").map((s) => s.text)).toEqual(["echo: still here?"]);
  });

  it("logout stops the account and asks the plugin to forget it", async () => {
    const registry = new PluginRegistry();
    const alpha = fakeChannel("alpha", events);
    registry.registerChannel(alpha.plugin);
    config.channels = { alpha: {} };
    const manager = createManager(registry);
    await manager.start();
    expect(await manager.logout("alpha")).toEqual({
      channel: "alpha",
      accountIds: ["default"],
      cleared: true,
    });
    expect(events.list.map((e) => e.kind)).toEqual(["start", "stop", "logout"]);
  });
});

describe("ChannelManager inbound routing", () => {
  async function running(channelConfig: Record<string, unknown>, behaviour: FakeBehaviour = {}) {
    const registry = new PluginRegistry();
    const alpha = fakeChannel("alpha", events, behaviour);
    registry.registerChannel(alpha.plugin);
    config.channels = { alpha: channelConfig };
    const manager = createManager(registry);
    await manager.start();
    return { alpha, manager };
  }

  it("pairs an unknown sender: a code goes back once, nothing reaches the agent until the owner approves", async () => {
    const { alpha, manager } = await running({});
    inject(alpha, dm("alpha", "42", "hello"));
    inject(alpha, dm("alpha", "42", "hello again"));
    await manager.idle();
    expect(chat.requests.list).toEqual([]);
    const [reply, ...more] = sends();
    expect(more).toEqual([]);
    const [pending] = pairing.list("alpha");
    expect(pending).toMatchObject({ senderId: "42", senderName: "User 42" });
    expect(reply).toMatchObject({ to: "42", text: pairingReplyText("alpha", pending?.code ?? "") });
    expect(reply?.text).toBe(
      `Pairing code: ${pending?.code}\nAsk the owner to approve it: openclaw pairing approve alpha ${pending?.code}`,
    );

    pairing.approve("alpha", pending?.code ?? "");
    inject(alpha, dm("alpha", "42", "let me in"));
    await manager.idle();
    expect(chat.requests.list).toEqual([
      expect.objectContaining({
        sessionKey: "agent:main:alpha:direct:42",
        message: "let me in",
        agentId: "main",
      }),
    ]);
    expect(sends().at(-1)).toMatchObject({ to: "42", text: "echo: let me in", replyTo: "in-42-9" });
    const [account] = (await manager.status()).channelAccounts.alpha ?? [];
    expect(account?.lastInboundAt).toEqual(expect.any(Number));
    expect(account?.lastOutboundAt).toEqual(expect.any(Number));
  });

  it("answers a group only when mentioned, prefixing the sender's name, in the group's own session", async () => {
    const { alpha, manager } = await running({ groups: { "*": { requireMention: true } } });
    inject(alpha, groupMessage("alpha", { text: "chatter", mentionsBot: false }));
    await manager.idle();
    expect(chat.requests.list).toEqual([]);
    expect(sends()).toEqual([]);
    inject(alpha, groupMessage("alpha", { text: "@bot status?", mentionsBot: true, threadId: "9" }));
    await manager.idle();
    expect(chat.requests.list).toEqual([
      expect.objectContaining({
        sessionKey: "agent:main:alpha:group:-100:thread:9",
        message: "[Ann]: @bot status?",
      }),
    ]);
    expect(sends()).toEqual([
      { accountId: "default", to: "-100", threadId: "9", replyTo: "g-12", text: "echo: [Ann]: @bot status?" },
    ]);
  });

  it("sends a long answer in ordered chunks within the platform limit, the first as a reply", async () => {
    const { alpha, manager } = await running({ dmPolicy: "open", allowFrom: ["*"] }, { maxTextLength: 40 });
    const paragraphs = ["First paragraph is here.", "Second paragraph follows it.", "Third and last one."];
    chat.autoReply = () => ({ text: paragraphs.join("\n\n") });
    inject(alpha, dm("alpha", "5", "tell me"));
    await manager.idle();
    const sent = sends();
    expect(sent.map((s) => s.text)).toEqual(paragraphs);
    expect(sent.every((s) => s.text.length <= 40)).toBe(true);
    expect(sent.map((s) => s.replyTo)).toEqual(["in-5-7", undefined, undefined]);
  });

  it("keeps the typing indicator going while the agent runs and stops it before the answer", async () => {
    const { alpha, manager } = await running({ dmPolicy: "open", allowFrom: ["*"] });
    chat.autoReply = undefined;
    inject(alpha, dm("alpha", "5", "slow question"));
    await events.waitFor((all) => all.filter((e) => e.kind === "typing").length >= 3, "typing indicators");
    chat.finish("run-1", { text: "done thinking" }, "agent:main:alpha:direct:5");
    await manager.idle();
    const kinds = events.list.map((e) => e.kind);
    const firstSend = kinds.indexOf("send");
    expect(firstSend).toBeGreaterThan(kinds.lastIndexOf("typing"));
    expect(events.list.find((e) => e.kind === "typing")).toEqual({
      kind: "typing",
      channel: "alpha",
      to: "5",
    });
  });

  it("handles one chat's messages in order without holding other chats", async () => {
    const { alpha, manager } = await running({ dmPolicy: "open", allowFrom: ["*"] });
    chat.autoReply = undefined;
    inject(alpha, dm("alpha", "1", "first"));
    inject(alpha, dm("alpha", "1", "second"));
    inject(alpha, dm("alpha", "2", "other chat"));
    await chat.requests.waitFor((all) => all.length === 2, "two chats running");
    expect(chat.requests.list.map((r) => r.message)).toEqual(["first", "other chat"]);
    chat.finish("run-1", { text: "answer 1" });
    await chat.requests.waitFor((all) => all.length === 3, "the second message of chat 1");
    expect(chat.requests.list[2]?.message).toBe("second");
    chat.finish("run-2", { text: "answer other" });
    chat.finish("run-3", { text: "answer 2" });
    await manager.idle();
    expect(
      sends()
        .filter((s) => s.to === "1")
        .map((s) => s.text),
    ).toEqual(["answer 1", "answer 2"]);
  });

  it("apologises for a failed run without leaking credentials, and stays quiet for an aborted one", async () => {
    const { alpha, manager } = await running({ dmPolicy: "open", allowFrom: ["*"] });
    chat.autoReply = () => ({
      status: "error",
      error: { code: "PROVIDER", message: "401 from provider: invalid key sk-abcdefghijklmnop1234" },
    });
    inject(alpha, dm("alpha", "5", "hi"));
    await manager.idle();
    chat.autoReply = () => ({ status: "aborted", text: "partial" });
    inject(alpha, dm("alpha", "5", "hi again"));
    await manager.idle();
    expect(sends().map((s) => s.text)).toEqual([
      "Sorry, I could not answer that: 401 from provider: invalid key [redacted]",
    ]);
  });

  it("drops an invalid or foreign message and counts a failed reply as a crash", async () => {
    const { alpha, manager } = await running({ dmPolicy: "open", allowFrom: ["*"] });
    inject(alpha, { ...dm("alpha", "5", "x"), chatKind: "group" } as InboundMessage);
    inject(alpha, dm("other", "5", "wrong channel"));
    await manager.idle();
    expect(chat.requests.list).toEqual([]);
    expect(logs.filter((r) => r.msg.startsWith("inbound message dropped")).length).toBe(2);

    alpha.behaviour.failSend = true;
    inject(alpha, dm("alpha", "5", "reply fails"));
    await events.waitFor((all) => all.filter((e) => e.kind === "start").length === 2, "the restart");
    const [account] = (await manager.status()).channelAccounts.alpha ?? [];
    expect(account?.reconnectAttempts).toBeGreaterThanOrEqual(1);
    expect(
      logs.some(
        (r) =>
          r.msg === "channel account failed; restarting after backoff" &&
          r.error === "platform rejected the message",
      ),
    ).toBe(true);
  });

  it("does not restart an account for a gateway-side failure", async () => {
    const registry = new PluginRegistry();
    // "dm" is a session-key marker, so the sessions package refuses to build a key for this channel's DMs.
    const clash = fakeChannel("dm", events);
    registry.registerChannel(clash.plugin);
    config.channels = { dm: { dmPolicy: "open", allowFrom: ["*"] } };
    const manager = createManager(registry);
    await manager.start();
    inject(clash, dm("dm", "5", "hello"));
    await manager.idle();
    expect(chat.requests.list).toEqual([]);
    expect(logs.some((r) => r.msg === "inbound message failed" && String(r.error).includes("collides"))).toBe(
      true,
    );
    expect(clash.starts).toBe(1);
    expect((await manager.status()).channelAccounts.dm?.[0]).toMatchObject({
      running: true,
      reconnectAttempts: 0,
    });
  });

  it("routes by bindings and the default agent", async () => {
    const registry = new PluginRegistry();
    const alpha = fakeChannel("alpha", events);
    registry.registerChannel(alpha.plugin);
    config.channels = { alpha: { dmPolicy: "open", allowFrom: ["*"] } };
    config.bindings = [
      { agentId: "support", match: { channel: "alpha" } },
      { agentId: "vip", match: { channel: "alpha", peer: { kind: "direct", id: "9" } } },
    ];
    const manager = createManager(registry, { defaultAgentId: () => "ops" });
    await manager.start();
    inject(alpha, dm("alpha", "9", "vip here"));
    inject(alpha, dm("alpha", "3", "regular"));
    await manager.idle();
    expect(chat.requests.list.map((r) => [r.agentId, r.sessionKey])).toEqual([
      ["vip", "agent:vip:alpha:direct:9"],
      ["support", "agent:support:alpha:direct:3"],
    ]);
    config.bindings = undefined;
    inject(alpha, dm("alpha", "3", "after"));
    await manager.idle();
    expect(chat.requests.list.at(-1)?.agentId).toBe("ops");
  });
});

describe("ChannelManager and the configured agents", () => {
  it("starts no turn for a binding to an agent that is not configured, and apologises in the chat", async () => {
    const registry = new PluginRegistry();
    const alpha = fakeChannel("alpha", events);
    registry.registerChannel(alpha.plugin);
    config.channels = { alpha: { dmPolicy: "open", allowFrom: ["*"] } };
    config.bindings = [{ agentId: "ghost", match: { channel: "alpha" } }];
    const manager = createManager(registry, { agents: () => ({ ids: ["main", "Support"] }) });
    await manager.start();
    inject(alpha, dm("alpha", "3", "anyone there?"));
    await manager.idle();
    expect(chat.requests.list).toEqual([]);
    expect(sends("alpha").map((s) => s.text)).toEqual([expect.stringContaining("not set up")]);
    config.bindings = [{ agentId: "support", match: { channel: "alpha" } }];
    inject(alpha, dm("alpha", "3", "and now?"));
    await manager.idle();
    expect(chat.requests.list.map((r) => r.agentId)).toEqual(["support"]);
  });
});

describe("ChannelManager.send", () => {
  it("chunks and sends to a running account, and refuses a stopped one", async () => {
    const registry = new PluginRegistry();
    const alpha = fakeChannel("alpha", events, { maxTextLength: 10 });
    registry.registerChannel(alpha.plugin);
    config.channels = { alpha: {} };
    const manager = createManager(registry);
    await manager.start();
    const result = await manager.send({
      channel: "alpha",
      to: "42",
      message: "one two three four",
      threadId: "t",
    });
    expect(result.messageIds).toHaveLength(sends().length);
    expect(
      sends()
        .map((s) => s.text)
        .join(" "),
    ).toBe("one two three four");
    expect(sends().every((s) => s.to === "42" && s.threadId === "t" && s.text.length <= 10)).toBe(true);
    await manager.stopChannel("alpha");
    await expect(manager.send({ channel: "alpha", to: "42", message: "hi" })).rejects.toMatchObject({
      code: "CHANNEL_NOT_RUNNING",
      message: expect.stringContaining("openclaw channels start alpha"),
    });
  });

  it("uses the only running channel, replies to a message, and deduplicates by idempotency key", async () => {
    const registry = new PluginRegistry();
    const alpha = fakeChannel("alpha", events);
    registry.registerChannel(alpha.plugin);
    config.channels = { alpha: {} };
    const manager = createManager(registry);
    await manager.start();
    const first = await manager.send({ to: "42", message: "hello", replyToId: "in-1", idempotencyKey: "k1" });
    const again = await manager.send({ to: "42", message: "hello", replyToId: "in-1", idempotencyKey: "k1" });
    expect(first).toEqual({ channel: "alpha", accountId: "default", to: "42", messageIds: ["out-1"] });
    expect(again).toEqual({ ...first, deduped: true });
    expect(sends()).toEqual([{ accountId: "default", to: "42", text: "hello", replyTo: "in-1" }]);
  });
});

describe("ChannelManager.approvePairing", () => {
  it("approves a code for its account and notifies the sender when asked", async () => {
    const registry = new PluginRegistry();
    const alpha = fakeChannel("alpha", events);
    registry.registerChannel(alpha.plugin);
    config.channels = { alpha: {} };
    const manager = createManager(registry);
    await manager.start();
    const first = pairing.request({ channel: "alpha", accountId: "default", senderId: "42" }).code ?? "";
    await expect(
      manager.approvePairing({ channel: "alpha", code: first, accountId: "other" }),
    ).rejects.toMatchObject({
      code: "PAIRING_CODE_UNKNOWN",
      message: expect.stringContaining('belongs to alpha account "default"'),
    });
    expect(
      await manager.approvePairing({ channel: "alpha", code: first.toLowerCase(), notify: true }),
    ).toEqual({
      code: first,
      channel: "alpha",
      accountId: "default",
      senderId: "42",
      notification: "sent",
    });
    expect(sends()).toEqual([{ accountId: "default", to: "42", text: PAIRING_APPROVED_TEXT }]);
    await expect(manager.approvePairing({ channel: "alpha", code: first })).rejects.toMatchObject({
      code: "PAIRING_CODE_UNKNOWN",
    });
  });
});
