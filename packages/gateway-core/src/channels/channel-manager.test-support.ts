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
import { afterEach, beforeEach } from "vitest";
import { z } from "zod";
import type { ChatTurnRequest } from "../chat/chat-service.js";
import { createLogger, type LogRecord } from "../logging/logger.js";
import { type ChannelChange, ChannelManager, type ChannelManagerConfig } from "./channel-manager.js";
import { createPairingStore, type PairingStore } from "./pairing-store.js";
import type { PluginRegistry } from "./plugin-registry.js";

/** Everything observable, in order; `waitFor` resolves as soon as an event satisfies the predicate. */
export class Events<T> {
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
      // Only bounds a failure (a passing wait resolves on the event); generous for a loaded CI machine.
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${label}`)), 30_000);
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

export type FakeEvent =
  | { kind: "start"; channel: string; accountId: string }
  | { kind: "stop"; channel: string; accountId: string }
  | { kind: "send"; channel: string; options: SendTextOptions }
  | { kind: "typing"; channel: string; to: string }
  | { kind: "logout"; channel: string; accountId: string };

export interface FakeBehaviour {
  /** Per start call (1-based): throw instead of starting. */
  failStart?: (call: number) => Error | undefined;
  hangStop?: boolean;
  hangStart?: boolean;
  probe?: (accountId: string) => Promise<{ ok: boolean; detail?: string }>;
  failSend?: boolean;
  maxTextLength?: number;
}

export interface FakeChannel {
  plugin: ChannelPlugin<{ token?: string }>;
  contexts: Map<string, ChannelAccountContext<{ token?: string }>>;
  starts: number;
  behaviour: FakeBehaviour;
}

export function fakeChannel(
  id: string,
  events: Events<FakeEvent>,
  behaviour: FakeBehaviour = {},
): FakeChannel {
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

export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** A ChatService stand-in: each turn waits for the test to finish it (or answers at once with `autoReply`). */
export class FakeChat {
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

export function dm(
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

export function groupMessage(
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

export let stateDir: string;
export let events: Events<FakeEvent>;
export let changes: Events<ChannelChange>;
export let logs: LogRecord[];
export let chat: FakeChat;
export let pairing: PairingStore;
export let config: ChannelManagerConfig;
export let managers: ChannelManager[];

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

export function createManager(
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

export function sends(channel?: string): SendTextOptions[] {
  return events.list.flatMap((event) =>
    event.kind === "send" && (channel === undefined || event.channel === channel) ? [event.options] : [],
  );
}

export function inject(fake: FakeChannel, message: InboundMessage, accountId = "default"): void {
  const context = fake.contexts.get(accountId);
  if (!context) throw new Error(`account ${accountId} of ${fake.plugin.id} is not running`);
  void context.onInbound(message);
}
