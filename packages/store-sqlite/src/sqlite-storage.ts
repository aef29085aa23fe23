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
} from "@openclaw/sessions";
import { BACKSTOP_CHECKPOINT_PAGES, CheckpointWorker } from "./checkpoint-worker.js";
import { KvTable } from "./kv-table.js";
import { listSessionRows } from "./session-list-query.js";
import { assertExpectedVersion, SessionRows } from "./session-rows.js";
import { SessionSearch } from "./session-search.js";
import { openSqliteConnection, type SqliteConnection } from "./sqlite-connection.js";
import {
  parseWithFix,
  type SqliteStorageOptions,
  SqliteStorageOptionsSchema,
} from "./sqlite-storage-options.js";
import { TranscriptRows } from "./transcript-rows.js";
import { WriteBatcher } from "./write-batcher.js";

/**
 * Opens (creating and migrating when needed) a SQLite session storage at `path`. Reads run at once on the
 * connection; writes are grouped into one transaction per event-loop turn and acknowledged after COMMIT.
 */
export async function createSqliteStorage(options: SqliteStorageOptions): Promise<SessionStorage> {
  const resolved = parseWithFix(SqliteStorageOptionsSchema, options, "createSqliteStorage options");
  const connection = await openSqliteConnection(resolved);
  connection.db.exec(`PRAGMA wal_autocheckpoint = ${BACKSTOP_CHECKPOINT_PAGES}`);
  return new SqliteStorage(connection, resolved.path, new CheckpointWorker(resolved));
}

class SqliteStorage implements SessionStorage {
  readonly driver = "sqlite";
  private readonly sessions: SessionRows;
  private readonly transcripts: TranscriptRows;
  private readonly batcher: WriteBatcher;
  private readonly searches: SessionSearch;
  private closed = false;
  private closing: Promise<void> | undefined;

  constructor(
    readonly connection: SqliteConnection,
    readonly location: string,
    private readonly checkpoints: CheckpointWorker,
  ) {
    this.sessions = new SessionRows(connection);
    this.transcripts = new TranscriptRows(connection);
    this.batcher = new WriteBatcher(connection.db);
    this.searches = new SessionSearch(connection);
  }

  getSession(key: string): Promise<StoredSession | undefined> {
    return this.read(() => this.sessions.get(key));
  }

  putSession(write: SessionWrite): Promise<StoredSession> {
    return this.prepared(() => this.sessions.prepareWrite(write));
  }

  deleteSession(
    key: string,
    o: { expectedVersion?: number; deleteTranscript?: boolean } = {},
  ): Promise<boolean> {
    return this.prepared(() => {
      assertExpectedVersion(o.expectedVersion);
      return () => {
        const sessionId = this.sessions.delete(key, o.expectedVersion);
        if (sessionId !== undefined && o.deleteTranscript) this.transcripts.delete(sessionId);
        return sessionId !== undefined;
      };
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
      const writeRow = session ? this.sessions.prepareWrite(session) : undefined;
      return () => {
        // The row first: a conflicting row write throws before anything is appended.
        const written = writeRow?.();
        this.transcripts.append(sessionId, lines);
        return written;
      };
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
      const writeRow = session ? this.sessions.prepareWrite(session) : undefined;
      return () => {
        const written = writeRow?.();
        this.transcripts.replace(sessionId, lines);
        return written;
      };
    });
  }

  deleteTranscript(sessionId: string): Promise<void> {
    return this.prepared(() => () => this.transcripts.delete(sessionId));
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
        write: (work) => this.prepared(() => work),
      },
      name,
    );
  }

  close(): Promise<void> {
    if (!this.closing) {
      this.closed = true;
      this.closing = Promise.all([
        this.batcher.drained(),
        this.searches.close(),
        this.checkpoints.stop(),
      ]).then(() => this.connection.close());
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

  /** `prepare` validates and serialises now (its errors reject at once); what it returns runs in the next commit. */
  private prepared<T>(prepare: () => () => T): Promise<T> {
    if (this.closed) return Promise.reject(storageClosedError(this.driver));
    try {
      return this.batcher.write(prepare());
    } catch (error) {
      return Promise.reject(error);
    }
  }
}
