import type { SessionLookup, SessionRowQuery } from "@openclaw/sessions";
import { indexableText } from "./session-columns.js";

export interface Statement {
  text: string;
  values: unknown[];
}

const WRITE_COLUMNS =
  "key, agent_id, entry, version, updated_at, pinned, archived, label, hidden_kind, session_id, channel, search_text";
const LIST_ORDER = "pin_rank DESC, updated_at DESC, key";

/**
 * The fixed statements on `<schema>.sessions`. The schema is the only text spliced in (validated and quoted once);
 * every value is a parameter. Writes report `written` (the new version, null when nothing changed) and `current`
 * (the version the statement's snapshot saw) so a conflict is reported in the same round trip.
 *
 * A write takes $1 key, $2 agent id, $3 entry, $4-$11 the indexed columns, and (update only) $12 the expected
 * version. The `WithAppend` forms also append to a transcript, in the same statement and so the same implicit
 * transaction: the transcript's rows are written only when the session write matched (`FROM w`), so a conflict
 * appends nothing and needs no rollback; then $n+1 session id, $n+2 entry count, $n+3 the entries as JSON texts.
 */
export function sessionStatements(s: string) {
  const insert = `w AS (
      INSERT INTO ${s}.sessions (${WRITE_COLUMNS})
      VALUES ($1, $2, $3, 1, $4, $5, $6, $7, $8, $9, $10, $11)
      ON CONFLICT (key) DO NOTHING RETURNING version)`;
  const update = `w AS (
      UPDATE ${s}.sessions SET agent_id = $2, entry = $3, version = version + 1, updated_at = $4, pinned = $5,
        archived = $6, label = $7, hidden_kind = $8, session_id = $9, channel = $10, search_text = $11
      WHERE key = $1 AND version = $12 RETURNING version)`;
  const outcome = `SELECT (SELECT version FROM w) AS written, (SELECT version FROM ${s}.sessions WHERE key = $1) AS current`;
  const append = (n: number) => `head AS (
      INSERT INTO ${s}.transcript_heads AS h (session_id, length) SELECT $${n + 1}::text, $${n + 2}::bigint FROM w
      ON CONFLICT (session_id) DO UPDATE SET length = h.length + EXCLUDED.length
      RETURNING length),
    entries AS (
      INSERT INTO ${s}.transcript_entries (session_id, seq, entry, run_id, idempotency_key)
      SELECT $${n + 1}::text, head.length - $${n + 2}::bigint + t.ord, t.entry, t.run_id, t.idempotency_key
      FROM head, unnest($${n + 3}::json[], $${n + 4}::text[], $${n + 5}::text[])
        WITH ORDINALITY AS t(entry, run_id, idempotency_key, ord))`;
  return {
    get: `SELECT key, agent_id, entry, version FROM ${s}.sessions WHERE key = $1`,
    insert: `WITH ${insert} ${outcome}`,
    update: `WITH ${update} ${outcome}`,
    insertWithAppend: `WITH ${insert}, ${append(11)} ${outcome}`,
    updateWithAppend: `WITH ${update}, ${append(12)} ${outcome}`,
    delete: `WITH del AS (
      DELETE FROM ${s}.sessions WHERE key = $1 AND ($2::integer IS NULL OR version = $2) RETURNING session_id)
    SELECT (SELECT session_id FROM del) AS deleted_session_id,
      (SELECT version FROM ${s}.sessions WHERE key = $1) AS current`,
    count: `SELECT coalesce(sum(n), 0)::integer AS total FROM ${s}.session_counts`,
  };
}

/**
 * `listSessions` as one statement: the page (a range scan of the index in list order, stopping after
 * offset + limit rows) and its total in one snapshot. A total over the filters the counters keep (agent, archived,
 * kinds) is summed from `session_counts`; with label, search or updatedSince it is counted from the rows.
 */
export function listSessionsStatement(s: string, q: SessionRowQuery): Statement {
  const values: unknown[] = [];
  const param = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  const counted: string[] = [];
  if (q.agentId !== undefined) counted.push(`agent_id = ${param(q.agentId)}`);
  if (q.archived !== "all") counted.push(`archived = ${param(q.archived)}`);
  if (q.excludeKinds.length > 0) counted.push(`hidden_kind <> ALL(${param([...q.excludeKinds])}::text[])`);
  const filtered: string[] = [];
  if (q.label !== undefined) filtered.push(`label = ${param(indexableText(q.label))}`);
  if (q.updatedSince !== undefined) filtered.push(`updated_at >= ${param(q.updatedSince)}`);
  const search = q.search === "" ? undefined : q.search;
  if (search !== undefined) filtered.push(`strpos(search_text, ${param(indexableText(search))}) > 0`);
  const where = whereClause([...counted, ...filtered]);
  const limit = q.limit === undefined ? "" : ` LIMIT ${param(Math.max(0, q.limit))}`;
  const offset = ` OFFSET ${param(Math.max(0, q.offset))}`;
  const text =
    search !== undefined
      ? searchedPage(s, where, `${limit}${offset}`)
      : indexedPage(s, where, `${limit}${offset}`, filtered.length === 0 ? whereClause(counted) : undefined);
  return { text, values };
}

// The page walks an index in list order; the total comes from the counters, or from the rows when filtered.
function indexedPage(s: string, where: string, paging: string, countersWhere: string | undefined): string {
  const total =
    countersWhere === undefined
      ? `SELECT count(*)::integer AS total FROM ${s}.sessions ${where}`
      : `SELECT coalesce(sum(n), 0)::integer AS total FROM ${s}.session_counts ${countersWhere}`;
  return `SELECT t.total, p.key, p.agent_id, p.entry, p.version
    FROM (${total}) t
    LEFT JOIN LATERAL (
      SELECT key, agent_id, entry, version, pin_rank, updated_at FROM ${s}.sessions ${where}
      ORDER BY ${LIST_ORDER}${paging}
    ) p ON true
    ORDER BY p.pin_rank DESC, p.updated_at DESC, p.key`;
}

// A substring search has no index to walk: one scan collects the matches' sort keys, which give both the total and
// the page (a top-N sort), and only the page's rows are read in full.
function searchedPage(s: string, where: string, paging: string): string {
  return `WITH m AS MATERIALIZED (SELECT key, pin_rank, updated_at FROM ${s}.sessions ${where})
    SELECT t.total, r.key, r.agent_id, r.entry, r.version
    FROM (SELECT count(*)::integer AS total FROM m) t
    LEFT JOIN LATERAL (SELECT key, pin_rank, updated_at FROM m ORDER BY ${LIST_ORDER}${paging}) p ON true
    LEFT JOIN ${s}.sessions r ON r.key = p.key
    ORDER BY p.pin_rank DESC, p.updated_at DESC, p.key`;
}

/** `findSessions`: sessions by sessionId or trimmed label, optionally of one agent, in key order. */
export function findSessionsStatement(
  s: string,
  by: SessionLookup,
  o: { agentId?: string; limit: number },
): Statement {
  const values: unknown[] = "sessionId" in by ? [by.sessionId] : [indexableText(by.label)];
  const column = "sessionId" in by ? "session_id" : "label";
  let text = `SELECT key, agent_id, entry, version FROM ${s}.sessions WHERE ${column} = $1`;
  if (o.agentId !== undefined) {
    values.push(o.agentId);
    text += ` AND agent_id = $${values.length}`;
  }
  values.push(Math.max(0, o.limit));
  text += ` ORDER BY key LIMIT $${values.length}`;
  return { text, values };
}

function whereClause(conditions: readonly string[]): string {
  return conditions.length === 0 ? "" : `WHERE ${conditions.join(" AND ")}`;
}
