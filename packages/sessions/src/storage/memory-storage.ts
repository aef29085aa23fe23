import type { TranscriptEntry } from "../transcript-file.js";
import type { ClusterCoordinator, OpenClusterOptions } from "./cluster-port.js";
import { openMemoryCluster } from "./memory-cluster.js";
import { createMemoryStorageData, type MemoryStorageData } from "./memory-storage-data.js";
import { compareStoredSessions, matchesSessionRowQuery, pageOf } from "./session-row-query.js";
import {
  assertExpectedVersion,
  assertTableKey,
  assertTableName,
  sessionVersionConflict,
  storageClosedError,
  tableVersionConflict,
} from "./storage-arguments.js";
import type {
  SessionLookup,
  SessionRowQuery,
  SessionStorage,
  SessionWrite,
  StorageTable,
  StoredSession,
  TableRecord,
  TranscriptReadOptions,
} from "./storage-port.js";
import { selectTurnEntries } from "./transcript-turn.js";
import type { UsageLedger, UsageQuery, UsageRow } from "./usage-ledger.js";
import { assertUsageQuery, assertUsageRows, groupUsageRows } from "./usage-ledger-rows.js";

export interface MemoryStorageOptions {
  /** Shared data (default: fresh and private to this storage). */
  data?: MemoryStorageData;
  /**
   * The clock (epoch ms) of the in-process cluster `openCluster` joins: lease expiry and liveness. Only the first
   * storage to open a cluster over `data` sets it. Default Date.now.
   */
  clusterClock?: () => number;
}

/**
 * The reference `SessionStorage`: everything in process memory, nothing durable. Every value is copied in and out,
 * so a caller mutating what it wrote or read never changes the store (as with a real database). Each call runs in
 * one synchronous step, which makes every call a transaction.
 */
export function createMemoryStorage(o: MemoryStorageOptions = {}): SessionStorage {
  return new MemoryStorage(o.data ?? createMemoryStorageData(), o.clusterClock);
}

class MemoryStorage implements SessionStorage {
  readonly driver = "memory";
  readonly location = "memory";
  private closed = false;
  readonly usage: UsageLedger;

  constructor(
    private readonly data: MemoryStorageData,
    private readonly clusterClock?: () => number,
  ) {
    data.usage ??= new Map();
    const rows = data.usage;
    this.usage = {
      record: (batch: readonly UsageRow[]) =>
        this.run(() => {
          assertUsageRows(batch);
          for (const row of batch) {
            const id = JSON.stringify([row.runId, row.provider, row.model]);
            if (!rows.has(id)) rows.set(id, clone(row));
          }
        }),
      query: (q: UsageQuery) =>
        this.run(() => {
          assertUsageQuery(q);
          return groupUsageRows(rows.values(), q);
        }),
    };
  }

  getSession(key: string): Promise<StoredSession | undefined> {
    return this.run(() => copy(this.data.sessions.get(key)));
  }

  putSession(write: SessionWrite): Promise<StoredSession> {
    return this.run(() => clone(this.writeSession(write)));
  }

  deleteSession(
    key: string,
    o: { expectedVersion?: number; deleteTranscript?: boolean } = {},
  ): Promise<boolean> {
    return this.run(() => {
      assertExpectedVersion(o.expectedVersion);
      const existing = this.data.sessions.get(key);
      const actual = existing?.version ?? 0;
      if (o.expectedVersion !== undefined && o.expectedVersion !== actual) {
        throw sessionVersionConflict(key, o.expectedVersion, actual);
      }
      if (!existing) return false;
      this.data.sessions.delete(key);
      if (o.deleteTranscript) this.data.transcripts.delete(existing.entry.sessionId);
      return true;
    });
  }

  listSessions(q: SessionRowQuery): Promise<{ sessions: StoredSession[]; total: number }> {
    return this.run(() => {
      const matching = [...this.data.sessions.values()].filter((session) =>
        matchesSessionRowQuery(session, q),
      );
      matching.sort(compareStoredSessions);
      return { sessions: pageOf(matching, q).map((session) => clone(session)), total: matching.length };
    });
  }

  findSessions(by: SessionLookup, o: { agentId?: string; limit: number }): Promise<StoredSession[]> {
    return this.run(() => {
      const matches = (session: StoredSession) =>
        "sessionId" in by
          ? session.entry.sessionId === by.sessionId
          : session.entry.label?.trim() === by.label;
      return [...this.data.sessions.values()]
        .filter((session) => (o.agentId === undefined || session.agentId === o.agentId) && matches(session))
        .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
        .slice(0, Math.max(0, o.limit))
        .map((session) => clone(session));
    });
  }

  countSessions(): Promise<number> {
    return this.run(() => this.data.sessions.size);
  }

  appendTranscript(
    sessionId: string,
    entries: readonly TranscriptEntry[],
    session?: SessionWrite,
  ): Promise<StoredSession | undefined> {
    return this.run(() => {
      // The row first: a conflicting row write throws before anything is appended.
      const written = session ? this.writeSession(session) : undefined;
      const transcript = this.data.transcripts.get(sessionId) ?? [];
      transcript.push(...entries.map((entry) => clone(entry)));
      this.data.transcripts.set(sessionId, transcript);
      return copy(written);
    });
  }

  readTranscript(sessionId: string, o: TranscriptReadOptions = {}): Promise<TranscriptEntry[]> {
    return this.run(() => {
      const transcript = this.data.transcripts.get(sessionId) ?? [];
      if (o.turnOf !== undefined) return selectTurnEntries(transcript, o.turnOf).map((entry) => clone(entry));
      const from = o.limit === undefined ? 0 : Math.max(0, transcript.length - Math.max(0, o.limit));
      return transcript.slice(from).map((entry) => clone(entry));
    });
  }

  replaceTranscript(
    sessionId: string,
    entries: readonly TranscriptEntry[],
    session?: SessionWrite,
  ): Promise<StoredSession | undefined> {
    return this.run(() => {
      const written = session ? this.writeSession(session) : undefined;
      this.data.transcripts.set(
        sessionId,
        entries.map((entry) => clone(entry)),
      );
      return copy(written);
    });
  }

  deleteTranscript(sessionId: string): Promise<void> {
    return this.run(() => {
      this.data.transcripts.delete(sessionId);
    });
  }

  transcriptLength(sessionId: string): Promise<number> {
    return this.run(() => this.data.transcripts.get(sessionId)?.length ?? 0);
  }

  table<T = unknown>(name: string): StorageTable<T> {
    assertTableName(name);
    return new MemoryTable<T>(name, this.data.tables, () => this.closed);
  }

  /** Every coordinator opened over the same `MemoryStorageData` is an instance of one in-process cluster. */
  openCluster(options: OpenClusterOptions): Promise<ClusterCoordinator> {
    if (this.closed) return Promise.reject(storageClosedError(this.driver));
    return openMemoryCluster(this.data, { ...options, now: this.clusterClock });
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private writeSession(write: SessionWrite): StoredSession {
    assertExpectedVersion(write.expectedVersion);
    const actual = this.data.sessions.get(write.key)?.version ?? 0;
    if (write.expectedVersion !== actual)
      throw sessionVersionConflict(write.key, write.expectedVersion, actual);
    const stored: StoredSession = {
      key: write.key,
      agentId: write.agentId,
      entry: clone(write.entry),
      version: actual + 1,
    };
    this.data.sessions.set(write.key, stored);
    return stored;
  }

  private run<T>(work: () => T): Promise<T> {
    if (this.closed) return Promise.reject(storageClosedError(this.driver));
    try {
      return Promise.resolve(work());
    } catch (error) {
      return Promise.reject(error);
    }
  }
}

class MemoryTable<T> implements StorageTable<T> {
  constructor(
    private readonly name: string,
    private readonly tables: Map<string, Map<string, TableRecord>>,
    private readonly isClosed: () => boolean,
  ) {}

  get(key: string): Promise<TableRecord<T> | undefined> {
    return this.run(() => {
      assertTableKey(key);
      return copy(this.rows().get(key)) as TableRecord<T> | undefined;
    });
  }

  put(key: string, value: T, expectedVersion?: number): Promise<TableRecord<T>> {
    return this.run(() => {
      assertTableKey(key);
      assertExpectedVersion(expectedVersion);
      const rows = this.rows();
      const actual = rows.get(key)?.version ?? 0;
      if (expectedVersion !== undefined && expectedVersion !== actual) {
        throw tableVersionConflict(this.name, key, expectedVersion, actual);
      }
      const record: TableRecord = { key, value: clone(value), version: actual + 1 };
      rows.set(key, record);
      return clone(record) as TableRecord<T>;
    });
  }

  delete(key: string): Promise<boolean> {
    return this.run(() => {
      assertTableKey(key);
      return this.rows().delete(key);
    });
  }

  list(o: { prefix?: string; after?: string; limit?: number } = {}): Promise<TableRecord<T>[]> {
    return this.run(() => {
      const { prefix, after } = o;
      const keys = [...this.rows().keys()]
        .filter(
          (key) => (prefix === undefined || key.startsWith(prefix)) && (after === undefined || key > after),
        )
        .sort();
      const limited = o.limit === undefined ? keys : keys.slice(0, Math.max(0, o.limit));
      return limited.map((key) => clone(this.rows().get(key)) as TableRecord<T>);
    });
  }

  private rows(): Map<string, TableRecord> {
    let rows = this.tables.get(this.name);
    if (!rows) {
      rows = new Map();
      this.tables.set(this.name, rows);
    }
    return rows;
  }

  private run<R>(work: () => R): Promise<R> {
    if (this.isClosed()) return Promise.reject(storageClosedError("memory"));
    try {
      return Promise.resolve(work());
    } catch (error) {
      return Promise.reject(error);
    }
  }
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

function copy<T>(value: T | undefined): T | undefined {
  return value === undefined ? undefined : clone(value);
}

export { createMemoryStorageData, type MemoryStorageData } from "./memory-storage-data.js";
