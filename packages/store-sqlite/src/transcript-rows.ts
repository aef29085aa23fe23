import type { TranscriptEntry, TranscriptReadOptions } from "@openclaw/sessions";
import { toJson } from "./session-rows.js";
import type { SqliteConnection } from "./sqlite-connection.js";

/**
 * `TranscriptReadOptions.turnOf`: the run ids of the user entries carrying the key (?2), then every entry of those
 * runs or of their resumes (`<runId>:resume-<n>`). The JSON is read inside SQLite, so only the turn's entries are
 * parsed here. `substr` rather than LIKE: a run id may hold `%` or `_`.
 */
const READ_TURN = `WITH rows AS (
    SELECT seq, entry, json_extract(entry, '$.runId') AS run_id FROM transcript_entries
    WHERE session_id = ?1 AND json_type(entry, '$.runId') = 'text'
  ), users AS (
    SELECT DISTINCT run_id FROM rows
    WHERE json_extract(entry, '$.role') = 'user' AND json_extract(entry, '$.idempotencyKey') = ?2
  )
  SELECT entry FROM rows
  WHERE run_id IN (SELECT run_id FROM users)
    OR EXISTS (SELECT 1 FROM users u WHERE substr(rows.run_id, 1, length(u.run_id) + 8) = u.run_id || ':resume-')
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
