import { z } from "zod";

/**
 * The config the session tools read, in OpenClaw's keys:
 * - `tools.sessions.visibility`: which sessions the tools may see and target. OpenClaw 2026.9 defaults to "all"
 *   (every session of every agent, other users' included); here the default is "tree" (the caller, the sessions it
 *   spawned, and from the agent's main session every session of the same agent), as the safer choice.
 * - `tools.agentToAgent`: whether (and which) agents may reach each other's sessions under "all".
 * - `agents.defaults.subagents` and per-agent `subagents`: what `sessions_spawn` may start.
 */

export const SESSION_VISIBILITIES = ["self", "tree", "agent", "all"] as const;
export type SessionVisibility = (typeof SESSION_VISIBILITIES)[number];

/** `tools.sessions`. */
export const SessionToolsConfigSchema = z.looseObject({
  visibility: z.enum(SESSION_VISIBILITIES).default("tree"),
});

/** `tools.agentToAgent`. An omitted or empty `allow` lets every agent reach every other one. */
export const AgentToAgentConfigSchema = z.looseObject({
  enabled: z.boolean().default(true),
  allow: z.array(z.string().max(128)).max(256).optional(),
});

/** `agents.defaults.subagents` (and `subagents` of one agent entry, which overrides it field by field). */
export const SubagentsConfigSchema = z.looseObject({
  /** How deep sub-agents may nest: a session at this depth spawns no more (OpenClaw: 1-5, default 5). */
  maxSpawnDepth: z.int().min(1).max(5).optional(),
  /** Children one session may have running or queued at once (OpenClaw: 1-20, default 5). */
  maxChildrenPerAgent: z.int().min(1).max(20).optional(),
  /** Sub-agent runs of the whole gateway at once; more wait their turn (default 8). */
  maxConcurrent: z.int().min(1).max(64).optional(),
  /** Default child run timeout; 0 means the runtime's own default. */
  runTimeoutSeconds: z.int().min(0).max(86_400).optional(),
  /** Agent ids `sessions_spawn` may target besides the caller's own; ["*"] allows any configured agent. */
  allowAgents: z.array(z.string().max(128)).max(256).optional(),
  /** `<provider>/<model>` for sub-agents when the call names none. */
  model: z.string().min(1).max(256).optional(),
  /** Every spawn must name `agentId`. */
  requireAgentId: z.boolean().optional(),
});

export type SubagentsConfig = z.infer<typeof SubagentsConfigSchema>;

export interface SubagentSettings {
  maxSpawnDepth: number;
  maxChildrenPerAgent: number;
  maxConcurrent: number;
  runTimeoutSeconds: number;
  allowAgents?: string[];
  model?: string;
  requireAgentId: boolean;
}

/** What the session tools read on every call (so a config reload applies to the next call). */
export interface SessionToolSettings {
  visibility: SessionVisibility;
  agentToAgent: { enabled: boolean; allow?: string[] };
  subagents: SubagentSettings;
}

export const SUBAGENT_DEFAULTS = {
  maxSpawnDepth: 5,
  maxChildrenPerAgent: 5,
  maxConcurrent: 8,
  runTimeoutSeconds: 0,
} as const;

const RawConfigSchema = z.looseObject({
  tools: z.looseObject({ sessions: z.unknown().optional(), agentToAgent: z.unknown().optional() }).optional(),
  agents: z
    .looseObject({
      defaults: z.looseObject({ subagents: z.unknown().optional() }).optional(),
      list: z.array(z.looseObject({ id: z.string(), subagents: z.unknown().optional() })).optional(),
      entries: z.record(z.string(), z.looseObject({ subagents: z.unknown().optional() })).optional(),
    })
    .optional(),
});

/**
 * The settings for one calling agent from a whole OpenClaw config object (the gateway's parsed config): the
 * agent's own `subagents` fields win over `agents.defaults.subagents`. Throws a ZodError naming the bad key.
 */
export function resolveSessionToolSettings(config: unknown, agentId: string): SessionToolSettings {
  const raw = RawConfigSchema.parse(config ?? {});
  const sessions = SessionToolsConfigSchema.parse(raw.tools?.sessions ?? {});
  const agentToAgent = AgentToAgentConfigSchema.parse(raw.tools?.agentToAgent ?? {});
  const defaults = SubagentsConfigSchema.parse(raw.agents?.defaults?.subagents ?? {});
  const entry =
    raw.agents?.entries?.[agentId] ?? raw.agents?.list?.find((candidate) => candidate.id === agentId);
  const own = SubagentsConfigSchema.parse(entry?.subagents ?? {});
  const merged = { ...defaults, ...stripUndefined(own) };
  return {
    visibility: sessions.visibility,
    agentToAgent: {
      enabled: agentToAgent.enabled,
      ...(agentToAgent.allow ? { allow: agentToAgent.allow } : {}),
    },
    subagents: {
      maxSpawnDepth: merged.maxSpawnDepth ?? SUBAGENT_DEFAULTS.maxSpawnDepth,
      maxChildrenPerAgent: merged.maxChildrenPerAgent ?? SUBAGENT_DEFAULTS.maxChildrenPerAgent,
      maxConcurrent: merged.maxConcurrent ?? SUBAGENT_DEFAULTS.maxConcurrent,
      runTimeoutSeconds: merged.runTimeoutSeconds ?? SUBAGENT_DEFAULTS.runTimeoutSeconds,
      ...(merged.allowAgents ? { allowAgents: merged.allowAgents } : {}),
      ...(merged.model ? { model: merged.model } : {}),
      requireAgentId: merged.requireAgentId ?? false,
    },
  };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
