import type { SQLInputValue } from "node:sqlite";
import type { SessionRowQuery, StoredSession } from "@openclaw/sessions";
import { SESSION_COLUMNS, toStoredSession } from "./session-rows.js";
import type { SqliteConnection } from "./sqlite-connection.js";

export interface Filter {
  sql: string[];
  params: SQLInputValue[];
}

/** The WHERE terms of a query, except the pinned group, which `listSessions` walks itself. */
export function filterOf(q: SessionRowQuery): Filter {
  const filter: Filter = { sql: [], params: [] };
  const add = (sql: string, ...params: SQLInputValue[]) => {
    filter.sql.push(sql);
    filter.params.push(...params);
  };
  if (q.agentId !== undefined) add("agent_id = ?", q.agentId);
  if (q.archived !== "all") add("archived = ?", q.archived ? 1 : 0);
  if (q.label !== undefined) add("label = ?", q.label);
  if (q.updatedSince !== undefined) add("updated_at >= ?", q.updatedSince);
  if (q.excludeKinds.length > 0)
    add(`kind NOT IN (${q.excludeKinds.map(() => "?").join(", ")})`, ...q.excludeKinds);
  if (q.search) add("instr(search_text, ?) > 0", q.search);
  return filter;
}

/** Counts per pinned group from the trigger-kept counters: O(agents), whatever the number of rows. */
function countFromCounters(connection: SqliteConnection, q: SessionRowQuery): [number, number] {
  const terms: string[] = [];
  const params: SQLInputValue[] = [];
  if (q.agentId !== undefined) {
    terms.push("agent_id = ?");
    params.push(q.agentId);
  }
  if (q.archived !== "all") {
    terms.push("archived = ?");
    params.push(q.archived ? 1 : 0);
  }
  if (q.excludeKinds.length > 0) {
    terms.push(`kind NOT IN (${q.excludeKinds.map(() => "?").join(", ")})`);
    params.push(...q.excludeKinds);
  }
  const where = terms.length > 0 ? `WHERE ${terms.join(" AND ")}` : "";
  const counts: [number, number] = [0, 0];
  const rows = connection
    .statement(`SELECT pinned_active, SUM(n) AS n FROM session_counts ${where} GROUP BY pinned_active`)
    .all(...params);
  for (const row of rows) counts[Number(row.pinned_active) === 1 ? 0 : 1] = Number(row.n);
  return counts;
}

function countByScan(connection: SqliteConnection, filter: Filter, pinned: 0 | 1): number {
  const where = [...filter.sql, "pinned_active = ?"].join(" AND ");
  const row = connection
    .statement(`SELECT COUNT(*) AS n FROM sessions WHERE ${where}`)
    .get(...filter.params, pinned);
  return Number(row?.n ?? 0);
}

/** One page of one pinned group; its parameters are the filter's, then pinned, limit, offset. */
export function pageSql(filter: Filter): string {
  const where = [...filter.sql, "pinned_active = ?"].join(" AND ");
  return `SELECT ${SESSION_COLUMNS} FROM sessions WHERE ${where} ORDER BY updated_at DESC, key LIMIT ? OFFSET ?`;
}

function pageOfGroup(
  connection: SqliteConnection,
  filter: Filter,
  pinned: 0 | 1,
  offset: number,
  limit: number,
): StoredSession[] {
  return connection
    .statement(pageSql(filter))
    .all(...filter.params, pinned, Number.isFinite(limit) ? limit : -1, offset)
    .map(toStoredSession);
}

/**
 * `sessions.list` over the indexes. The order (pinned active first, then updatedAt desc, then key) is walked as two
 * groups, pinned then the rest; inside a group every filter but search is an equality prefix or a range of one
 * index in `updated_at DESC, key` order, so a page is a range scan that stops at its LIMIT. `total` comes from
 * the counters unless label, updatedSince or search narrow it; then a page that came back short already tells
 * the count, and only a full page costs a count over the same (covering) index range.
 */
export function listSessionRows(
  connection: SqliteConnection,
  q: SessionRowQuery,
): { sessions: StoredSession[]; total: number } {
  const filter = filterOf(q);
  const narrowed = q.label !== undefined || q.updatedSince !== undefined || Boolean(q.search);
  const counters = narrowed ? undefined : countFromCounters(connection, q);
  const pinnedCount = counters ? counters[0] : countByScan(connection, filter, 1);
  const offset = Math.max(0, q.offset);
  let remaining = q.limit === undefined ? Number.POSITIVE_INFINITY : Math.max(0, q.limit);
  const sessions: StoredSession[] = [];
  if (remaining > 0 && offset < pinnedCount) {
    const pinned = pageOfGroup(connection, filter, 1, offset, remaining);
    sessions.push(...pinned);
    remaining -= pinned.length;
  }
  const restOffset = Math.max(0, offset - pinnedCount);
  let restCount = counters?.[1];
  if (remaining > 0 && (restCount === undefined || restOffset < restCount)) {
    const rest = pageOfGroup(connection, filter, 0, restOffset, remaining);
    sessions.push(...rest);
    const short = rest.length < remaining && (rest.length > 0 || restOffset === 0);
    if (restCount === undefined && short) restCount = restOffset + rest.length;
  }
  restCount ??= countByScan(connection, filter, 0);
  return { sessions, total: pinnedCount + restCount };
}
