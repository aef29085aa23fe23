import type {
  ChannelAccountContext,
  InboundMessage,
  InboundReaction,
  NativeCommand,
} from "@openclaw/plugin-sdk";
import type { DiscordConfig } from "./discord-config.js";

/** Test-only: an account context that records what the adapter hands the gateway. */

export const alice = { id: "2100000000000000001", username: "alice", globalName: "Alice" };
export type Status = { connected?: boolean; lastError?: string | null };

export interface AccountProbe {
  context: ChannelAccountContext<DiscordConfig>;
  controller: AbortController;
  inbound: InboundMessage[];
  reactions: InboundReaction[];
  statuses: Status[];
  logs: { level: string; message: string; fields?: Record<string, unknown> }[];
  nextInbound(): Promise<InboundMessage>;
  nextReaction(): Promise<InboundReaction>;
  nextStatus(predicate: (status: Status) => boolean): Promise<Status>;
}

export function accountContext(
  config: DiscordConfig,
  accountId = "default",
  extra: { commands?: NativeCommand[] } = {},
): AccountProbe {
  const inbound: InboundMessage[] = [];
  const reactions: InboundReaction[] = [];
  const waiters: ((message: InboundMessage) => void)[] = [];
  const reactionWaiters: ((reaction: InboundReaction) => void)[] = [];
  const statuses: Status[] = [];
  const statusWaiters = new Set<(status: Status) => boolean>();
  const logs: AccountProbe["logs"] = [];
  const controller = new AbortController();
  const log =
    (level: string) =>
    (message: string, fields?: Record<string, unknown>): void => {
      logs.push({ level, message, ...(fields === undefined ? {} : { fields }) });
    };
  return {
    controller,
    inbound,
    reactions,
    statuses,
    logs,
    context: {
      accountId,
      config,
      logger: { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") },
      signal: controller.signal,
      onInbound(message) {
        inbound.push(message);
        waiters.shift()?.(message);
      },
      onReaction(reaction) {
        reactions.push(reaction);
        reactionWaiters.shift()?.(reaction);
      },
      setStatus(patch) {
        statuses.push(patch);
        for (const waiter of statusWaiters) if (waiter(patch)) statusWaiters.delete(waiter);
      },
      ...(extra.commands === undefined ? {} : { commands: extra.commands }),
    },
    nextInbound: () => new Promise((resolve) => waiters.push(resolve)),
    nextReaction: () => new Promise((resolve) => reactionWaiters.push(resolve)),
    nextStatus: (predicate) =>
      new Promise((resolve) => {
        statusWaiters.add((status) => {
          if (!predicate(status)) return false;
          resolve(status);
          return true;
        });
      }),
  };
}

/** Polls `check` until it returns a value (for state no fake notifies about, such as logs). */
export async function until<T>(describe: string, check: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${describe}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
