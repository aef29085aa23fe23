import {
  assertTableName,
  type ClusterCoordinator,
  type OpenClusterOptions,
  type SessionLookup,
  type SessionRowQuery,
  type SessionStorage,
  type SessionWrite,
  type StorageTable,
  type StoredSession,
  type TranscriptEntry,
  type TranscriptReadOptions,
  type UsageLedger,
} from "@openclaw/sessions";
import { openPostgresCluster } from "./cluster/postgres-cluster.js";
import type { PostgresDatabase, Queryable } from "./postgres-database.js";
import type { ResolvedPostgresStorageOptions } from "./postgres-storage-options.js";
import { PostgresTable } from "./postgres-table.js";
import { sessionColumns } from "./session-columns.js";
import { findSessionsStatement, listSessionsStatement, sessionStatements } from "./session-statements.js";
import { assertExpectedVersion, jsonText, versionConflict } from "./storage-arguments.js";
import { type TranscriptEntryRows, transcriptEntryRows } from "./transcript-entry-rows.js";
import { transcriptStatements } from "./transcript-statements.js";
import { PostgresUsageRows } from "./usage-statements.js";

interface SessionRow {
  key: string;
  agent_id: string;
  entry: StoredSession["entry"];
  version: number;
}

interface WriteResult {
  written: number | null;
  current: number | null;
}

/** `SessionStorage` over one PostgreSQL schema; see the package README for the tables and their indexes. */
export class PostgresSessionStorage implements SessionStorage {
  readonly driver = "postgres";
  readonly location: string;
  private readonly sessions: ReturnType<typeof sessionStatements>;
  private readonly transcripts: ReturnType<typeof transcriptStatements>;
  readonly usage: UsageLedger;

  constructor(
    private readonly db: PostgresDatabase,
    private readonly schema: string,
    /** What `openCluster` connects with (its own pool and listener, on the same server and schema). */
    private readonly options: ResolvedPostgresStorageOptions,
  ) {
    this.location = db.location;
    this.sessions = sessionStatements(schema);
    this.transcripts = transcriptStatements(schema);
    this.usage = new PostgresUsageRows(db, schema);
  }

  getSession(key: string): Promise<StoredSession | undefined> {
    return this.db.run(async () => {
      const result = await this.db.query<SessionRow>({
        name: "session_get",
        text: this.sessions.get,
        values: [key],
      });
      const row = result.rows[0];
      return row === undefined ? undefined : toStoredSession(row);
    });
  }

  putSession(write: SessionWrite): Promise<StoredSession> {
    return this.db.run(() => this.writeSession(write, undefined));
  }

  deleteSession(
    key: string,
    o: { expectedVersion?: number; deleteTranscript?: boolean } = {},
  ): Promise<boolean> {
    return this.db.run(async () => {
      assertExpectedVersion(o.expectedVersion);
      const expected = o.expectedVersion ?? null;
      const remove = async (client: Queryable | undefined) => {
        const result = await this.db.query<{ deleted_session_id: string | null; current: number | null }>(
          { name: "session_delete", text: this.sessions.delete, values: [key, expected] },
          client,
        );
        const { deleted_session_id: sessionId = null, current = null } = result.rows[0] ?? {};
        if (sessionId === null && expected !== null && (expected !== 0 || current !== null)) {
          throw versionConflict(`session "${key}"`, expected, current, { key });
        }
        return sessionId;
      };
      if (!o.deleteTranscript) return (await remove(undefined)) !== null;
      return this.db.transaction(async (client) => {
        const sessionId = await remove(client);
        if (sessionId === null) return false;
        await this.removeTranscript(sessionId, client);
        return true;
      });
    });
  }

  listSessions(q: SessionRowQuery): Promise<{ sessions: StoredSession[]; total: number }> {
    return this.db.run(async () => {
      const result = await this.db.query<Partial<SessionRow> & { total: number }>(
        listSessionsStatement(this.schema, q),
      );
      const sessions: StoredSession[] = [];
      for (const row of result.rows) {
        // The left join yields one row without a session when the page is empty.
        if (row.key !== null && row.key !== undefined) sessions.push(toStoredSession(row as SessionRow));
      }
      return { sessions, total: result.rows[0]?.total ?? 0 };
    });
  }

  findSessions(by: SessionLookup, o: { agentId?: string; limit: number }): Promise<StoredSession[]> {
    return this.db.run(async () => {
      const result = await this.db.query<SessionRow>(findSessionsStatement(this.schema, by, o));
      return result.rows.map(toStoredSession);
    });
  }

  countSessions(): Promise<number> {
    return this.db.run(async () => {
      const result = await this.db.query<{ total: number }>({
        name: "session_count",
        text: this.sessions.count,
      });
      return result.rows[0]?.total ?? 0;
    });
  }

  appendTranscript(
    sessionId: string,
    entries: readonly TranscriptEntry[],
    session?: SessionWrite,
  ): Promise<StoredSession | undefined> {
    return this.db.run(async () => {
      const rows = transcriptEntryRows(entries);
      if (session === undefined) {
        if (rows.texts.length > 0) await this.insertEntries(sessionId, rows, undefined);
        return undefined;
      }
      return this.writeSession(session, undefined, rows.texts.length === 0 ? undefined : { sessionId, rows });
    });
  }

  readTranscript(sessionId: string, o: TranscriptReadOptions = {}): Promise<TranscriptEntry[]> {
    return this.db.run(async () => {
      if (o.turnOf !== undefined) {
        const turn = await this.db.query<{ entry: TranscriptEntry }>({
          name: "transcript_read_turn",
          text: this.transcripts.readTurn,
          values: [sessionId, o.turnOf],
        });
        return turn.rows.map((row) => row.entry);
      }
      if (o.limit === undefined) {
        const all = await this.db.query<{ entry: TranscriptEntry }>({
          name: "transcript_read_all",
          text: this.transcripts.readAll,
          values: [sessionId],
        });
        return all.rows.map((row) => row.entry);
      }
      const last = await this.db.query<{ entry: TranscriptEntry }>({
        name: "transcript_read_last",
        text: this.transcripts.readLast,
        values: [sessionId, Math.max(0, o.limit)],
      });
      return last.rows.map((row) => row.entry).reverse();
    });
  }

  replaceTranscript(
    sessionId: string,
    entries: readonly TranscriptEntry[],
    session?: SessionWrite,
  ): Promise<StoredSession | undefined> {
    return this.db.run(async () => {
      const rows = transcriptEntryRows(entries);
      return this.db.transaction(async (client) => {
        const written = session === undefined ? undefined : await this.writeSession(session, client);
        const t = this.transcripts;
        await this.db.query(
          { name: "transcript_lock", text: t.lockHead, values: [sessionId, rows.texts.length] },
          client,
        );
        await this.db.query(
          { name: "transcript_delete_entries", text: t.deleteEntries, values: [sessionId] },
          client,
        );
        if (rows.texts.length > 0) {
          const values = [sessionId, rows.texts, rows.runIds, rows.keys];
          await this.db.query({ name: "transcript_insert", text: t.insertEntries, values }, client);
        }
        return written;
      });
    });
  }

  deleteTranscript(sessionId: string): Promise<void> {
    return this.db.run(() => this.db.transaction((client) => this.removeTranscript(sessionId, client)));
  }

  transcriptLength(sessionId: string): Promise<number> {
    return this.db.run(async () => {
      const result = await this.db.query<{ length: string }>({
        name: "transcript_length",
        text: this.transcripts.length,
        values: [sessionId],
      });
      const row = result.rows[0];
      return row === undefined ? 0 : Number(row.length);
    });
  }

  table<T = unknown>(name: string): StorageTable<T> {
    assertTableName(name);
    return new PostgresTable<T>(this.db, this.schema, name);
  }

  /**
   * Joins the cluster of gateways sharing this schema (see `cluster/`): its own small pool and one LISTEN
   * connection. Close it before the storage.
   */
  openCluster(options: OpenClusterOptions): Promise<ClusterCoordinator> {
    return this.db.run(() =>
      openPostgresCluster({ ...options, storage: this.options, location: this.location }),
    );
  }

  close(): Promise<void> {
    return this.db.close();
  }

  /** Writes one session row, optionally appending to a transcript in the same statement (see sessionStatements). */
  private async writeSession(
    write: SessionWrite,
    client: Queryable | undefined,
    append?: { sessionId: string; rows: TranscriptEntryRows },
  ): Promise<StoredSession> {
    assertExpectedVersion(write.expectedVersion);
    const entryText = jsonText(write.entry, `session "${write.key}" entry`);
    const c = sessionColumns(write);
    const values: unknown[] = [
      write.key,
      write.agentId,
      entryText,
      c.updatedAt,
      c.pinned,
      c.archived,
      c.label,
      c.hiddenKind,
      c.sessionId,
      c.channel,
      c.searchText,
    ];
    const insert = write.expectedVersion === 0;
    if (!insert) values.push(write.expectedVersion);
    if (append) {
      const { texts, runIds, keys } = append.rows;
      values.push(append.sessionId, texts.length, texts, runIds, keys);
    }
    const s = this.sessions;
    const [name, text] = insert
      ? append
        ? ["session_insert_append", s.insertWithAppend]
        : ["session_insert", s.insert]
      : append
        ? ["session_update_append", s.updateWithAppend]
        : ["session_update", s.update];
    const result = await this.db.query<WriteResult>({ name, text, values }, client);
    const { written, current } = result.rows[0] ?? { written: null, current: null };
    if (written === null) {
      throw versionConflict(`session "${write.key}"`, write.expectedVersion, current, { key: write.key });
    }
    return { key: write.key, agentId: write.agentId, entry: JSON.parse(entryText), version: written };
  }

  private async insertEntries(
    sessionId: string,
    rows: TranscriptEntryRows,
    client: Queryable | undefined,
  ): Promise<void> {
    const values = [sessionId, rows.texts.length, rows.texts, rows.runIds, rows.keys];
    await this.db.query({ name: "transcript_append", text: this.transcripts.append, values }, client);
  }

  private async removeTranscript(sessionId: string, client: Queryable): Promise<void> {
    const t = this.transcripts;
    // Locking the head first makes a concurrent append wait, then start a fresh transcript after this one is gone.
    await this.db.query({ name: "transcript_lock", text: t.lockHead, values: [sessionId, 0] }, client);
    await this.db.query(
      { name: "transcript_delete_entries", text: t.deleteEntries, values: [sessionId] },
      client,
    );
    await this.db.query({ name: "transcript_delete_head", text: t.deleteHead, values: [sessionId] }, client);
  }
}

function toStoredSession(row: SessionRow): StoredSession {
  return { key: row.key, agentId: row.agent_id, entry: row.entry, version: row.version };
}
