import {
  ErrorDetailCodes,
  GatewayError,
  type SessionsUsageParams,
  type SessionsUsageResult,
  type UsageCostParams,
  type UsageCostResult,
} from "@openclaw/protocol";
import { defaultAgentId } from "../config/configured-agents.js";
import type { GatewayRuntime } from "../runtime/gateway-runtime.js";
import { sessionsUsageReport } from "../usage/sessions-usage-report.js";
import { usageCostReport } from "../usage/usage-cost-report.js";
import { resolveUsageRange } from "../usage/usage-range.js";
import { listAgents } from "./agents-methods.js";

const DEFAULT_SESSIONS_LIMIT = 50;

function invalidParams(message: string): GatewayError {
  return new GatewayError("INVALID_REQUEST", message, { details: { code: ErrorDetailCodes.INVALID_PARAMS } });
}

function assertKnownAgent(runtime: GatewayRuntime, agentId: string): string {
  if (!listAgents(runtime).some((agent) => agent.id === agentId)) {
    throw new GatewayError("INVALID_REQUEST", `unknown agent "${agentId}": see agents.list`, {
      details: { code: ErrorDetailCodes.AGENT_NOT_FOUND, agentId },
    });
  }
  return agentId;
}

/** Which agent's usage counts: OpenClaw's rule (one agent, the default when none is named; or all of them). */
function agentScope(
  runtime: GatewayRuntime,
  params: { agentId?: string; agentScope?: "all" } | undefined,
): string | undefined {
  if (params?.agentScope === "all") {
    if (params.agentId)
      throw invalidParams("agentScope=all cannot be combined with agentId: pass one of them");
    return undefined;
  }
  return assertKnownAgent(runtime, params?.agentId ?? defaultAgentId(runtime.configState.config));
}

/** `agent:<id>:...` names its agent; any other key belongs to the default agent. */
function agentOfKey(runtime: GatewayRuntime, key: string): string {
  return /^agent:([^:]+):/.exec(key)?.[1] ?? defaultAgentId(runtime.configState.config);
}

/**
 * `usage.cost`: tokens and dollars per day and in all, summed by the storage from the usage ledger (one row per
 * turn and model), for the default agent, a named one, or every agent.
 */
export async function usageCost(runtime: GatewayRuntime, params: UsageCostParams): Promise<UsageCostResult> {
  const now = Date.now();
  const range = resolveUsageRange(params ?? {}, now);
  return usageCostReport(runtime.storage?.usage, range, agentScope(runtime, params), now);
}

/**
 * `sessions.usage`: the sessions with usage in range (newest turn first, `limit` of them, default 50) with their
 * breakdowns, and the aggregates of all of them. A `key` narrows it to that session (of the agent its key names).
 */
export async function sessionsUsage(
  runtime: GatewayRuntime,
  params: SessionsUsageParams,
): Promise<SessionsUsageResult> {
  const now = Date.now();
  const p = params ?? {};
  const range = resolveUsageRange(p, now);
  if (p.agentScope === "all" && (p.agentId || p.key)) {
    throw invalidParams("agentScope=all cannot be combined with key or agentId: pass one of them");
  }
  let agentId: string | undefined;
  if (p.key !== undefined) {
    agentId = assertKnownAgent(runtime, p.agentId ?? agentOfKey(runtime, p.key));
  } else {
    agentId = agentScope(runtime, p);
  }
  return sessionsUsageReport(runtime.storage?.usage, runtime.sessions, {
    range,
    ...(agentId === undefined ? {} : { agentId }),
    ...(p.key === undefined ? {} : { key: p.key }),
    ...(p.creatorKey === undefined ? {} : { creatorKey: p.creatorKey }),
    limit: p.limit ?? DEFAULT_SESSIONS_LIMIT,
    now,
  });
}
