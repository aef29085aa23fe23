import { KeyedMutex } from "../keyed-mutex.js";
import { entryToRow, type SessionStoreRow, type StoredSessionEntry } from "../session-entry.js";
import {
  applyPatch,
  assertCompactMaxLines,
  checkExpectedSessionId,
  createSessionEntry,
  InitSchema,
  PatchSchema,
  parseOrThrow,
  planCompaction,
  recordAppend,
  resetSessionEntry,
  truncate,
} from "../session-entry-changes.js";
import { DEFAULT_AGENT_ID, normalizeAgentId, normalizeSessionKey, parseSessionKey } from "../session-key.js";
import type { SessionQuery, SessionResolution } from "../session-resolver.js";
import {
  DEFAULT_COMPACT_MAX_LINES,
  DEFAULT_PREVIEW_LIMIT,
  DEFAULT_PREVIEW_MAX_CHARS,
  type SessionDeleteOptions,
  type SessionInit,
  type SessionListOptions,
  type SessionPatch,
  type SessionPreview,
  type SessionPreviewOptions,
  type SessionResetOptions,
  type SessionStore,
  type SessionStoreLogger,
} from "../session-store.js";
import { StoreWork } from "../store-work.js";
import { type TranscriptEntry, transcriptLine } from "../transcript-file.js";
import { isPortConflict, portWrite, withConflictRetry } from "./optimistic-retry.js";
import { resolveOverPort } from "./resolve-over-port.js";
import { SameTickReads } from "./same-tick-reads.js";
import { toSessionRowQuery } from "./session-row-query.js";
import { KnownSessionRows } from "./session-store-over-port-known-rows.js";
import type { SessionStorage, SessionWrite, StoredSession, TranscriptReadOptions } from "./storage-port.js";

export interface SessionStoreOverPortOptions {
  clock?: () => number;
  logger?: SessionStoreLogger;
  /** The agent that owns `main` and free-form keys such as `@alice/pi-main` (default "main"). */
  defaultAgentId?: string;
  /**
   * Whether `close()` also closes the storage (default false: whoever opened the storage closes it, because the
   * gateway keeps using its tables after the sessions are done).
   */
  closeStorage?: boolean;
  /** Attempts of one write when another process changed the same row in between (default 20, with a jittered backoff of at most 200 ms). */
  maxConflictAttempts?: number;
  /**
   * Session rows remembered so a transcript append skips reading its row first (default 1024; 0 reads every
   * time). Safe with other writers: a remembered row that is out of date fails the write's version check and the
   * write is retried from a fresh read.
   */
  knownRows?: number;
}

const DEFAULT_MAX_CONFLICT_ATTEMPTS = 20;

const stderrLogger: SessionStoreLogger = {
  warn(event, fields) {
    console.warn(JSON.stringify({ level: "warn", component: "sessions", event, ...fields }));
  },
};

/**
 * The `SessionStore` every gateway uses, written once over the storage port: ensure, patch, reset, delete, compact,
 * append, preview and resolve behave exactly as in the file store, whichever engine is underneath. Writes to one key
 * queue behind each other in this process; across processes the port's optimistic versions catch a concurrent
 * writer, and the write is re-read and retried.
 */
export function createSessionStore(
  storage: SessionStorage,
  options: SessionStoreOverPortOptions = {},
): SessionStore {
  return new SessionStoreOverPort(storage, options);
}

class SessionStoreOverPort implements SessionStore {
  readonly indexPath: string;
  private readonly now: () => number;
  private readonly logger: SessionStoreLogger;
  private readonly defaultAgentId: string;
  private readonly maxAttempts: number;
  private readonly locks = new KeyedMutex();
  private readonly known: KnownSessionRows;
  private readonly rowReads = new SameTickReads<StoredSession | undefined>();
  private readonly work = new StoreWork("createSessionStore");

  constructor(
    private readonly storage: SessionStorage,
    private readonly options: SessionStoreOverPortOptions,
  ) {
    this.indexPath = storage.location;
    this.now = options.clock ?? Date.now;
    this.logger = options.logger ?? stderrLogger;
    this.defaultAgentId = normalizeAgentId(options.defaultAgentId ?? DEFAULT_AGENT_ID);
    this.maxAttempts = options.maxConflictAttempts ?? DEFAULT_MAX_CONFLICT_ATTEMPTS;
    this.known = new KnownSessionRows(options.knownRows);
  }

  list(o: SessionListOptions = {}): Promise<{ rows: SessionStoreRow[]; total: number }> {
    return this.track(async () => {
      const { sessions, total } = await this.storage.listSessions(toSessionRowQuery(o, this.now()));
      const includeLastMessage = o.includeLastMessage ?? false;
      return {
        rows: sessions.map((s) => entryToRow(s.key, s.agentId, s.entry, { includeLastMessage })),
        total,
      };
    });
  }

  get(key: string): Promise<SessionStoreRow | undefined> {
    return this.track(async () => {
      const found = await this.readRow(this.canonical(key));
      return found ? toRow(found) : undefined;
    });
  }

  ensure(key: string, init: SessionInit = {}): Promise<SessionStoreRow> {
    return this.track(async () => {
      const fields = parseOrThrow(InitSchema, init, "INVALID_SESSION_PATCH", "ensure init");
      return this.mutate(this.canonical(key), async (key, current) => {
        if (current) return toRow(current);
        const entry = createSessionEntry(key, fields, this.now());
        return toRow(await this.putSession(this.write(key, undefined, entry)));
      });
    });
  }

  patch(key: string, fields: SessionPatch): Promise<SessionStoreRow> {
    return this.track(async () => {
      const patch = parseOrThrow(PatchSchema, fields, "INVALID_SESSION_PATCH", "session patch");
      return this.mutate(this.canonical(key), async (key, current) => {
        checkExpectedSessionId(key, current?.entry.sessionId, patch.expectedSessionId);
        const entry = current ? { ...current.entry } : createSessionEntry(key, {}, this.now());
        applyPatch(entry, patch, this.now());
        return toRow(await this.putSession(this.write(key, current, entry)));
      });
    });
  }

  reset(
    key: string,
    _o: SessionResetOptions = {},
  ): Promise<{ row: SessionStoreRow; previousSessionId?: string }> {
    return this.track(async () =>
      this.mutate(this.canonical(key), async (key, current) => {
        const entry = current ? { ...current.entry } : createSessionEntry(key, {}, this.now());
        if (current) resetSessionEntry(entry, this.now());
        // The old transcript stays in the storage under its sessionId; only the session points elsewhere.
        const row = toRow(await this.putSession(this.write(key, current, entry)));
        return current ? { row, previousSessionId: current.entry.sessionId } : { row };
      }),
    );
  }

  delete(key: string, o: SessionDeleteOptions = {}): Promise<{ deleted: boolean; archived: string[] }> {
    return this.track(async () =>
      this.mutate(this.canonical(key), async (key, current) => {
        if (!current) return { deleted: false, archived: [] };
        checkExpectedSessionId(key, current.entry.sessionId, o.expectedSessionId);
        const deleteTranscript = o.deleteTranscript !== false;
        await portWrite(() =>
          this.storage.deleteSession(key, { expectedVersion: current.version, deleteTranscript }),
        );
        this.known.remember(key, undefined);
        // A storage has no archive folder: a deleted transcript is gone, so nothing is reported as archived.
        return { deleted: true, archived: [] };
      }),
    );
  }

  compact(
    key: string,
    o: { maxLines?: number } = {},
  ): Promise<{ compacted: boolean; kept: number; removed: number }> {
    return this.track(async () => {
      const maxLines = o.maxLines ?? DEFAULT_COMPACT_MAX_LINES;
      assertCompactMaxLines(maxLines);
      return this.mutate(this.canonical(key), async (key, current) => {
        if (!current) return { compacted: false, kept: 0, removed: 0 };
        const entries = await this.storage.readTranscript(current.entry.sessionId);
        const at = this.now();
        const plan = planCompaction(entries, maxLines, at);
        if (!plan.compacted) return { compacted: false, kept: entries.length, removed: 0 };
        const entry = { ...current.entry };
        entry.messageCount = plan.messageCount;
        entry.compactionCount = (entry.compactionCount ?? 0) + 1;
        entry.updatedAt = at;
        // With the row in the same call: an append from another process in between bumps the version and this
        // replace conflicts instead of dropping that entry.
        const written = await portWrite(() =>
          this.storage.replaceTranscript(entry.sessionId, plan.entries, this.write(key, current, entry)),
        );
        this.known.remember(key, written);
        return { compacted: true, kept: plan.kept, removed: plan.removed };
      });
    });
  }

  appendTranscript(key: string, transcriptEntry: TranscriptEntry): Promise<void> {
    return this.track(async () => {
      const { entry: valid } = transcriptLine(transcriptEntry);
      const append = async (key: string, current: StoredSession | undefined) => {
        const entry = current ? { ...current.entry } : createSessionEntry(key, {}, this.now());
        recordAppend(entry, valid, this.now());
        // One call: the entry and the counters it changes commit together or not at all.
        const written = await portWrite(() =>
          this.storage.appendTranscript(entry.sessionId, [valid], this.write(key, current, entry)),
        );
        this.known.remember(key, written);
      };
      // Every append writes, whatever the row holds: it may start from the remembered row (see KnownSessionRows).
      await this.mutate(this.canonical(key), append, { startFromKnownRow: true });
    });
  }

  readTranscript(key: string, o: TranscriptReadOptions = {}): Promise<TranscriptEntry[]> {
    return this.track(async () => {
      const canonical = this.canonical(key);
      const options: TranscriptReadOptions = {
        ...(o.limit === undefined ? {} : { limit: o.limit }),
        ...(o.turnOf === undefined ? {} : { turnOf: o.turnOf }),
      };
      // With a remembered row the transcript it names is read alongside the row (one round trip instead of two on
      // a networked engine) and kept only if the row still names it: a reset in between points elsewhere.
      const known = this.known.get(canonical);
      const [found, early] = await Promise.all([
        this.readRow(canonical),
        known ? this.storage.readTranscript(known.entry.sessionId, options) : undefined,
      ]);
      if (!found) return [];
      if (early !== undefined && known?.entry.sessionId === found.entry.sessionId) return early;
      return this.storage.readTranscript(found.entry.sessionId, options);
    });
  }

  preview(keys: string[], o: SessionPreviewOptions = {}): Promise<SessionPreview[]> {
    return this.track(async () => {
      const limit = o.limit ?? DEFAULT_PREVIEW_LIMIT;
      const maxChars = o.maxChars ?? DEFAULT_PREVIEW_MAX_CHARS;
      return Promise.all(
        keys.map(async (key): Promise<SessionPreview> => {
          const canonical = this.tryCanonical(key);
          const found = canonical === undefined ? undefined : await this.storage.getSession(canonical);
          if (!found) return { key, status: "missing", items: [] };
          const entries = await this.storage.readTranscript(found.entry.sessionId, { limit });
          const items = entries.map((e) => ({ role: e.role, text: truncate(e.text, maxChars), ts: e.ts }));
          return { key, status: items.length === 0 ? "empty" : "ok", items };
        }),
      );
    });
  }

  resolve(q: SessionQuery): Promise<SessionResolution> {
    return this.track(() => resolveOverPort(q, this.storage, this.defaultAgentId));
  }

  count(): Promise<number> {
    return this.track(() => this.storage.countSessions());
  }

  close(): Promise<void> {
    return this.work.close(async () => {
      if (this.options.closeStorage) await this.storage.close();
    });
  }

  /**
   * Read-modify-write of one session: queued behind this process's other writes to the key, retried on conflict.
   * With `startFromKnownRow`, the first attempt uses the remembered row when there is one instead of reading it;
   * only an attempt that writes whatever the row holds may (one that answers from the row would answer stale).
   */
  private mutate<T>(
    key: string,
    attempt: (key: string, current: StoredSession | undefined) => Promise<T>,
    o: { startFromKnownRow?: boolean } = {},
  ): Promise<T> {
    return this.locks.run(key, async () => {
      const known = o.startFromKnownRow ? this.known.get(key) : undefined;
      if (known) {
        try {
          return await attempt(key, known);
        } catch (error) {
          // Another process wrote the row since: not a contended write, so it neither waits nor counts.
          if (!isPortConflict(error)) throw error;
        }
      }
      return withConflictRetry(
        this.maxAttempts,
        async () => attempt(key, await this.lockedRead(key)),
        (error, attempts) =>
          this.logger.warn("sessions.write.conflict", {
            key,
            attempts,
            driver: this.storage.driver,
            code: error.code,
          }),
      );
    });
  }

  /**
   * A row read outside the key's write lock, remembered unless a write finished meanwhile. Reads of the key asked
   * for together share one (see SameTickReads).
   */
  private readRow(key: string): Promise<StoredSession | undefined> {
    return this.rowReads.read(key, async () => {
      const stamp = this.known.stamp();
      const found = await this.storage.getSession(key);
      this.known.rememberRead(key, found, stamp);
      return found;
    });
  }

  /** A row read under the key's write lock: nothing of this process can change it meanwhile. */
  private async lockedRead(key: string): Promise<StoredSession | undefined> {
    const found = await this.storage.getSession(key);
    this.known.remember(key, found);
    return found;
  }

  private async putSession(write: SessionWrite): Promise<StoredSession> {
    const written = await portWrite(() => this.storage.putSession(write));
    this.known.remember(write.key, written);
    return written;
  }

  private write(key: string, current: StoredSession | undefined, entry: StoredSessionEntry): SessionWrite {
    return {
      key,
      agentId: current?.agentId ?? parseSessionKey(key)?.agentId ?? this.defaultAgentId,
      entry,
      expectedVersion: current?.version ?? 0,
    };
  }

  private track<T>(work: () => Promise<T>): Promise<T> {
    return this.work.track(work);
  }

  private canonical(key: string): string {
    return normalizeSessionKey(key, { agentId: this.defaultAgentId });
  }

  private tryCanonical(key: string): string | undefined {
    try {
      return this.canonical(key);
    } catch {
      return undefined;
    }
  }
}

function toRow(session: StoredSession): SessionStoreRow {
  return entryToRow(session.key, session.agentId, session.entry);
}
