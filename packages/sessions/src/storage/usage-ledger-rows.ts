import { SessionError } from "../session-error.js";
import {
  USAGE_LIMITS,
  type UsageGroup,
  type UsageGroupKey,
  type UsageQuery,
  type UsageRow,
} from "./usage-ledger.js";

const GROUP_KEYS: readonly UsageGroupKey[] = ["session", "agent", "channel", "model"];

function invalid(message: string, details?: Record<string, unknown>): SessionError {
  return new SessionError("INVALID_STORAGE_REQUEST", message, details ? { details } : {});
}

function assertText(value: unknown, field: string, max: number, optional = false): void {
  if (optional && value === undefined) return;
  if (typeof value === "string" && value.length > 0 && value.length <= max) return;
  throw invalid(`usage row ${field} must be a non-empty string of at most ${max} characters`, { field });
}

function assertCount(value: unknown, field: string, max: number): void {
  if (typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= max) return;
  throw invalid(`usage row ${field} must be an integer from 0 to ${max}, got ${String(value)}`, { field });
}

function assertCost(value: unknown, field: string): void {
  if (value === null) return;
  if (typeof value === "number" && Number.isFinite(value) && value >= 0 && value <= USAGE_LIMITS.maxCost)
    return;
  throw invalid(
    `usage row ${field} must be null (no price) or dollars from 0 to ${USAGE_LIMITS.maxCost}, got ${String(value)}`,
    { field },
  );
}

/**
 * Checks rows before a driver stores them: every text bounded, every count a bounded integer, every cost null or
 * finite dollars, and either all five costs set or none (a row is priced or it is not).
 */
export function assertUsageRows(rows: readonly UsageRow[]): void {
  if (!Array.isArray(rows) || rows.length > USAGE_LIMITS.rowsPerRecord) {
    throw invalid(`record at most ${USAGE_LIMITS.rowsPerRecord} usage rows per call; split the batch`);
  }
  for (const row of rows) {
    assertCount(row.ts, "ts", Number.MAX_SAFE_INTEGER);
    assertText(row.runId, "runId", USAGE_LIMITS.idChars);
    assertText(row.sessionKey, "sessionKey", USAGE_LIMITS.keyChars);
    assertText(row.sessionId, "sessionId", USAGE_LIMITS.idChars, true);
    assertText(row.agentId, "agentId", USAGE_LIMITS.idChars);
    assertText(row.channel, "channel", USAGE_LIMITS.idChars, true);
    assertText(row.provider, "provider", USAGE_LIMITS.idChars);
    assertText(row.model, "model", USAGE_LIMITS.idChars);
    for (const field of [
      "calls",
      "input",
      "output",
      "cacheRead",
      "cacheWrite",
      "toolCalls",
      "errors",
    ] as const) {
      assertCount(row[field], field, USAGE_LIMITS.maxTokens);
    }
    if (row.durationMs !== undefined) assertCount(row.durationMs, "durationMs", USAGE_LIMITS.maxTokens);
    if (row.firstOfTurn !== undefined && typeof row.firstOfTurn !== "boolean") {
      throw invalid("usage row firstOfTurn must be a boolean when set", { field: "firstOfTurn" });
    }
    const costs = [row.costInput, row.costOutput, row.costCacheRead, row.costCacheWrite, row.costTotal];
    costs.forEach((cost, index) => {
      assertCost(
        cost,
        ["costInput", "costOutput", "costCacheRead", "costCacheWrite", "costTotal"][index] ?? "",
      );
    });
    if (costs.some((cost) => cost === null) && costs.some((cost) => cost !== null)) {
      throw invalid("usage row costs must all be set (priced) or all be null (no price)", {
        runId: row.runId,
      });
    }
  }
}

export function assertUsageQuery(q: UsageQuery): void {
  if (!Number.isFinite(q.from) || !Number.isFinite(q.to)) {
    throw invalid("usage query from and to must be epoch milliseconds");
  }
  if (!Array.isArray(q.groupBy) || q.groupBy.some((key) => !GROUP_KEYS.includes(key))) {
    throw invalid(`usage query groupBy takes ${GROUP_KEYS.join(", ")}`, { groupBy: q.groupBy });
  }
  if (q.sessionKeys !== undefined && q.sessionKeys.length > USAGE_LIMITS.sessionKeysPerQuery) {
    throw invalid(`usage query takes at most ${USAGE_LIMITS.sessionKeysPerQuery} session keys; page them`);
  }
  if (q.agentId !== undefined) assertText(q.agentId, "agentId", USAGE_LIMITS.idChars);
  const bucket = q.bucket;
  if (
    bucket &&
    !(
      Number.isInteger(bucket.sizeMs) &&
      bucket.sizeMs >= USAGE_LIMITS.minBucketMs &&
      Number.isInteger(bucket.offsetMs) &&
      Math.abs(bucket.offsetMs) <= 86_400_000
    )
  ) {
    throw invalid(
      `usage query bucket needs an integer sizeMs of at least ${USAGE_LIMITS.minBucketMs} and an offsetMs within a day`,
    );
  }
}

export function emptyUsageGroup(): UsageGroup {
  return {
    rows: 0,
    turns: 0,
    calls: 0,
    input: 0,
    output: 0,
    cacheRead: 0,
    cacheWrite: 0,
    costInput: 0,
    costOutput: 0,
    costCacheRead: 0,
    costCacheWrite: 0,
    costTotal: 0,
    unpriced: 0,
    toolCalls: 0,
    errors: 0,
    durationCount: 0,
    durationSum: 0,
    durationMin: 0,
    durationMax: 0,
    firstTs: 0,
    lastTs: 0,
  };
}

/** `floor((ts + offset) / size)`, the bucket SQL drivers compute (for `ts + offset >= 0`). */
export function usageBucketOf(ts: number, bucket: { sizeMs: number; offsetMs: number }): number {
  return Math.floor((ts + bucket.offsetMs) / bucket.sizeMs);
}

/**
 * The reference implementation of `UsageLedger.query` over rows in memory: the memory storage answers with it, and
 * SQL drivers must answer the same (the conformance suite compares).
 */
export function groupUsageRows(rows: Iterable<UsageRow>, q: UsageQuery): UsageGroup[] {
  const sessions = q.sessionKeys ? new Set(q.sessionKeys) : undefined;
  const groups = new Map<string, UsageGroup>();
  for (const row of rows) {
    if (row.ts < q.from || row.ts > q.to) continue;
    if (q.agentId !== undefined && row.agentId !== q.agentId) continue;
    if (sessions && !sessions.has(row.sessionKey)) continue;
    const fields: Partial<UsageGroup> = {};
    if (q.groupBy.includes("session")) fields.sessionKey = row.sessionKey;
    if (q.groupBy.includes("agent")) fields.agentId = row.agentId;
    if (q.groupBy.includes("channel")) fields.channel = row.channel ?? null;
    if (q.groupBy.includes("model")) {
      fields.provider = row.provider;
      fields.model = row.model;
    }
    if (q.bucket) fields.bucket = usageBucketOf(row.ts, q.bucket);
    const id = JSON.stringify(fields);
    let group = groups.get(id);
    if (!group) {
      group = { ...fields, ...emptyUsageGroup(), firstTs: row.ts, lastTs: row.ts };
      groups.set(id, group);
    }
    addRow(group, row);
  }
  return [...groups.values()];
}

function addRow(group: UsageGroup, row: UsageRow): void {
  group.rows += 1;
  if (row.firstOfTurn !== false) group.turns += 1;
  group.calls += row.calls;
  group.input += row.input;
  group.output += row.output;
  group.cacheRead += row.cacheRead;
  group.cacheWrite += row.cacheWrite;
  if (row.costTotal === null) group.unpriced += 1;
  group.costInput += row.costInput ?? 0;
  group.costOutput += row.costOutput ?? 0;
  group.costCacheRead += row.costCacheRead ?? 0;
  group.costCacheWrite += row.costCacheWrite ?? 0;
  group.costTotal += row.costTotal ?? 0;
  group.toolCalls += row.toolCalls;
  group.errors += row.errors;
  if (row.durationMs !== undefined) {
    group.durationMin =
      group.durationCount === 0 ? row.durationMs : Math.min(group.durationMin, row.durationMs);
    group.durationMax = Math.max(group.durationMax, row.durationMs);
    group.durationCount += 1;
    group.durationSum += row.durationMs;
  }
  group.firstTs = Math.min(group.firstTs, row.ts);
  group.lastTs = Math.max(group.lastTs, row.ts);
}
