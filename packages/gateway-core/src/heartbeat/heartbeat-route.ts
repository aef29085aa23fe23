import type { OpenClawConfig } from "../config/index.js";
import type { AgentHeartbeat } from "./heartbeat-settings.js";

/** Where a heartbeat alert goes. */
export interface HeartbeatDelivery {
  channel: string;
  to: string;
  accountId?: string;
  threadId?: string;
}

export type HeartbeatRoute =
  | { kind: "none" }
  | { kind: "deliver"; delivery: HeartbeatDelivery }
  | { kind: "no-route"; message: string };

export interface LastRoute {
  channel: string;
  accountId: string;
  to: string;
  threadId?: string;
}

const NO_ROUTE =
  'the heartbeat has no delivery route: set commands.ownerAllowFrom (e.g. ["telegram:123456789"]), a channel allowFrom, or agents.defaults.heartbeat.target and .to';

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

/** `"telegram:123"` → telegram / 123; the owner's DM from `commands.ownerAllowFrom`, then a channel's allowFrom. */
function ownerDelivery(config: OpenClawConfig, accountId: string | undefined): HeartbeatDelivery | undefined {
  const commands = (config as { commands?: { ownerAllowFrom?: unknown } }).commands;
  for (const entry of stringList(commands?.ownerAllowFrom)) {
    const colon = entry.indexOf(":");
    if (colon <= 0 || colon === entry.length - 1) continue;
    const to = entry.slice(colon + 1).trim();
    if (to === "*" || to === "") continue;
    return { channel: entry.slice(0, colon).trim().toLowerCase(), to, ...(accountId ? { accountId } : {}) };
  }
  const channels = (config.channels ?? {}) as Record<string, { allowFrom?: unknown } | undefined>;
  for (const [channel, section] of Object.entries(channels)) {
    if (channel === "defaults" || typeof section !== "object" || section === null) continue;
    const to = stringList(section.allowFrom).find((entry) => entry.trim() !== "" && entry.trim() !== "*");
    if (to) return { channel, to: to.trim(), ...(accountId ? { accountId } : {}) };
  }
  return undefined;
}

/** `"<chatId>:topic:<threadId>"` names a Telegram topic, as OpenClaw writes it. */
function splitTopic(to: string): { to: string; threadId?: string } {
  const match = /^(.+):topic:(.+)$/.exec(to);
  return match?.[1] && match[2] ? { to: match[1], threadId: match[2] } : { to };
}

/** Resolves `heartbeat.target` (+ `to`, `accountId`) the way OpenClaw documents it. */
export function resolveHeartbeatRoute(
  heartbeat: AgentHeartbeat,
  o: { config: OpenClawConfig; lastRoute: () => LastRoute | undefined },
): HeartbeatRoute {
  const target = heartbeat.target.trim().toLowerCase();
  if (target === "none") return { kind: "none" };
  if (target === "owner") {
    const delivery = ownerDelivery(o.config, heartbeat.accountId);
    return delivery ? { kind: "deliver", delivery } : { kind: "no-route", message: NO_ROUTE };
  }
  if (target === "last") {
    const last = o.lastRoute();
    if (!last) {
      return {
        kind: "no-route",
        message: "the heartbeat follows the last conversation (target: last), and no one has written yet",
      };
    }
    return {
      kind: "deliver",
      delivery: {
        channel: last.channel,
        to: last.to,
        accountId: heartbeat.accountId ?? last.accountId,
        ...(last.threadId ? { threadId: last.threadId } : {}),
      },
    };
  }
  if (!heartbeat.to) {
    return {
      kind: "no-route",
      message: `the heartbeat targets channel "${target}" without a recipient: set heartbeat.to (e.g. a chat id)`,
    };
  }
  const { to, threadId } = splitTopic(heartbeat.to);
  return {
    kind: "deliver",
    delivery: {
      channel: target,
      to,
      ...(heartbeat.accountId ? { accountId: heartbeat.accountId } : {}),
      ...(threadId ? { threadId } : {}),
    },
  };
}
