/**
 * Statements on `<schema>.transcript_heads` / `transcript_entries`. Every write first takes the row lock of the
 * transcript's head (an upsert locks it whether or not it existed), so appends, replacements and deletions of one
 * transcript run one after another across every process, and an append numbers its entries from the head's length.
 */
export function transcriptStatements(s: string) {
  return {
    /** $1 session id, $2 entry count, $3 the entries as JSON texts. One statement, so one implicit transaction. */
    append: `WITH head AS (
      INSERT INTO ${s}.transcript_heads AS h (session_id, length) VALUES ($1, $2)
      ON CONFLICT (session_id) DO UPDATE SET length = h.length + EXCLUDED.length
      RETURNING length)
    INSERT INTO ${s}.transcript_entries (session_id, seq, entry)
    SELECT $1, head.length - $2 + t.ord, t.entry FROM head, unnest($3::json[]) WITH ORDINALITY AS t(entry, ord)`,
    /** $1 session id, $2 the new length: locks the head (creating it when missing) and sets its length. */
    lockHead: `INSERT INTO ${s}.transcript_heads AS h (session_id, length) VALUES ($1, $2)
      ON CONFLICT (session_id) DO UPDATE SET length = EXCLUDED.length`,
    deleteEntries: `DELETE FROM ${s}.transcript_entries WHERE session_id = $1`,
    deleteHead: `DELETE FROM ${s}.transcript_heads WHERE session_id = $1`,
    /** $1 session id, $2 the entries as JSON texts, numbered from 1. */
    insertEntries: `INSERT INTO ${s}.transcript_entries (session_id, seq, entry)
      SELECT $1, t.ord, t.entry FROM unnest($2::json[]) WITH ORDINALITY AS t(entry, ord)`,
    readAll: `SELECT entry FROM ${s}.transcript_entries WHERE session_id = $1 ORDER BY seq`,
    /** The last $2 entries, newest first (a backward range scan of the primary key). */
    readLast: `SELECT entry FROM ${s}.transcript_entries WHERE session_id = $1 ORDER BY seq DESC LIMIT $2`,
    /**
     * `TranscriptReadOptions.turnOf`, $1 session id, $2 the key: the run ids of the user entries carrying it, then
     * every entry of those runs or of their resumes (`<runId>:resume-<n>`), in order. Filtered in the server, so
     * only the turn's entries cross the wire. `starts_with` rather than LIKE: a run id may hold `%` or `_`.
     */
    readTurn: `WITH rows AS (
        SELECT seq, entry, entry->>'runId' AS run_id FROM ${s}.transcript_entries
        WHERE session_id = $1 AND json_typeof(entry->'runId') = 'string'
      ), users AS (
        SELECT DISTINCT run_id FROM rows WHERE entry->>'role' = 'user' AND entry->>'idempotencyKey' = $2
      )
      SELECT entry FROM rows
      WHERE run_id IN (SELECT run_id FROM users)
        OR EXISTS (SELECT 1 FROM users u WHERE starts_with(rows.run_id, u.run_id || ':resume-'))
      ORDER BY seq`,
    length: `SELECT length FROM ${s}.transcript_heads WHERE session_id = $1`,
  };
}
