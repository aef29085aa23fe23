import type { SQLInputValue } from "node:sqlite";
import type { SessionRowQuery, StoredSession } from "@openclaw/sessions";
import { filterOf } from "./session-list-query.js";
import { SESSION_COLUMNS, toStoredSession } from "./session-rows.js";
import type { SqliteConnection } from "./sqlite-connection.js";

/** Index entries one step examines: about a millisecond of work, then the event loop gets a turn. */
export const SEARCH_CHUNK_ROWS = 2_000;

/**
 * `sessions.list` with `search`: a substring has no index, so every candidate row is looked at. To keep that from
 * stalling the gateway at 100k sessions, the scan walks the list index in chunks of SEARCH_CHUNK_ROWS, yielding
 * to the event loop between chunks, inside one read transaction on a separate query-only connection, so the
 * whole search sees one snapshot while writes go on committing. Searches run one at a time.
 */
export class SessionSearch {
  private reader: SqliteConnection | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly writer: SqliteConnection,
    private readonly chunkRows = SEARCH_CHUNK_ROWS,
  ) {}

  search(q: SessionRowQuery): Promise<{ sessions: StoredSession[]; total: number }> {
    const run = this.queue.then(() => this.run(q));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Waits for running searches, then closes the reader. */
  async close(): Promise<void> {
    await this.queue;
    this.reader?.close();
    this.reader = undefined;
  }

  private async run(q: SessionRowQuery): Promise<{ sessions: StoredSession[]; total: number }> {
    this.reader ??= this.writer.openReader();
    const reader = this.reader;
    reader.db.exec("BEGIN");
    try {
      const keys = [...(await this.matchingKeys(reader, q, 1)), ...(await this.matchingKeys(reader, q, 0))];
      const offset = Math.max(0, q.offset);
      const end = q.limit === undefined ? undefined : offset + Math.max(0, q.limit);
      const byKey = reader.statement(`SELECT ${SESSION_COLUMNS} FROM sessions WHERE key = ?`);
      const sessions = keys.slice(offset, end).flatMap((key) => {
        const row = byKey.get(key);
        return row ? [toStoredSession(row)] : [];
      });
      return { sessions, total: keys.length };
    } finally {
      reader.db.exec("COMMIT");
    }
  }

  /** The keys of one pinned group that match, in list order, scanned chunk by chunk. */
  private async matchingKeys(reader: SqliteConnection, q: SessionRowQuery, pinned: 0 | 1): Promise<string[]> {
    const filter = filterOf({ ...q, search: undefined });
    const terms = [...filter.sql, "pinned_active = ?"];
    const first = reader.statement(chunkSql(terms));
    // After a cursor (u, k): rows with updated_at <= u (a seekable range), less those at u already passed.
    const next = reader.statement(
      chunkSql([...terms, "updated_at <= ?", "NOT (updated_at = ? AND key <= ?)"]),
    );
    const keys: string[] = [];
    let cursor: { updatedAt: number; key: string } | undefined;
    for (;;) {
      const params: SQLInputValue[] = [q.search ?? "", ...filter.params, pinned];
      const rows = cursor
        ? next.all(...params, cursor.updatedAt, cursor.updatedAt, cursor.key, this.chunkRows)
        : first.all(...params, this.chunkRows);
      for (const row of rows) if (Number(row.hit) === 1) keys.push(String(row.key));
      const last = rows.at(-1);
      if (rows.length < this.chunkRows || !last) return keys;
      cursor = { updatedAt: Number(last.updated_at), key: String(last.key) };
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

/** One chunk of a search scan; exported for the query-plan test. */
export function chunkSql(terms: string[]): string {
  return `SELECT key, updated_at, instr(search_text, ?) > 0 AS hit FROM sessions WHERE ${terms.join(" AND ")}
    ORDER BY updated_at DESC, key LIMIT ?`;
}
