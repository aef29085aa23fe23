import type { TranscriptEntry, TranscriptReadOptions } from "@openclaw/sessions";
import { toJson } from "./session-rows.js";
import type { SqliteConnection } from "./sqlite-connection.js";

/**
 * `TranscriptReadOptions.turnOf`: the run ids of the user entries carrying the key (?2), then every entry of those
 * runs or of their resumes (`<runId>:resume-<n>`). Both steps are index range scans (migration 3): a run and its
 * resumes sort in [runId, runId || ':resume.'), and only the turn's entries are parsed here. INDEXED BY: without
 * statistics the planner prefers scanning the session's primary-key range. `substr` rather than LIKE: a run id may
 * hold `%` or `_`.
 */
const READ_TURN = `WITH users AS (
    SELECT DISTINCT json_extract(entry, '$.runId') AS run_id FROM transcript_entries INDEXED BY transcript_entries_key
    WHERE session_id = ?1 AND json_extract(entry, '$.idempotencyKey') = ?2
      AND json_extract(entry, '$.role') = 'user' AND json_type(entry, '$.runId') = 'text'
  )
  SELECT entry FROM transcript_entries WHERE session_id = ?1 AND seq IN (
    SELECT t.seq FROM users u JOIN transcript_entries AS t INDEXED BY transcript_entries_run ON t.session_id = ?1
      AND json_extract(t.entry, '$.runId') >= u.run_id AND json_extract(t.entry, '$.runId') < u.run_id || ':resume.'
    WHERE json_extract(t.entry, '$.runId') = u.run_id
      OR substr(json_extract(t.entry, '$.runId'), 1, length(u.run_id) + 8) = u.run_id || ':resume-')
  ORDER BY seq`;

/**
 * Transcript entries as rows `(session_id, seq)`, seq counting 1, 2, 3, ... per transcript without gaps (appends
 * continue from the last seq, a replace starts again at 1), so the length is the last seq: one index probe. Reads
 * run here; appends, replaces and deletes on the writer thread (`sqlite-writer-source.ts`).
 */
export class TranscriptRows {
  constructor(private readonly connection: SqliteConnection) {}

  /** Serialises on this thread, so the writer thread only runs SQL. */
  serialise(entries: readonly TranscriptEntry[]): string[] {
    return entries.map((entry, index) => toJson(entry, `transcript entry ${index}`));
  }

  length(sessionId: string): number {
    const row = this.connection
      .statement("SELECT COALESCE(MAX(seq), 0) AS n FROM transcript_entries WHERE session_id = ?")
      .get(sessionId);
    return Number(row?.n ?? 0);
  }

  read(sessionId: string, o: TranscriptReadOptions = {}): TranscriptEntry[] {
    const rows =
      o.turnOf !== undefined
        ? this.connection.statement(READ_TURN).all(sessionId, o.turnOf)
        : o.limit === undefined
          ? this.connection
              .statement("SELECT entry FROM transcript_entries WHERE session_id = ? ORDER BY seq")
              .all(sessionId)
          : this.connection
              .statement(
                "SELECT entry FROM transcript_entries WHERE session_id = ? ORDER BY seq DESC LIMIT ?",
              )
              .all(sessionId, Math.max(0, o.limit))
              .reverse();
    return rows.map((row) => JSON.parse(String(row.entry)) as TranscriptEntry);
  }
}
