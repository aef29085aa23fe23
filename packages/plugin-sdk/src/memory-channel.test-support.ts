import { z } from "zod";
import type { ClosableConformanceHarness, ConformanceHarnessFactory } from "./channel-conformance-harness.js";
import type { ConformanceOutageMode } from "./channel-conformance-outage.js";
import { type ChannelPlugin, defineChannelPlugin } from "./channel-plugin.js";
import { CHANNEL_PLUGIN_API_VERSION } from "./channel-plugin-api-version.js";
import { detectMention } from "./detect-mention.js";
import type { InboundMessage } from "./inbound-message.js";

/** An in-memory "platform": the adapter subscribes to it, the harness pushes messages into it. */
export class MemoryPlatform {
  readonly sent = new Map<string, string[]>();
  private readonly subscribers = new Set<(message: InboundMessage) => void>();
  private counter = 0;
  /** Set while the platform is unreachable; `back` resolves when it returns. */
  down: ConformanceOutageMode | undefined;
  back: Promise<void> = Promise.resolve();
  private restored: () => void = () => undefined;

  readonly outage = {
    fail: async (mode: ConformanceOutageMode) => {
      this.down = mode;
      this.back = new Promise((resolve) => {
        this.restored = resolve;
      });
    },
    restore: async () => {
      this.down = undefined;
      this.restored();
    },
  };

  subscribe(listener: (message: InboundMessage) => void): () => void {
    this.subscribers.add(listener);
    return () => this.subscribers.delete(listener);
  }

  deliver(message: Omit<InboundMessage, "platformMessageId" | "timestamp" | "accountId" | "channel">): void {
    this.counter += 1;
    for (const subscriber of this.subscribers) {
      subscriber({
        ...message,
        channel: "memory",
        accountId: "default",
        timestamp: Date.now(),
        platformMessageId: String(this.counter),
      });
    }
  }

  record(to: string, text: string): string {
    this.sent.set(to, [...(this.sent.get(to) ?? []), text]);
    this.counter += 1;
    return String(this.counter);
  }
}

export type MemoryPluginFlaws = Partial<{
  neverConnected: boolean;
  keepsReceivingAfterStop: boolean;
  ignoresAbort: boolean;
  slowStop: boolean;
  wrongChatKind: boolean;
  truncates: boolean;
  strictSchema: boolean;
  failingProbe: boolean;
  /** While the platform is down, the start waits for it to return instead of failing (a library's quiet retry). */
  retriesQuietly: boolean;
  /** A start waiting on a platform that does not answer ignores ctx.signal. */
  hangsThroughAbort: boolean;
}>;

/** How a start meets a platform that is down: fail at once, or wait (for the platform, or for ctx.signal). */
async function reachPlatform(platform: MemoryPlatform, signal: AbortSignal, flaws: MemoryPluginFlaws) {
  const mode = platform.down;
  if (mode === undefined) return;
  if (flaws.retriesQuietly) return platform.back;
  if (mode !== "hang")
    throw new Error(`memory platform unreachable (${mode}): check channels.memory.platform`);
  if (flaws.hangsThroughAbort) return new Promise<never>(() => undefined);
  await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
  throw new Error("the start was aborted");
}

/** A plugin over a {@link MemoryPlatform}; `flaws` break one promise of the contract each. */
export function createMemoryPlugin(platforms: Map<string, MemoryPlatform>, flaws: MemoryPluginFlaws = {}) {
  const schema = z.object({ platform: z.string() });
  const running = new Map<string, MemoryPlatform>();
  const platformOf = (accountId: string) => {
    const platform = running.get(accountId);
    if (platform === undefined) throw new Error(`account ${accountId} is not running`);
    return platform;
  };
  const plugin: ChannelPlugin<{ platform: string }> = defineChannelPlugin({
    apiVersion: CHANNEL_PLUGIN_API_VERSION,
    id: "memory",
    meta: { label: "Memory" },
    configSchema: flaws.strictSchema ? schema.strict() : z.looseObject(schema.shape),
    capabilities: {
      dms: true,
      groups: true,
      threads: false,
      reactions: false,
      typing: true,
      media: false,
      edits: false,
      maxTextLength: 300,
    },
    async startAccount(context) {
      const platform = platforms.get(context.config.platform);
      if (platform === undefined) throw new Error(`no platform ${context.config.platform}`);
      await reachPlatform(platform, context.signal, flaws);
      running.set(context.accountId, platform);
      let stopped = false;
      const unsubscribe = platform.subscribe((message) => {
        if (stopped && !flaws.keepsReceivingAfterStop) return;
        void context.onInbound({
          ...message,
          accountId: context.accountId,
          chatKind: flaws.wrongChatKind ? "group" : message.chatKind,
          chatId: flaws.wrongChatKind ? "x" : message.chatId,
        });
      });
      const stop = async () => {
        stopped = true;
        if (!flaws.keepsReceivingAfterStop) unsubscribe();
        context.setStatus({ connected: false });
      };
      if (!flaws.ignoresAbort) context.signal.addEventListener("abort", () => void stop(), { once: true });
      if (!flaws.neverConnected) queueMicrotask(() => context.setStatus({ connected: true }));
      return {
        stop: async () => {
          if (flaws.slowStop) await new Promise((resolve) => setTimeout(resolve, 1500));
          await stop();
        },
      };
    },
    async sendText({ accountId, to, text }) {
      return { messageId: platformOf(accountId).record(to, flaws.truncates ? text.slice(0, 100) : text) };
    },
    async sendTyping({ accountId }) {
      platformOf(accountId);
    },
    async probe({ accountId }) {
      return flaws.failingProbe ? { ok: false, detail: "token revoked" } : { ok: running.has(accountId) };
    },
  });
  return plugin;
}

/** A harness factory that starts a fresh platform each time. */
export function memoryHarness(platforms: Map<string, MemoryPlatform>) {
  let next = 0;
  return async (): Promise<ClosableConformanceHarness<{ platform: string }>> => {
    next += 1;
    const name = `platform-${next}`;
    const platform = new MemoryPlatform();
    platforms.set(name, platform);
    return {
      accountConfig: { platform: name },
      outage: platform.outage,
      async injectDirectMessage({ text, senderId, senderName }) {
        platform.deliver({
          peer: { id: senderId },
          chatKind: "dm",
          sender: { id: senderId, name: senderName },
          text,
          mentionsBot: false,
        });
      },
      async injectGroupMessage({ text, senderId, groupId, mentionBot }) {
        const body = mentionBot ? `@memory_bot ${text}` : text;
        platform.deliver({
          peer: { id: groupId },
          chatKind: "group",
          chatId: groupId,
          sender: { id: senderId },
          text,
          mentionsBot: detectMention(body, { botUsername: "memory_bot" }),
        });
      },
      async sentTexts(to) {
        return platform.sent.get(to) ?? [];
      },
      async close() {
        platforms.delete(name);
      },
    };
  };
}

/** A memory plugin with `flaws` and its harness factory, over their own set of platforms. */
export function memorySetup(flaws: MemoryPluginFlaws = {}) {
  const platforms = new Map<string, MemoryPlatform>();
  return {
    plugin: createMemoryPlugin(platforms, flaws) as ChannelPlugin,
    harness: memoryHarness(platforms) as ConformanceHarnessFactory,
    platforms,
  };
}
