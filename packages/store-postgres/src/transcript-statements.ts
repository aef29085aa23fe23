/**
 * Statements on `<schema>.transcript_heads` / `transcript_entries`. Every write first takes the row lock of the
 * transcript's head (an upsert locks it whether or not it existed), so appends, replacements and deletions of one
 * transcript run one after another across every process, and an append numbers its entries from the head's length.
 */
export function transcriptStatements(s: string) {
  return {
    /**
     * $1 session id, $2 entry count, $3 the entries as JSON texts, $4 and $5 their run ids and keys (see
     * TranscriptEntryRows). One statement, so one implicit transaction.
     */
    append: `WITH head AS (
      INSERT INTO ${s}.transcript_heads AS h (session_id, length) VALUES ($1, $2)
      ON CONFLICT (session_id) DO UPDATE SET length = h.length + EXCLUDED.length
      RETURNING length)
    INSERT INTO ${s}.transcript_entries (session_id, seq, entry, run_id, idempotency_key)
    SELECT $1, head.length - $2 + t.ord, t.entry, t.run_id, t.idempotency_key
    FROM head, unnest($3::json[], $4::text[], $5::text[]) WITH ORDINALITY AS t(entry, run_id, idempotency_key, ord)`,
    /** $1 session id, $2 the new length: locks the head (creating it when missing) and sets its length. */
    lockHead: `INSERT INTO ${s}.transcript_heads AS h (session_id, length) VALUES ($1, $2)
      ON CONFLICT (session_id) DO UPDATE SET length = EXCLUDED.length`,
    deleteEntries: `DELETE FROM ${s}.transcript_entries WHERE session_id = $1`,
    deleteHead: `DELETE FROM ${s}.transcript_heads WHERE session_id = $1`,
    /** $1 session id, $2 the entries as JSON texts, numbered from 1, $3 and $4 their run ids and keys. */
    insertEntries: `INSERT INTO ${s}.transcript_entries (session_id, seq, entry, run_id, idempotency_key)
      SELECT $1, t.ord, t.entry, t.run_id, t.idempotency_key
      FROM unnest($2::json[], $3::text[], $4::text[]) WITH ORDINALITY AS t(entry, run_id, idempotency_key, ord)`,
    readAll: `SELECT entry FROM ${s}.transcript_entries WHERE session_id = $1 ORDER BY seq`,
    /** The last $2 entries, newest first (a backward range scan of the primary key). */
    readLast: `SELECT entry FROM ${s}.transcript_entries WHERE session_id = $1 ORDER BY seq DESC LIMIT $2`,
    /**
     * `TranscriptReadOptions.turnOf`, $1 session id, $2 the key: the run ids of the user entries carrying it, then
     * every entry of those runs or of their resumes (`<runId>:resume-<n>`), in order. Both steps are index scans
     * on the columns migration 4 added (run_id is COLLATE "C": a run and its resumes sort in
     * [runId, runId || ':resume.')), and only the turn's entries cross the wire. `starts_with`, not LIKE: a run id
     * may hold `%` or `_`.
     */
    readTurn: `SELECT entry FROM ${s}.transcript_entries WHERE session_id = $1 AND seq IN (
        SELECT t.seq FROM (
          SELECT DISTINCT run_id FROM ${s}.transcript_entries WHERE session_id = $1 AND idempotency_key = $2
        ) u JOIN ${s}.transcript_entries t ON t.session_id = $1
          AND t.run_id >= u.run_id AND t.run_id < u.run_id || ':resume.'
        WHERE t.run_id = u.run_id OR starts_with(t.run_id, u.run_id || ':resume-'))
      ORDER BY seq`,
    length: `SELECT length FROM ${s}.transcript_heads WHERE session_id = $1`,
  };
}
