import { z } from "zod";
import { defaultAgentId, listConfiguredAgents } from "../config/configured-agents.js";
import type { OpenClawConfig } from "../config/index.js";

export const DEFAULT_HEARTBEAT_EVERY = "30m";
/** A reply that is only an acknowledgment plus at most this much text is not delivered (OpenClaw's fixed budget). */
export const HEARTBEAT_ACK_MAX_CHARS = 300;
/** The longest a heartbeat turn may run when neither the heartbeat nor the agent sets a timeout. */
const MAX_DEFAULT_TIMEOUT_MS = 600_000;
export const DEFAULT_HEARTBEAT_PROMPT =
  "Read HEARTBEAT.md from your workspace context and follow it. Do not infer or repeat old tasks from earlier chats. If nothing needs attention, reply HEARTBEAT_OK.";

const CLOCK_TIME = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;

const ActiveHoursSchema = z.object({
  start: z.string().regex(CLOCK_TIME, { error: 'must be a time such as "08:00"' }),
  end: z.string().regex(CLOCK_TIME, { error: 'must be a time such as "22:00" (or "24:00")' }),
  /** An IANA zone such as "Europe/Berlin"; `agents.defaults.userTimezone`, else the host's zone, when absent. */
  timezone: z.string().min(1).optional(),
});
export type ActiveHours = z.infer<typeof ActiveHoursSchema>;

/** OpenClaw's `agents.defaults.heartbeat` / per-agent `heartbeat` block; keys this gateway does not use are kept. */
export const HeartbeatConfigSchema = z.looseObject({
  every: z.union([z.string(), z.number()]).optional(),
  model: z.string().min(1).optional(),
  prompt: z.string().min(1).optional(),
  target: z.string().min(1).optional(),
  to: z.string().min(1).optional(),
  accountId: z.string().min(1).optional(),
  session: z.string().min(1).optional(),
  activeHours: ActiveHoursSchema.optional(),
  timeoutSeconds: z.number().positive().optional(),
});
export type HeartbeatConfig = z.infer<typeof HeartbeatConfigSchema>;

/** Keys of OpenClaw's heartbeat block this gateway reads; any other key is reported once at start. */
export const SUPPORTED_HEARTBEAT_KEYS = new Set(Object.keys(HeartbeatConfigSchema.shape));

/** One agent's heartbeat as it will run. */
export interface AgentHeartbeat {
  agentId: string;
  /** False when `every` is 0: no scheduled polls. */
  enabled: boolean;
  every: string;
  everyMs: number;
  prompt: string;
  /** `owner` (default), `last`, `none`, or a channel id. */
  target: string;
  to?: string;
  accountId?: string;
  model?: string;
  session?: string;
  activeHours?: ActiveHours;
  timeoutMs: number;
  ackMaxChars: number;
  /** Keys of the block this gateway does not act on (reported, never silently ignored). */
  unsupportedKeys: string[];
}

const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/i;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `"30m"`, `"1h"`, `"90s"`, `45` (minutes, OpenClaw's default unit); undefined when unreadable. */
export function parseHeartbeatEvery(value: string | number): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? value * 60_000 : undefined;
  const match = DURATION.exec(value.trim());
  if (!match) return undefined;
  const unit = (match[2] ?? "m").toLowerCase();
  return Math.round(Number(match[1]) * (UNIT_MS[unit] ?? 60_000));
}

export class HeartbeatConfigError extends Error {
  readonly code = "HEARTBEAT_CONFIG_INVALID";
  constructor(message: string) {
    super(message);
    this.name = "HeartbeatConfigError";
  }
}

function parseBlock(raw: unknown, path: string): HeartbeatConfig {
  const parsed = HeartbeatConfigSchema.safeParse(raw ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${path}.${issue.path.join(".")}` : path;
  throw new HeartbeatConfigError(`${where} ${issue?.message ?? "is invalid"}: fix it in openclaw.json`);
}

/**
 * The heartbeats the config asks for, as OpenClaw resolves them: when any agent has its own `heartbeat` block only
 * those agents run one (merged over `agents.defaults.heartbeat`); otherwise the default agent runs the defaults.
 * Throws {@link HeartbeatConfigError} naming the key for a malformed block.
 */
export function resolveHeartbeats(config: OpenClawConfig): AgentHeartbeat[] {
  const defaults = config.agents.defaults as Record<string, unknown>;
  const base = parseBlock(defaults.heartbeat, "agents.defaults.heartbeat");
  // OpenClaw: an unset heartbeat timeout follows agents.defaults.timeoutSeconds (this runtime's older timeoutMs too).
  const agentTimeoutMs =
    typeof defaults.timeoutSeconds === "number"
      ? defaults.timeoutSeconds * 1000
      : typeof defaults.timeoutMs === "number"
        ? defaults.timeoutMs
        : undefined;
  const entries = listConfiguredAgents(config) as { id: string; heartbeat?: unknown }[];
  const own = entries.filter((entry) => entry.heartbeat !== undefined);
  const chosen =
    own.length > 0
      ? own.map((entry) => ({
          agentId: entry.id,
          block: {
            ...base,
            ...parseBlock(entry.heartbeat, `agents.list[${entries.indexOf(entry)}].heartbeat`),
          },
        }))
      : [{ agentId: defaultAgentId(config), block: base }];
  return chosen.map(({ agentId, block }) => {
    const every = block.every ?? DEFAULT_HEARTBEAT_EVERY;
    const everyMs = parseHeartbeatEvery(every);
    if (everyMs === undefined) {
      throw new HeartbeatConfigError(
        `heartbeat.every of agent "${agentId}" is ${JSON.stringify(every)}: use a duration such as "30m" or "1h" ("0m" turns scheduled heartbeats off)`,
      );
    }
    const timeoutMs =
      block.timeoutSeconds !== undefined
        ? Math.round(block.timeoutSeconds * 1000)
        : (agentTimeoutMs ?? Math.min(Math.max(everyMs, 60_000), MAX_DEFAULT_TIMEOUT_MS));
    return {
      agentId,
      enabled: everyMs > 0,
      every: String(every),
      everyMs,
      prompt: block.prompt ?? DEFAULT_HEARTBEAT_PROMPT,
      target: block.target ?? "owner",
      ...(block.to ? { to: block.to } : {}),
      ...(block.accountId ? { accountId: block.accountId } : {}),
      ...(block.model ? { model: block.model } : {}),
      ...(block.session ? { session: block.session } : {}),
      ...(block.activeHours ? { activeHours: block.activeHours } : {}),
      timeoutMs,
      ackMaxChars: HEARTBEAT_ACK_MAX_CHARS,
      unsupportedKeys: Object.keys(block).filter((key) => !SUPPORTED_HEARTBEAT_KEYS.has(key)),
    };
  });
}
