import { type StatusResult, scopeSatisfies } from "@openclaw/protocol";
import { buildMainSessionKey, type SessionStoreRow } from "@openclaw/sessions";
import { defaultAgentId } from "../config/configured-agents.js";
import type { GatewayRuntime } from "../runtime/gateway-runtime.js";
import { listAgents } from "./agents-methods.js";
import { sessionDefaults } from "./session-defaults.js";

type OpenClawStatusSummary = Pick<
  StatusResult,
  | "runtimeVersion"
  | "heartbeat"
  | "channelSummary"
  | "queuedSystemEvents"
  | "tasks"
  | "taskAudit"
  | "sessions"
  | "cliProjection"
>;
type StatusSession = StatusResult["sessions"]["recent"][number];

/** Recent sessions OpenClaw's summary lists, overall and per agent. */
const RECENT_SESSIONS = 10;

/**
 * OpenClaw's status summary, the part of `status` its `openclaw status` reads. Session paths and recent sessions go
 * to admins only, as OpenClaw redacts them for `operator.read`. Background tasks are OpenClaw's task registry
 * (sub-agent, ACP, CLI and cron tasks tracked as tasks), which this gateway does not keep: the counts are zero.
 */
export async function openClawStatusSummary(
  runtime: GatewayRuntime,
  options: { scopes: readonly string[]; includeCliProjection: boolean },
): Promise<OpenClawStatusSummary> {
  const config = runtime.configState.config;
  const defaultId = defaultAgentId(config);
  const agents = listAgents(runtime);
  const sensitive = scopeSatisfies(options.scopes, "operator.admin");
  const now = Date.now();
  const byAgent = await Promise.all(
    agents.map(async (agent) => {
      const { rows, total } = await runtime.sessions.list({ agentId: agent.id, limit: RECENT_SESSIONS });
      return {
        agentId: agent.id,
        path: sensitive ? runtime.sessions.indexPath : "[redacted]",
        count: total,
        recent: sensitive ? rows.map((row) => statusSession(row, now)) : [],
      };
    }),
  );
  const recent = sensitive
    ? (await runtime.sessions.list({ limit: RECENT_SESSIONS })).rows.map((row) => statusSession(row, now))
    : [];
  const defaults = sessionDefaults(runtime, defaultId);
  const summary: OpenClawStatusSummary = {
    runtimeVersion: runtime.version,
    heartbeat: {
      defaultAgentId: defaultId,
      agents: runtime.heartbeat.summaries().map((heartbeat) => ({
        agentId: heartbeat.agentId,
        enabled: heartbeat.enabled,
        every: heartbeat.every,
        everyMs: heartbeat.everyMs,
        waitingForRoute: waitsForRoute(runtime, heartbeat),
      })),
    },
    // OpenClaw's summary lines are its channel plugins' own text; `channels.status` answers the same question.
    channelSummary: [],
    queuedSystemEvents: [],
    tasks: {
      total: 0,
      active: 0,
      terminal: 0,
      failures: 0,
      byStatus: { queued: 0, running: 0, succeeded: 0, failed: 0, timed_out: 0, cancelled: 0, lost: 0 },
      byRuntime: { subagent: 0, acp: 0, cli: 0, cron: 0 },
    },
    taskAudit: {
      total: 0,
      warnings: 0,
      errors: 0,
      byCode: {
        stale_queued: 0,
        stale_running: 0,
        lost: 0,
        delivery_failed: 0,
        missing_cleanup: 0,
        inconsistent_timestamps: 0,
      },
    },
    sessions: {
      paths: sensitive ? [runtime.sessions.indexPath] : [],
      count: await runtime.sessions.count(),
      defaults: {
        model:
          defaults.modelProvider && defaults.model ? `${defaults.modelProvider}/${defaults.model}` : null,
        contextTokens: defaults.contextTokens,
      },
      recent,
      byAgent,
    },
  };
  if (options.includeCliProjection) {
    summary.cliProjection = {
      agents: {
        defaultId,
        ownership: "sole",
        selectionRequired: false,
        rows: agents.map((agent) => (agent.name ? { id: agent.id, name: agent.name } : { id: agent.id })),
      },
    };
  }
  return summary;
}

/** A heartbeat sent to the "last" route waits while its session has not heard from any channel yet. */
function waitsForRoute(
  runtime: GatewayRuntime,
  heartbeat: { agentId: string; enabled: boolean; target: string; session?: string },
): boolean {
  if (!heartbeat.enabled || heartbeat.target !== "last") return false;
  const mainKey = runtime.configState.config.session.mainKey;
  const session = heartbeat.session?.trim();
  const key =
    !session || session === "main"
      ? buildMainSessionKey(heartbeat.agentId, mainKey)
      : session.startsWith("agent:")
        ? session
        : `agent:${heartbeat.agentId}:${session}`;
  return runtime.channels.lastRouteOf(key) === undefined;
}

function statusSession(row: SessionStoreRow, now: number): StatusSession {
  const updatedAt = row.updatedAt ?? null;
  const session: StatusSession = {
    agentId: row.agentId ?? "main",
    key: row.key,
    kind: row.kind,
    updatedAt,
    age: updatedAt === null ? null : Math.max(0, now - updatedAt),
    totalTokens: row.totalTokens ?? null,
    // We do not know whether the token total reflects the current context (OpenClaw's "fresh"), so: not fresh.
    totalTokensFresh: false,
    remainingTokens: null,
    percentUsed: null,
    model: row.model ?? null,
    contextTokens: null,
    flags: [],
  };
  if (row.sessionId !== undefined) session.sessionId = row.sessionId;
  if (row.inputTokens !== undefined) session.inputTokens = row.inputTokens;
  if (row.outputTokens !== undefined) session.outputTokens = row.outputTokens;
  return session;
}
