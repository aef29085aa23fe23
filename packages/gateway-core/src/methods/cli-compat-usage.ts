import {
  type CostUsageTotals,
  ErrorDetailCodes,
  GatewayError,
  type UsageCostParams,
  type UsageCostResult,
} from "@openclaw/protocol";
import type { SessionStore, TranscriptEntry } from "@openclaw/sessions";
import { defaultAgentId } from "../config/configured-agents.js";
import type { GatewayRuntime } from "../runtime/gateway-runtime.js";
import { listAgents } from "./agents-methods.js";

const DAY_MS = 86_400_000;
const DEFAULT_DAYS = 30;
const LIST_PAGE = 500;

function emptyTotals(): CostUsageTotals {
  return {
    input: 0,
    output: 0,
    cacheRead: 0,
    cacheWrite: 0,
    totalTokens: 0,
    totalCost: 0,
    inputCost: 0,
    outputCost: 0,
    cacheReadCost: 0,
    cacheWriteCost: 0,
    missingCostEntries: 0,
  };
}

function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function dayStart(date: string): number {
  return Date.parse(`${date}T00:00:00.000Z`);
}

/** The UTC days asked for: `startDate`..`endDate` when given, else the last `days` days up to today. */
export function usageRange(
  params: UsageCostParams,
  now: number,
): { startMs: number; endMs: number; days: number } {
  const endDate = params?.endDate ?? utcDay(now);
  const days = params?.days ?? DEFAULT_DAYS;
  const startDate = params?.startDate ?? utcDay(dayStart(endDate) - (days - 1) * DAY_MS);
  const startMs = dayStart(startDate);
  const endMs = dayStart(endDate) + DAY_MS - 1;
  if (Number.isNaN(startMs) || Number.isNaN(endMs) || startMs > endMs) {
    throw new GatewayError(
      "INVALID_REQUEST",
      `usage range ${startDate}..${endDate} is empty: startDate must not be after endDate`,
      {
        details: { code: ErrorDetailCodes.INVALID_PARAMS },
      },
    );
  }
  return { startMs, endMs, days: Math.round((endMs + 1 - startMs) / DAY_MS) };
}

/** Which agents' sessions count: OpenClaw's rule (one agent, the default when none is named; or all of them). */
function agentFilter(runtime: GatewayRuntime, params: UsageCostParams): string | undefined {
  if (params?.agentScope === "all") {
    if (params.agentId) {
      throw new GatewayError(
        "INVALID_REQUEST",
        "agentScope=all cannot be combined with agentId: pass one of them",
        {
          details: { code: ErrorDetailCodes.INVALID_PARAMS },
        },
      );
    }
    return undefined;
  }
  const agentId = params?.agentId ?? defaultAgentId(runtime.configState.config);
  if (!listAgents(runtime).some((agent) => agent.id === agentId)) {
    throw new GatewayError("INVALID_REQUEST", `unknown agent "${agentId}": see agents.list`, {
      details: { code: ErrorDetailCodes.AGENT_NOT_FOUND, agentId },
    });
  }
  return agentId;
}

/** Keys of the sessions (of that agent, archived ones included) touched since `sinceMs`. */
async function sessionsTouchedSince(
  store: SessionStore,
  agentId: string | undefined,
  sinceMs: number,
): Promise<string[]> {
  const keys: string[] = [];
  for (let offset = 0; ; offset += LIST_PAGE) {
    const { rows, total } = await store.list({
      limit: LIST_PAGE,
      offset,
      archived: "all",
      includeGlobal: true,
      includeUnknown: true,
      ...(agentId ? { agentId } : {}),
    });
    for (const row of rows) if ((row.updatedAt ?? 0) >= sinceMs) keys.push(row.key);
    if (rows.length === 0 || offset + rows.length >= total) return keys;
  }
}

function tokenCount(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.round(value) : 0;
}

/** Adds one model answer's recorded usage; it has no price here, so it is a missing-cost entry of its model. */
function addAnswer(
  totals: CostUsageTotals,
  entry: TranscriptEntry & { usage?: unknown; model?: unknown },
): void {
  const usage = (entry.usage ?? {}) as { inputTokens?: unknown; outputTokens?: unknown };
  const input = tokenCount(usage.inputTokens);
  const output = tokenCount(usage.outputTokens);
  totals.input += input;
  totals.output += output;
  totals.totalTokens += input + output;
  totals.missingCostEntries += 1;
  const model = typeof entry.model === "string" && entry.model.length > 0 ? entry.model : "unknown/unknown";
  totals.missingCostByModel ??= {};
  totals.missingCostByModel[model] = (totals.missingCostByModel[model] ?? 0) + 1;
}

function addInto(target: CostUsageTotals, source: CostUsageTotals): void {
  for (const field of [
    "input",
    "output",
    "cacheRead",
    "cacheWrite",
    "totalTokens",
    "missingCostEntries",
  ] as const) {
    target[field] += source[field];
  }
  for (const [model, count] of Object.entries(source.missingCostByModel ?? {})) {
    target.missingCostByModel ??= {};
    target.missingCostByModel[model] = (target.missingCostByModel[model] ?? 0) + count;
  }
}

/**
 * `usage.cost`: the tokens every model answer in range recorded, per UTC day and in all, from the transcripts of
 * the sessions touched in range. Days without answers are left out, as OpenClaw does.
 */
export async function usageCost(runtime: GatewayRuntime, params: UsageCostParams): Promise<UsageCostResult> {
  const now = Date.now();
  const { startMs, endMs, days } = usageRange(params, now);
  const agentId = agentFilter(runtime, params);
  const byDay = new Map<string, CostUsageTotals>();
  for (const key of await sessionsTouchedSince(runtime.sessions, agentId, startMs)) {
    for (const entry of await runtime.sessions.readTranscript(key)) {
      if (entry.role !== "assistant" || !("usage" in entry) || entry.ts < startMs || entry.ts > endMs)
        continue;
      const date = utcDay(entry.ts);
      const day = byDay.get(date) ?? emptyTotals();
      addAnswer(day, entry);
      byDay.set(date, day);
    }
  }
  const daily = [...byDay.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([date, totals]) => ({ date, ...totals }));
  const totals = emptyTotals();
  for (const day of byDay.values()) addInto(totals, day);
  return { updatedAt: now, days, daily, totals };
}
