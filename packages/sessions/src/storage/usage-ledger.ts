/**
 * The usage ledger: one row per agent turn and model (the tokens of that turn's model calls, summed, and their cost
 * at the price configured when the turn ran). `usage.cost`, `sessions.usage` and `openclaw usage` are answered by
 * grouped sums over these rows (GROUP BY in the database), never by re-reading transcripts.
 *
 * Optional on the port (`SessionStorage.usage`): a store written before the ledger existed still works, and the
 * usage methods then answer zeros with a note saying why.
 */

/** One turn's usage of one model. Costs are US dollars; null means "no price configured" (not free). */
export interface UsageRow {
  /** When the turn ended, epoch milliseconds. */
  ts: number;
  runId: string;
  sessionKey: string;
  /** The session's transcript id at that turn (a reset starts a new one under the same key). */
  sessionId?: string;
  agentId: string;
  /** Where the turn came from: a channel id ("telegram"), "webchat", "http", "cron"; absent when unknown. */
  channel?: string;
  provider: string;
  model: string;
  /** Provider requests (tool-loop steps) of this model in the turn. */
  calls: number;
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  costInput: number | null;
  costOutput: number | null;
  costCacheRead: number | null;
  costCacheWrite: number | null;
  costTotal: number | null;
  /** Wall time of this model's calls in the turn (sum of request durations), when measured. */
  durationMs?: number;
  toolCalls: number;
  /** Failed model calls plus failed tool calls of the turn. */
  errors: number;
  /**
   * False on the rows of a turn's second and later models (a fallback), so `turns` counts each turn once. Absent:
   * the row starts its turn.
   */
  firstOfTurn?: boolean;
}

/** What a query can group by; "model" groups by provider and model together. */
export type UsageGroupKey = "session" | "agent" | "channel" | "model";

/**
 * The columns SQL drivers keep each grouping key in (the names the first-party schemas use), with the `UsageGroup`
 * field each one answers as.
 */
export const USAGE_GROUP_COLUMNS: Record<UsageGroupKey, ReadonlyArray<{ column: string; field: string }>> = {
  session: [{ column: "session_key", field: "sessionKey" }],
  agent: [{ column: "agent_id", field: "agentId" }],
  channel: [{ column: "channel", field: "channel" }],
  model: [
    { column: "provider", field: "provider" },
    { column: "model", field: "model" },
  ],
};

export interface UsageQuery {
  /** Inclusive range on `ts`, epoch milliseconds. */
  from: number;
  to: number;
  agentId?: string;
  /** Only these sessions (at most {@link USAGE_LIMITS.sessionKeysPerQuery}). */
  sessionKeys?: readonly string[];
  groupBy: readonly UsageGroupKey[];
  /**
   * Also group by time bucket: `floor((ts + offsetMs) / sizeMs)`. A day in a fixed UTC offset is
   * `{ sizeMs: 86_400_000, offsetMs: offsetMinutes * 60_000 }`; quarter hours (`sizeMs: 900_000`) can be
   * re-bucketed by any IANA zone, whose offsets are all whole quarter hours.
   */
  bucket?: { sizeMs: number; offsetMs: number };
}

/** One group's sums. Grouping fields are set when grouped by; costs sum the priced rows only. */
export interface UsageGroup {
  sessionKey?: string;
  agentId?: string;
  /** Null: rows recorded without a channel. */
  channel?: string | null;
  provider?: string;
  model?: string;
  bucket?: number;
  /** Ledger rows (turn × model) in the group: the turns each model answered. */
  rows: number;
  /** Turns started in the group (rows not marked `firstOfTurn: false`). */
  turns: number;
  calls: number;
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  costInput: number;
  costOutput: number;
  costCacheRead: number;
  costCacheWrite: number;
  costTotal: number;
  /** Rows without a price (their tokens count, their cost does not). */
  unpriced: number;
  toolCalls: number;
  errors: number;
  /** Rows with a duration, and the sum, minimum and maximum of those durations (0 when none). */
  durationCount: number;
  durationSum: number;
  durationMin: number;
  durationMax: number;
  firstTs: number;
  lastTs: number;
}

export interface UsageLedger {
  /**
   * Stores rows durably. Idempotent per (runId, provider, model): a row already stored is kept and the new one
   * ignored, so a retried batch never counts a turn twice.
   */
  record(rows: readonly UsageRow[]): Promise<void>;
  /** Sums of the rows in range, one element per group (in no particular order). */
  query(q: UsageQuery): Promise<UsageGroup[]>;
}

export const USAGE_LIMITS = {
  idChars: 256,
  keyChars: 512,
  rowsPerRecord: 1_000,
  sessionKeysPerQuery: 1_000,
  /** Tokens per row: far above any real turn, far below the 2^53 a sum must stay under. */
  maxTokens: 1e12,
  /** Dollars per row. */
  maxCost: 1e9,
  minBucketMs: 60_000,
} as const;
