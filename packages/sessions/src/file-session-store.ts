import {
  type AgentSessionIndex,
  fileStamp,
  listAgentDirectories,
  loadAgentSessionIndex,
} from "./agent-session-index.js";
import { renameDurable } from "./durable-file.js";
import { FileSessionOwners, type Located, resolvable } from "./file-session-owners.js";
import { FileTranscripts } from "./file-transcripts.js";
import { KeyedMutex } from "./keyed-mutex.js";
import { entryToRow, type SessionStoreRow } from "./session-entry.js";
import {
  applyPatch,
  assertCompactMaxLines,
  checkExpectedSessionId,
  InitSchema,
  PatchSchema,
  parseOrThrow,
  planCompaction,
  recordAppend,
  resetSessionEntry,
  truncate,
} from "./session-entry-changes.js";
import { DEFAULT_AGENT_ID, normalizeAgentId, normalizeSessionKey } from "./session-key.js";
import { listRows } from "./session-list.js";
import { resolveSession, type SessionQuery, type SessionResolution } from "./session-resolver.js";
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
} from "./session-store.js";
import { StoreWork } from "./store-work.js";
import {
  readTranscriptFile,
  rewriteTranscriptFile,
  type TranscriptEntry,
  transcriptHeaderLine,
  transcriptLine,
} from "./transcript-file.js";

export interface FileSessionStoreOptions {
  /** The state directory (`OPENCLAW_STATE_DIR`, `~/.openclaw` by default). */
  stateDir: string;
  now?: () => number;
  logger?: SessionStoreLogger;
  /** The agent that owns `main` and free-form keys such as `@alice/pi-main` (default "main"). */
  defaultAgentId?: string;
}

const stderrLogger: SessionStoreLogger = {
  warn(event, fields) {
    console.warn(JSON.stringify({ level: "warn", component: "sessions", event, ...fields }));
  },
};

/**
 * Opens (or creates) the session store under `stateDir`, loading every agent's `sessions.json`.
 * Layout: `agents/<agentId>/sessions/sessions.json` plus one `<sessionId>.jsonl` transcript per session.
 */
export async function createFileSessionStore(o: FileSessionStoreOptions): Promise<SessionStore> {
  const now = o.now ?? Date.now;
  const logger = o.logger ?? stderrLogger;
  const defaultAgentId = normalizeAgentId(o.defaultAgentId ?? DEFAULT_AGENT_ID);
  const indexes: AgentSessionIndex[] = [];
  for (const agentId of await listAgentDirectories(o.stateDir)) {
    indexes.push(await loadAgentSessionIndex({ stateDir: o.stateDir, agentId, now, logger }));
  }
  return new FileSessionStore(o.stateDir, defaultAgentId, now, logger, indexes);
}

export class FileSessionStore implements SessionStore {
  readonly indexPath: string;
  private readonly defaultAgentId: string;
  private readonly now: () => number;
  private readonly sessions: FileSessionOwners;
  private readonly locks = new KeyedMutex();
  private readonly work = new StoreWork("createFileSessionStore");
  private readonly transcripts: FileTranscripts;

  constructor(
    stateDir: string,
    defaultAgentId: string,
    now: () => number,
    logger: SessionStoreLogger,
    loaded: AgentSessionIndex[],
  ) {
    this.defaultAgentId = defaultAgentId;
    this.now = now;
    this.transcripts = new FileTranscripts(now);
    this.sessions = new FileSessionOwners(stateDir, defaultAgentId, loaded, logger);
    this.indexPath = this.sessions.indexFor(defaultAgentId).path;
  }

  /** Index rewrites completed so far, across agents (for tests and metrics). */
  get indexWriteCount(): number {
    let total = 0;
    for (const index of this.sessions.allIndexes()) total += index.writeCount;
    return total;
  }

  list(o: SessionListOptions = {}): Promise<{ rows: SessionStoreRow[]; total: number }> {
    return this.track(async () => listRows(this.sessions.entries(), o, this.now()));
  }

  get(key: string): Promise<SessionStoreRow | undefined> {
    return this.track(async () => {
      const canonical = this.canonical(key);
      const found = this.sessions.find(canonical);
      return found ? entryToRow(canonical, found.index.agentId, found.entry) : undefined;
    });
  }

  ensure(key: string, init: SessionInit = {}): Promise<SessionStoreRow> {
    return this.track(async () => {
      const fields = parseOrThrow(InitSchema, init, "INVALID_SESSION_PATCH", "ensure init");
      const canonical = this.canonical(key);
      const { index, row } = await this.locks.run(canonical, () => {
        const found = this.sessions.find(canonical) ?? this.sessions.create(canonical, fields, this.now());
        return { index: found.index, row: entryToRow(canonical, found.index.agentId, found.entry) };
      });
      // Also for an existing entry: its creator may still be waiting for the disk.
      await index.persist();
      return row;
    });
  }

  patch(key: string, fields: SessionPatch): Promise<SessionStoreRow> {
    return this.track(async () => {
      const patch = parseOrThrow(PatchSchema, fields, "INVALID_SESSION_PATCH", "session patch");
      const canonical = this.canonical(key);
      const { index, row } = await this.locks.run(canonical, () => {
        const existing = this.sessions.find(canonical);
        checkExpectedSessionId(canonical, existing?.entry.sessionId, patch.expectedSessionId);
        const found = existing ?? this.sessions.create(canonical, {}, this.now());
        applyPatch(found.entry, patch, this.now());
        found.index.touch();
        return { index: found.index, row: entryToRow(canonical, found.index.agentId, found.entry) };
      });
      await index.persist();
      return row;
    });
  }

  reset(
    key: string,
    _o: SessionResetOptions = {},
  ): Promise<{ row: SessionStoreRow; previousSessionId?: string }> {
    return this.track(async () => {
      const canonical = this.canonical(key);
      return this.locks.run(canonical, async () => {
        const existing = this.sessions.find(canonical);
        if (!existing) {
          const created = this.sessions.create(canonical, {}, this.now());
          await created.index.persist();
          return { row: entryToRow(canonical, created.index.agentId, created.entry) };
        }
        const { index, entry } = existing;
        const previousSessionId = entry.sessionId;
        await this.transcripts.retire(index.transcriptPath(previousSessionId));
        const at = this.now();
        resetSessionEntry(entry, at);
        index.touch();
        const row = entryToRow(canonical, index.agentId, entry);
        // Index first: a crash before the rename leaves an unreferenced transcript, never a session
        // whose history vanished.
        await index.persist();
        const previous = index.transcriptPath(previousSessionId);
        await renameDurable(previous, `${previous}.reset.${fileStamp(at)}`);
        return { row, previousSessionId };
      });
    });
  }

  delete(key: string, o: SessionDeleteOptions = {}): Promise<{ deleted: boolean; archived: string[] }> {
    return this.track(async () => {
      const canonical = this.canonical(key);
      return this.locks.run(canonical, async () => {
        const found = this.sessions.find(canonical);
        if (!found) return { deleted: false, archived: [] };
        checkExpectedSessionId(canonical, found.entry.sessionId, o.expectedSessionId);
        const { index, entry } = found;
        const transcript = index.transcriptPath(entry.sessionId);
        await this.transcripts.retire(transcript);
        this.sessions.remove(canonical, index);
        await index.persist();
        const archived: string[] = [];
        if (o.deleteTranscript !== false) {
          const target = `${transcript}.deleted.${fileStamp(this.now())}`;
          if (await renameDurable(transcript, target)) archived.push(target);
        }
        return { deleted: true, archived };
      });
    });
  }

  compact(
    key: string,
    o: { maxLines?: number } = {},
  ): Promise<{ compacted: boolean; kept: number; removed: number }> {
    return this.track(async () => {
      const maxLines = o.maxLines ?? DEFAULT_COMPACT_MAX_LINES;
      assertCompactMaxLines(maxLines);
      const canonical = this.canonical(key);
      return this.locks.run(canonical, async () => {
        const found = this.sessions.find(canonical);
        if (!found) return { compacted: false, kept: 0, removed: 0 };
        const { index, entry } = found;
        const path = index.transcriptPath(entry.sessionId);
        await this.transcripts.retire(path);
        const entries = await readTranscriptFile(path);
        const at = this.now();
        const plan = planCompaction(entries, maxLines, at);
        if (!plan.compacted) return { compacted: false, kept: entries.length, removed: 0 };
        const startedAt = entry.sessionStartedAt ?? entry.createdAt ?? at;
        const header = transcriptHeaderLine(entry.sessionId, startedAt, canonical);
        await rewriteTranscriptFile(path, header, plan.entries);
        entry.messageCount = plan.messageCount;
        entry.compactionCount = (entry.compactionCount ?? 0) + 1;
        entry.updatedAt = at;
        index.touch();
        await index.persist();
        return { compacted: true, kept: plan.kept, removed: plan.removed };
      });
    });
  }

  appendTranscript(key: string, entry: TranscriptEntry): Promise<void> {
    return this.track(async () => {
      const { entry: valid, line } = transcriptLine(entry);
      const canonical = this.canonical(key);
      const { written, index, created, creation } = await this.locks.run(canonical, () => {
        const existing = this.sessions.find(canonical);
        const found = existing ?? this.sessions.create(canonical, {}, this.now());
        const stored = found.entry;
        const written = this.transcripts.append(found.index, canonical, stored, valid, line);
        written.catch(() => undefined);
        recordAppend(stored, valid, this.now());
        found.index.touch();
        return {
          written,
          index: found.index,
          created: existing === undefined,
          creation: this.sessions.creation(canonical),
        };
      });
      // The transcript line is the durable record. A new session's index entry (which names its transcript file)
      // is written before the append resolves; for an existing one the counters it changed (message count,
      // preview, usage) are written within a quarter second, so a crash can lose at most that much of them.
      if (created) await Promise.all([written, index.persist()]);
      else {
        // A line in a transcript the index does not name yet would be lost with the index entry in a crash.
        await Promise.all([written, creation]);
        index.persistSoon();
      }
    });
  }

  readTranscript(key: string, o: { limit?: number } = {}): Promise<TranscriptEntry[]> {
    return this.track(async () => {
      const found = this.sessions.find(this.canonical(key));
      if (!found) return [];
      const path = found.index.transcriptPath(found.entry.sessionId);
      // Under the session's lock with queued appends drained, the file and the cache cannot miss an append.
      const entries =
        this.transcripts.cached(path) ??
        (await this.locks.run(this.canonical(key), () => this.transcripts.read(path)));
      return o.limit === undefined ? [...entries] : entries.slice(Math.max(0, entries.length - o.limit));
    });
  }

  preview(keys: string[], o: SessionPreviewOptions = {}): Promise<SessionPreview[]> {
    return this.track(async () => {
      const limit = o.limit ?? DEFAULT_PREVIEW_LIMIT;
      const maxChars = o.maxChars ?? DEFAULT_PREVIEW_MAX_CHARS;
      const previews: SessionPreview[] = [];
      for (const key of keys) {
        const found = this.tryFind(key);
        if (!found) {
          previews.push({ key, status: "missing", items: [] });
          continue;
        }
        const entries = await readTranscriptFile(found.index.transcriptPath(found.entry.sessionId));
        const items = entries.slice(Math.max(0, entries.length - limit)).map((e) => ({
          role: e.role,
          text: truncate(e.text, maxChars),
          ts: e.ts,
        }));
        previews.push({ key, status: items.length === 0 ? "empty" : "ok", items });
      }
      return previews;
    });
  }

  resolve(q: SessionQuery): Promise<SessionResolution> {
    return this.track(async () =>
      resolveSession(q, {
        sessions: () => this.sessions.resolvableSessions(),
        canonicalKey: (key, agentId) => {
          const canonical = normalizeSessionKey(key, { agentId: agentId ?? this.defaultAgentId });
          return { key: canonical, agentId: this.sessions.agentIdFor(canonical, agentId) };
        },
        lookup: (canonical) => {
          const found = this.sessions.find(canonical);
          return found ? resolvable(canonical, found) : undefined;
        },
      }),
    );
  }

  count(): Promise<number> {
    return this.track(async () => this.sessions.size);
  }

  close(): Promise<void> {
    return this.work.close(() =>
      Promise.allSettled([...this.sessions.allIndexes()].map((index) => index.flushPending())),
    );
  }

  private track<T>(work: () => Promise<T>): Promise<T> {
    return this.work.track(work);
  }

  private canonical(key: string): string {
    return normalizeSessionKey(key, { agentId: this.defaultAgentId });
  }

  private tryFind(key: string): Located | undefined {
    try {
      return this.sessions.find(this.canonical(key));
    } catch {
      return undefined;
    }
  }
}
