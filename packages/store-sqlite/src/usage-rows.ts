import type { SQLInputValue } from "node:sqlite";
import {
  assertUsageQuery,
  assertUsageRows,
  USAGE_GROUP_COLUMNS,
  type UsageGroup,
  type UsageLedger,
  type UsageQuery,
  type UsageRow,
} from "@openclaw/sessions";
import type { SqliteConnection } from "./sqlite-connection.js";
import type { WriteOp } from "./sqlite-writer.js";

/** What the ledger needs from its storage: reads now, writes on the writer thread, both refused once closed. */
export interface UsageRowsHost {
  connection: SqliteConnection;
  read<T>(work: () => T): Promise<T>;
  write(op: WriteOp): Promise<unknown>;
}

const SUMS =
  'COUNT(*) AS "rows", SUM(first_of_turn) AS turns, SUM(calls) AS calls, SUM(input) AS input, ' +
  "SUM(output) AS output, SUM(cache_read) AS cacheRead, SUM(cache_write) AS cacheWrite, " +
  "TOTAL(cost_input) AS costInput, TOTAL(cost_output) AS costOutput, TOTAL(cost_cache_read) AS costCacheRead, " +
  "TOTAL(cost_cache_write) AS costCacheWrite, TOTAL(cost_total) AS costTotal, " +
  "COUNT(*) - COUNT(cost_total) AS unpriced, SUM(tool_calls) AS toolCalls, SUM(errors) AS errors, " +
  "COUNT(duration_ms) AS durationCount, TOTAL(duration_ms) AS durationSum, " +
  "COALESCE(MIN(duration_ms), 0) AS durationMin, COALESCE(MAX(duration_ms), 0) AS durationMax, " +
  "MIN(ts) AS firstTs, MAX(ts) AS lastTs";

function rowColumns(row: UsageRow): Record<string, SQLInputValue> {
  return {
    $run_id: row.runId,
    $provider: row.provider,
    $model: row.model,
    $ts: row.ts,
    $session_key: row.sessionKey,
    $session_id: row.sessionId ?? null,
    $agent_id: row.agentId,
    $channel: row.channel ?? null,
    $calls: row.calls,
    $input: row.input,
    $output: row.output,
    $cache_read: row.cacheRead,
    $cache_write: row.cacheWrite,
    $cost_input: row.costInput,
    $cost_output: row.costOutput,
    $cost_cache_read: row.costCacheRead,
    $cost_cache_write: row.costCacheWrite,
    $cost_total: row.costTotal,
    $duration_ms: row.durationMs ?? null,
    $tool_calls: row.toolCalls,
    $errors: row.errors,
    $first_of_turn: row.firstOfTurn === false ? 0 : 1,
  };
}

/** The SQLite usage ledger: rows in `usage_rows` (indexed by ts), sums by GROUP BY on the read connection. */
export class UsageRows implements UsageLedger {
  constructor(private readonly host: UsageRowsHost) {}

  async record(rows: readonly UsageRow[]): Promise<void> {
    assertUsageRows(rows);
    if (rows.length === 0) return;
    await this.host.write({ kind: "recordUsage", rows: rows.map(rowColumns) });
  }

  /** Whether [from, to] holds over a quarter of the rows (counted on the ts index, a few ms at 100k rows). */
  private coversMuch(from: number, to: number): boolean {
    const statement = (sql: string) => this.host.connection.statement(sql);
    const total = Number(statement("SELECT COALESCE(MAX(id), 0) AS n FROM usage_rows").get()?.n ?? 0);
    if (total < SCAN_CHOICE_ROWS) return false;
    const inRange = statement("SELECT COUNT(*) AS n FROM usage_rows WHERE ts BETWEEN ? AND ?").get(from, to);
    return Number(inRange?.n ?? 0) * 4 > total;
  }

  query(q: UsageQuery): Promise<UsageGroup[]> {
    return this.host.read(() => {
      assertUsageQuery(q);
      if (q.sessionKeys?.length === 0) return [];
      const select: string[] = [];
      const groupBy: string[] = [];
      for (const key of q.groupBy) {
        for (const { column, field } of USAGE_GROUP_COLUMNS[key]) {
          select.push(`${column} AS "${field}"`);
          groupBy.push(column);
        }
      }
      const params: Record<string, SQLInputValue> = { $from: q.from, $to: q.to };
      if (q.bucket) {
        // Parameters bind as doubles: the division is real, and CAST truncates it (a floor, as ts + offset >= 0).
        select.push("CAST((ts + $offset) / $size AS INTEGER) AS bucket");
        groupBy.push("bucket");
        params.$offset = q.bucket.offsetMs;
        params.$size = q.bucket.sizeMs;
      }
      // `+ts` keeps SQLite off the ts index when the range holds much of the ledger: a plain scan then costs half.
      const where = [
        this.coversMuch(q.from, q.to) ? "+ts BETWEEN $from AND $to" : "ts BETWEEN $from AND $to",
      ];
      if (q.agentId !== undefined) {
        where.push("agent_id = $agent");
        params.$agent = q.agentId;
      }
      if (q.sessionKeys) {
        where.push("session_key IN (SELECT value FROM json_each($keys))");
        params.$keys = JSON.stringify(q.sessionKeys);
      }
      const sql =
        `SELECT ${[...select, SUMS].join(", ")} FROM usage_rows WHERE ${where.join(" AND ")}` +
        (groupBy.length > 0 ? ` GROUP BY ${groupBy.join(", ")}` : " HAVING COUNT(*) > 0");
      const rows = this.host.connection.statement(sql).all(params);
      return rows.map((row) => toGroup(row as Record<string, unknown>));
    });
  }
}

/** Below this many rows the index is always used: the choice matters only on a large ledger. */
const SCAN_CHOICE_ROWS = 10_000;

function toGroup(row: Record<string, unknown>): UsageGroup {
  const group: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(row)) {
    if (field === "channel") group.channel = value ?? null;
    else group[field] = typeof value === "bigint" ? Number(value) : value;
  }
  return group as unknown as UsageGroup;
}
