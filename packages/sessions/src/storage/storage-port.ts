import type { StoredSessionEntry } from "../session-entry.js";
import type { TranscriptEntry } from "../transcript-file.js";
import type { ClusterCoordinator, OpenClusterOptions } from "./cluster-port.js";
import type { UsageLedger } from "./usage-ledger.js";

/**
 * The storage port: the narrow interface a storage engine implements (SQLite, PostgreSQL, memory, a third
 * party's). Everything above it (ensure, patch, reset, resolve, preview, compact, search, migration) is written
 * once in `@openclaw/sessions` as functions over this port, so a new engine implements only what is here and
 * proves itself with `sessionStoreConformance()`.
 *
 * Rules every implementation keeps:
 * - A returned promise resolves only once the change is durable (fsync'd / committed).
 * - Keys arrive canonical (lower-cased, validated); the port never rewrites them.
 * - Values are opaque JSON: fields the port does not index are stored and returned exactly as written.
 * - Writes to one session are optimistic: `expectedVersion` that does not match fails with
 *   `SessionError("SESSION_CONFLICT")` and changes nothing.
 */

/** One session as the port keeps it. `version` starts at 1 and grows by one on every write. */
export interface StoredSession {
  key: string;
  agentId: string;
  entry: StoredSessionEntry;
  version: number;
}

/** A session to write: `expectedVersion` 0 means "must not exist yet". */
export interface SessionWrite {
  key: string;
  agentId: string;
  entry: StoredSessionEntry;
  expectedVersion: number;
}

/** The session kinds `sessions.list` hides unless asked (OpenClaw's sentinels). */
export type HiddenSessionKind = "global" | "unknown";

/**
 * `sessions.list` as a port query. Order is fixed: pinned active sessions first, then `updatedAt` descending,
 * then key ascending. Implementations index it so a page is a range scan, not a sort of every row.
 */
export interface SessionRowQuery {
  agentId?: string;
  /** Exact match on the trimmed label. */
  label?: string;
  /** Case-insensitive substring of key, label, displayName, sessionId or channel (already lower-cased). */
  search?: string;
  /** Only sessions with `updatedAt >= updatedSince`. */
  updatedSince?: number;
  /** false: active only; true: archived only; "all": both. */
  archived: boolean | "all";
  /** Kinds left out (by default both sentinels). */
  excludeKinds: readonly HiddenSessionKind[];
  limit?: number;
  offset: number;
}

/**
 * Looks a session up by something other than its key (`sessions.resolve`): `sessionId` matches exactly, `label`
 * matches the trimmed label exactly (as `SessionRowQuery.label`).
 */
export type SessionLookup = { sessionId: string } | { label: string };

export interface TranscriptReadOptions {
  /** The last `limit` entries, oldest first (all when omitted). Not applied with `turnOf`. */
  limit?: number;
  /**
   * Only the entries of the message sent under this idempotency key, oldest first: the user entries carrying it
   * (with a `runId`) and every entry of their runs (`runId` equal to theirs, or `<runId>:resume-<n>`). What a
   * retry with the key needs, without reading the whole transcript. An engine that cannot select them may return
   * more (all entries), never fewer: callers pick the turn out of what they get.
   */
  turnOf?: string;
}

/** A stored value of a small table, with its version for optimistic writes. */
export interface TableRecord<T = unknown> {
  key: string;
  value: T;
  version: number;
}

/**
 * A small keyed table of JSON values: cron jobs and runs, pairing requests and allowlists, node pairing, exec
 * approvals, idempotency keys, the media index. Names are `[a-z][a-z0-9_.-]*`; keys are at most 512 characters.
 */
export interface StorageTable<T = unknown> {
  get(key: string): Promise<TableRecord<T> | undefined>;
  /** `expectedVersion` (0 = must not exist) makes the write optimistic; omitted, the write always wins. */
  put(key: string, value: T, expectedVersion?: number): Promise<TableRecord<T>>;
  delete(key: string): Promise<boolean>;
  /** Ordered by key; `prefix` narrows, `after` pages. */
  list(o?: { prefix?: string; after?: string; limit?: number }): Promise<TableRecord<T>[]>;
}

export interface SessionStorage {
  /** "sqlite", "postgres", "memory", or a third party's name. */
  readonly driver: string;
  /** Where the data lives, with any password removed (shown as `sessions.list` `path`). */
  readonly location: string;

  getSession(key: string): Promise<StoredSession | undefined>;
  putSession(write: SessionWrite): Promise<StoredSession>;
  /**
   * Removes the session; with `deleteTranscript` its transcript too, in the same transaction. False when it did
   * not exist; `expectedVersion` that does not match fails with SESSION_CONFLICT.
   */
  deleteSession(key: string, o?: { expectedVersion?: number; deleteTranscript?: boolean }): Promise<boolean>;
  listSessions(q: SessionRowQuery): Promise<{ sessions: StoredSession[]; total: number }>;
  /** At most `limit` sessions matching the lookup (optionally of one agent), in key order. */
  findSessions(by: SessionLookup, o: { agentId?: string; limit: number }): Promise<StoredSession[]>;
  countSessions(): Promise<number>;

  /**
   * Appends entries to a transcript (keyed by the session's `sessionId`), and when `session` is given writes that
   * session row in the same transaction (the counters an append updates). Resolves once both are durable.
   */
  appendTranscript(
    sessionId: string,
    entries: readonly TranscriptEntry[],
    session?: SessionWrite,
  ): Promise<StoredSession | undefined>;
  readTranscript(sessionId: string, o?: TranscriptReadOptions): Promise<TranscriptEntry[]>;
  /** Replaces a whole transcript atomically (compaction), optionally writing the session row with it. */
  replaceTranscript(
    sessionId: string,
    entries: readonly TranscriptEntry[],
    session?: SessionWrite,
  ): Promise<StoredSession | undefined>;
  deleteTranscript(sessionId: string): Promise<void>;
  transcriptLength(sessionId: string): Promise<number>;

  /** A small table by name, created on first use. */
  table<T = unknown>(name: string): StorageTable<T>;

  /**
   * The usage ledger (tokens and cost per turn), aggregated by the engine. Optional: a store without it still
   * serves everything else, and the usage methods then answer zeros with a note.
   */
  readonly usage?: UsageLedger;

  /**
   * Joins the cluster of gateway instances sharing this store (leases, claims, events, membership). Only engines
   * several processes can share offer it; the gateway runs as a single instance without it. Close the coordinator
   * before the storage.
   */
  openCluster?(options: OpenClusterOptions): Promise<ClusterCoordinator>;

  /** Waits for pending writes and releases the engine; later calls fail with STORE_CLOSED. */
  close(): Promise<void>;
}

/**
 * How a gateway names its storage in config (`storage.driver`) or start options. Drivers are registered by name
 * (the first-party `sqlite` and `postgres` by `@openclaw/gateway`), so a new engine needs no edit in the core.
 */
export interface StorageDriverContext {
  stateDir: string;
  env: NodeJS.ProcessEnv;
  logger?: {
    info(event: string, fields?: Record<string, unknown>): void;
    warn(event: string, fields?: Record<string, unknown>): void;
  };
}

export interface StorageDriver {
  readonly id: string;
  /** `options` is the config's `storage` section without `driver` (e.g. `{ url }`), validated by the driver. */
  open(options: Record<string, unknown>, context: StorageDriverContext): Promise<SessionStorage>;
  /**
   * Why this driver cannot run in this process (e.g. the Node version lacks the engine), or undefined when it can.
   * A gateway whose config names no driver falls back from an unavailable default instead of failing to start.
   */
  unavailableReason?(): Promise<string | undefined>;
}
