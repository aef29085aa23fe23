import type {
  ChannelAccountContext,
  ChannelAccountState,
  ChannelPlugin,
  InboundMessage,
  InboundReaction,
  NativeCommand,
} from "@openclaw/plugin-sdk";
import type { FakeTelegramServer } from "@openclaw/testing";
import type { TelegramAccountHandle } from "./telegram-account.js";
import { type TelegramConfig, TelegramConfigSchema } from "./telegram-config.js";

export interface LoggedLine {
  level: "debug" | "info" | "warn" | "error";
  message: string;
  fields?: Record<string, unknown>;
}

/** A started account's view for tests: what reached the gateway, and every log line. */
export interface AccountProbe {
  context: ChannelAccountContext<TelegramConfig>;
  inbound: InboundMessage[];
  reactions: InboundReaction[];
  logs: LoggedLine[];
  nextInbound(): Promise<InboundMessage>;
  /** Resolves once `count` reactions arrived in total. */
  reactionsReceived(count: number): Promise<InboundReaction[]>;
}

export function accountProbe(
  config: TelegramConfig,
  options: { accountId?: string; commands?: NativeCommand[] } = {},
): AccountProbe {
  const inbound: InboundMessage[] = [];
  const reactions: InboundReaction[] = [];
  const logs: LoggedLine[] = [];
  const inboundWaiters: ((message: InboundMessage) => void)[] = [];
  let reactionWaiters: { count: number; resolve: (all: InboundReaction[]) => void }[] = [];
  const log = (level: LoggedLine["level"]) => (message: string, fields?: Record<string, unknown>) =>
    logs.push({ level, message, ...(fields === undefined ? {} : { fields }) });
  return {
    inbound,
    reactions,
    logs,
    context: {
      accountId: options.accountId ?? "default",
      config,
      logger: { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") },
      signal: new AbortController().signal,
      onInbound(message) {
        inbound.push(message);
        inboundWaiters.shift()?.(message);
      },
      onReaction(reaction) {
        reactions.push(reaction);
        reactionWaiters = reactionWaiters.filter((waiter) => {
          if (reactions.length < waiter.count) return true;
          waiter.resolve([...reactions]);
          return false;
        });
      },
      setStatus() {},
      ...(options.commands === undefined ? {} : { commands: options.commands }),
    },
    nextInbound: () => new Promise((resolve) => inboundWaiters.push(resolve)),
    reactionsReceived: (count) =>
      reactions.length >= count
        ? Promise.resolve([...reactions])
        : new Promise((resolve) => reactionWaiters.push({ count, resolve })),
  };
}

export function configFor(server: FakeTelegramServer, extra: Record<string, unknown> = {}): TelegramConfig {
  return TelegramConfigSchema.parse({
    botToken: server.token,
    apiRoot: server.apiRoot,
    pollTimeoutSeconds: 1,
    ...extra,
  });
}

export async function startProbe(
  plugin: ChannelPlugin<TelegramConfig>,
  probe: AccountProbe,
  handles: TelegramAccountHandle[],
): Promise<TelegramAccountHandle> {
  const handle = (await plugin.startAccount(probe.context)) as TelegramAccountHandle;
  handles.push(handle);
  return handle;
}

/** Polls until `condition` holds; generous deadline, for a loaded CI machine. */
export async function eventually(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** `ctx.state` in memory, its values readable by the test (what the gateway keeps durably per account). */
export function memoryState(): ChannelAccountState & { values: Map<string, unknown> } {
  const values = new Map<string, unknown>();
  return {
    values,
    get: async (key) => values.get(key),
    set: async (key, value) => {
      values.set(key, structuredClone(value));
    },
  };
}
