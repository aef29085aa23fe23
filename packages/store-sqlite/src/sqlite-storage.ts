import {
  assertTableName,
  type SessionLookup,
  type SessionRowQuery,
  type SessionStorage,
  type SessionWrite,
  type StorageTable,
  type StoredSession,
  storageClosedError,
  type TranscriptEntry,
  type TranscriptReadOptions,
  type UsageLedger,
} from "@openclaw/sessions";
import { KvTable } from "./kv-table.js";
import { OnDemandWriter } from "./on-demand-writer.js";
import { listSessionRows } from "./session-list-query.js";
import { assertExpectedVersion, SessionRows } from "./session-rows.js";
import { SessionSearch } from "./session-search.js";
import { openSqliteConnection, type SqliteConnection } from "./sqlite-connection.js";
import {
  parseWithFix,
  type SqliteStorageOptions,
  SqliteStorageOptionsSchema,
} from "./sqlite-storage-options.js";
import type { WriteOp } from "./sqlite-writer.js";
import { TranscriptRows } from "./transcript-rows.js";
import { UsageRows } from "./usage-rows.js";

/**
 * Opens (creating and migrating when needed) a SQLite session storage at `path`. Reads run at once on a
 * connection of this thread; writes run on a writer thread, grouped into one transaction, and are acknowledged
 * after its COMMIT, so the event loop never waits for a commit's fsync.
 */
export async function createSqliteStorage(options: SqliteStorageOptions): Promise<SessionStorage> {
  const resolved = parseWithFix(SqliteStorageOptionsSchema, options, "createSqliteStorage options");
  // Opening the main-thread connection creates and migrates the file, so a bad path fails here, not on a write.
  const connection = await openSqliteConnection(resolved);
  // Writes belong to the writer thread only; this connection reads (WAL: each statement sees the last commit).
  connection.db.exec("PRAGMA query_only = 1");
  return new SqliteStorage(connection, resolved.path, new OnDemandWriter(resolved));
}

class SqliteStorage implements SessionStorage {
  readonly driver = "sqlite";
  private readonly sessions: SessionRows;
  private readonly transcripts: TranscriptRows;
  private readonly searches: SessionSearch;
  readonly usage: UsageLedger;
  private closed = false;
  private closing: Promise<void> | undefined;

  constructor(
    readonly connection: SqliteConnection,
    readonly location: string,
    private readonly writer: OnDemandWriter,
  ) {
    this.sessions = new SessionRows(connection);
    this.transcripts = new TranscriptRows(connection);
    this.searches = new SessionSearch(connection);
    this.usage = new UsageRows({
      connection,
      read: (work) => this.read(work),
      write: (op) => this.prepared(() => [op, (value) => value]),
    });
  }

  getSession(key: string): Promise<StoredSession | undefined> {
    return this.read(() => this.sessions.get(key));
  }

  putSession(write: SessionWrite): Promise<StoredSession> {
    return this.prepared(() => {
      const prepared = this.sessions.prepareWrite(write);
      return [{ kind: "putSession", row: prepared.row }, () => prepared.stored()];
    });
  }

  deleteSession(
    key: string,
    o: { expectedVersion?: number; deleteTranscript?: boolean } = {},
  ): Promise<boolean> {
    return this.prepared(() => {
      assertExpectedVersion(o.expectedVersion);
      const op: WriteOp = {
        kind: "deleteSession",
        key,
        expectedVersion: o.expectedVersion,
        deleteTranscript: o.deleteTranscript === true,
      };
      return [op, (deleted) => deleted === true];
    });
  }

  listSessions(q: SessionRowQuery): Promise<{ sessions: StoredSession[]; total: number }> {
    if (q.search && !this.closed) return this.searches.search(q);
    return this.read(() => listSessionRows(this.connection, q));
  }

  findSessions(by: SessionLookup, o: { agentId?: string; limit: number }): Promise<StoredSession[]> {
    return this.read(() => this.sessions.find(by, o));
  }

  countSessions(): Promise<number> {
    return this.read(() => this.sessions.count());
  }

  appendTranscript(
    sessionId: string,
    entries: readonly TranscriptEntry[],
    session?: SessionWrite,
  ): Promise<StoredSession | undefined> {
    return this.prepared(() => {
      const lines = this.transcripts.serialise(entries);
      const prepared = session ? this.sessions.prepareWrite(session) : undefined;
      return [{ kind: "appendTranscript", sessionId, lines, row: prepared?.row }, () => prepared?.stored()];
    });
  }

  readTranscript(sessionId: string, o?: TranscriptReadOptions): Promise<TranscriptEntry[]> {
    return this.read(() => this.transcripts.read(sessionId, o));
  }

  replaceTranscript(
    sessionId: string,
    entries: readonly TranscriptEntry[],
    session?: SessionWrite,
  ): Promise<StoredSession | undefined> {
    return this.prepared(() => {
      const lines = this.transcripts.serialise(entries);
      const prepared = session ? this.sessions.prepareWrite(session) : undefined;
      return [{ kind: "replaceTranscript", sessionId, lines, row: prepared?.row }, () => prepared?.stored()];
    });
  }

  deleteTranscript(sessionId: string): Promise<void> {
    return this.prepared(() => [{ kind: "deleteTranscript", sessionId }, () => undefined]);
  }

  transcriptLength(sessionId: string): Promise<number> {
    return this.read(() => this.transcripts.length(sessionId));
  }

  table<T = unknown>(name: string): StorageTable<T> {
    assertTableName(name);
    return new KvTable<T>(
      {
        connection: this.connection,
        read: (work) => this.read(work),
        write: (op) => this.prepared(() => [op, (value) => value]),
      },
      name,
    );
  }

  close(): Promise<void> {
    if (!this.closing) {
      this.closed = true;
      this.closing = Promise.all([this.writer.stop(), this.searches.close()]).then(() =>
        this.connection.close(),
      );
    }
    return this.closing;
  }

  private read<T>(work: () => T): Promise<T> {
    if (this.closed) return Promise.reject(storageClosedError(this.driver));
    try {
      return Promise.resolve(work());
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * `prepare` validates and serialises now (its errors reject at once) and returns the request for the writer
   * thread plus how to turn the thread's answer into the result, once the commit returned.
   */
  private prepared<T>(prepare: () => [WriteOp, (value: unknown) => T]): Promise<T> {
    if (this.closed) return Promise.reject(storageClosedError(this.driver));
    try {
      const [op, result] = prepare();
      return this.writer.write(op).then(result);
    } catch (error) {
      return Promise.reject(error);
    }
  }
}
