import {
  assertUsageQuery,
  assertUsageRows,
  USAGE_GROUP_COLUMNS,
  type UsageGroup,
  type UsageLedger,
  type UsageQuery,
  type UsageRow,
} from "@openclaw/sessions";
import type { PostgresDatabase } from "./postgres-database.js";

const COLUMNS = [
  "run_id",
  "provider",
  "model",
  "ts",
  "session_key",
  "session_id",
  "agent_id",
  "channel",
  "calls",
  "input",
  "output",
  "cache_read",
  "cache_write",
  "cost_input",
  "cost_output",
  "cost_cache_read",
  "cost_cache_write",
  "cost_total",
  "duration_ms",
  "tool_calls",
  "errors",
  "first_of_turn",
] as const;

// Sums come back as float8 (JavaScript numbers): bigint and numeric would arrive as strings.
const SUMS = [
  'count(*)::float8 AS "rows"',
  'sum(first_of_turn)::float8 AS "turns"',
  'sum(calls)::float8 AS "calls"',
  'sum(input)::float8 AS "input"',
  'sum(output)::float8 AS "output"',
  'sum(cache_read)::float8 AS "cacheRead"',
  'sum(cache_write)::float8 AS "cacheWrite"',
  'COALESCE(sum(cost_input), 0) AS "costInput"',
  'COALESCE(sum(cost_output), 0) AS "costOutput"',
  'COALESCE(sum(cost_cache_read), 0) AS "costCacheRead"',
  'COALESCE(sum(cost_cache_write), 0) AS "costCacheWrite"',
  'COALESCE(sum(cost_total), 0) AS "costTotal"',
  '(count(*) - count(cost_total))::float8 AS "unpriced"',
  'sum(tool_calls)::float8 AS "toolCalls"',
  'sum(errors)::float8 AS "errors"',
  'count(duration_ms)::float8 AS "durationCount"',
  'COALESCE(sum(duration_ms), 0)::float8 AS "durationSum"',
  'COALESCE(min(duration_ms), 0)::float8 AS "durationMin"',
  'COALESCE(max(duration_ms), 0)::float8 AS "durationMax"',
  'min(ts)::float8 AS "firstTs"',
  'max(ts)::float8 AS "lastTs"',
].join(", ");

function rowValues(row: UsageRow): unknown[] {
  return [
    row.runId,
    row.provider,
    row.model,
    row.ts,
    row.sessionKey,
    row.sessionId ?? null,
    row.agentId,
    row.channel ?? null,
    row.calls,
    row.input,
    row.output,
    row.cacheRead,
    row.cacheWrite,
    row.costInput,
    row.costOutput,
    row.costCacheRead,
    row.costCacheWrite,
    row.costTotal,
    row.durationMs ?? null,
    row.toolCalls,
    row.errors,
    row.firstOfTurn === false ? 0 : 1,
  ];
}

/** The PostgreSQL usage ledger: rows in `<schema>.usage_rows` (indexed by ts), sums by GROUP BY in the server. */
export class PostgresUsageRows implements UsageLedger {
  constructor(
    private readonly db: PostgresDatabase,
    private readonly schema: string,
  ) {}

  record(rows: readonly UsageRow[]): Promise<void> {
    return this.db.run(async () => {
      assertUsageRows(rows);
      if (rows.length === 0) return;
      const values: unknown[] = [];
      const tuples = rows.map((row) => {
        const start = values.length;
        values.push(...rowValues(row));
        return `(${COLUMNS.map((_, index) => `$${start + index + 1}`).join(", ")})`;
      });
      await this.db.query({
        text:
          `INSERT INTO ${this.schema}.usage_rows (${COLUMNS.join(", ")}) VALUES ${tuples.join(", ")} ` +
          "ON CONFLICT (run_id, provider, model) DO NOTHING",
        values,
      });
    });
  }

  query(q: UsageQuery): Promise<UsageGroup[]> {
    return this.db.run(async () => {
      assertUsageQuery(q);
      if (q.sessionKeys?.length === 0) return [];
      // Integers compared as bigint, so the ts index serves the range.
      const values: unknown[] = [Math.ceil(q.from), Math.floor(q.to)];
      const param = (value: unknown) => {
        values.push(value);
        return `$${values.length}`;
      };
      const select: string[] = [];
      const groupBy: string[] = [];
      for (const key of q.groupBy) {
        for (const { column, field } of USAGE_GROUP_COLUMNS[key]) {
          select.push(`${column} AS "${field}"`);
          groupBy.push(column);
        }
      }
      if (q.bucket) {
        const bucket = `floor((ts + ${param(q.bucket.offsetMs)}::bigint)::float8 / ${param(q.bucket.sizeMs)}::float8)`;
        select.push(`${bucket} AS "bucket"`);
        groupBy.push(bucket);
      }
      const where = ["ts BETWEEN $1::bigint AND $2::bigint"];
      if (q.agentId !== undefined) where.push(`agent_id = ${param(q.agentId)}`);
      if (q.sessionKeys) where.push(`session_key = ANY(${param(q.sessionKeys)}::text[])`);
      const text =
        `SELECT ${[...select, SUMS].join(", ")} FROM ${this.schema}.usage_rows WHERE ${where.join(" AND ")}` +
        (groupBy.length > 0 ? ` GROUP BY ${groupBy.join(", ")}` : " HAVING count(*) > 0");
      const result = await this.db.query<Record<string, unknown>>({ text, values });
      return result.rows as unknown as UsageGroup[];
    });
  }
}
