import { randomUUID } from "node:crypto";
import type { z } from "zod";
import {
  AgentSessionIndex,
  fileStamp,
  listAgentDirectories,
  loadAgentSessionIndex,
} from "./agent-session-index.js";
import { renameDurable } from "./durable-file.js";
import { KeyedMutex } from "./keyed-mutex.js";
import {
  entryDisplayName,
  entryToRow,
  type SessionStoreRow,
  type StoredSessionEntry,
} from "./session-entry.js";
import {
  applyPatch,
  compactionSummary,
  InitSchema,
  PatchSchema,
  parseOrThrow,
  recordAppend,
  truncate,
} from "./session-entry-changes.js";
import { SessionError } from "./session-error.js";
import { DEFAULT_AGENT_ID, normalizeAgentId, normalizeSessionKey, parseSessionKey } from "./session-key.js";
import { listRows } from "./session-list.js";
import {
  type ResolvableSession,
  resolveSession,
  type SessionQuery,
  type SessionResolution,
} from "./session-resolver.js";
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
import { TranscriptCache } from "./transcript-cache.js";
import {
  readTranscriptFile,
  rewriteTranscriptFile,
  type TranscriptEntry,
  TranscriptWriter,
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

interface Located {
  index: AgentSessionIndex;
  entry: StoredSessionEntry;
}

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
  private readonly stateDir: string;
  private readonly defaultAgentId: string;
  private readonly now: () => number;
  private readonly indexes = new Map<string, AgentSessionIndex>();
  /** Which agent index holds each key (keys are unique across agents). */
  private readonly owners = new Map<string, AgentSessionIndex>();
  private readonly locks = new KeyedMutex();
  private readonly writers = new Map<string, TranscriptWriter>();
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Recently read transcripts, kept in step with appends, so a chat turn does not re-read its whole history. */
  private readonly transcripts = new TranscriptCache();
  /** Sessions whose index entry (which names their transcript) is not on disk yet: appends to them wait for it. */
  private readonly creating = new Map<string, Promise<void>>();
  private closing: Promise<void> | undefined;

  constructor(
    stateDir: string,
    defaultAgentId: string,
    now: () => number,
    logger: SessionStoreLogger,
    loaded: AgentSessionIndex[],
  ) {
    this.stateDir = stateDir;
    this.defaultAgentId = defaultAgentId;
    this.now = now;
    for (const index of loaded) {
      this.indexes.set(index.agentId, index);
      for (const key of index.entries.keys()) {
        const owner = this.owners.get(key);
        if (owner) {
          logger.warn("sessions.index.duplicate_key", { key, keptIn: owner.path, ignoredIn: index.path });
          continue;
        }
        this.owners.set(key, index);
      }
    }
    this.indexPath = this.indexFor(defaultAgentId).path;
  }

  /** Index rewrites completed so far, across agents (for tests and metrics). */
  get indexWriteCount(): number {
    let total = 0;
    for (const index of this.indexes.values()) total += index.writeCount;
    return total;
  }

  list(o: SessionListOptions = {}): Promise<{ rows: SessionStoreRow[]; total: number }> {
    return this.track(async () => listRows(this.allEntries(), o, this.now()));
  }

  get(key: string): Promise<SessionStoreRow | undefined> {
    return this.track(async () => {
      const canonical = this.canonical(key);
      const found = this.find(canonical);
      return found ? entryToRow(canonical, found.index.agentId, found.entry) : undefined;
    });
  }

  ensure(key: string, init: SessionInit = {}): Promise<SessionStoreRow> {
    return this.track(async () => {
      const fields = parseOrThrow(InitSchema, init, "INVALID_SESSION_PATCH", "ensure init");
      const canonical = this.canonical(key);
      const { index, row } = await this.locks.run(canonical, () => {
        const found = this.find(canonical) ?? this.create(canonical, fields);
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
        const existing = this.find(canonical);
        this.checkExpectedSessionId(canonical, existing, patch.expectedSessionId);
        const found = existing ?? this.create(canonical, {});
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
        const existing = this.find(canonical);
        if (!existing) {
          const created = this.create(canonical, {});
          await created.index.persist();
          return { row: entryToRow(canonical, created.index.agentId, created.entry) };
        }
        const { index, entry } = existing;
        const previousSessionId = entry.sessionId;
        await this.retireWriter(index.transcriptPath(previousSessionId));
        const at = this.now();
        entry.sessionId = randomUUID();
        entry.sessionStartedAt = at;
        entry.updatedAt = at;
        entry.messageCount = 0;
        entry.lastActiveAt = null;
        for (const field of [
          "lastMessagePreview",
          "inputTokens",
          "outputTokens",
          "totalTokens",
          "compactionCount",
        ]) {
          delete entry[field];
        }
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
        const found = this.find(canonical);
        if (!found) return { deleted: false, archived: [] };
        this.checkExpectedSessionId(canonical, found, o.expectedSessionId);
        const { index, entry } = found;
        const transcript = index.transcriptPath(entry.sessionId);
        await this.retireWriter(transcript);
        index.entries.delete(canonical);
        this.owners.delete(canonical);
        index.touch();
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
      if (!Number.isInteger(maxLines) || maxLines < 1) {
        throw new SessionError(
          "INVALID_SESSION_QUERY",
          `maxLines must be a positive integer, got ${maxLines}`,
        );
      }
      const canonical = this.canonical(key);
      return this.locks.run(canonical, async () => {
        const found = this.find(canonical);
        if (!found) return { compacted: false, kept: 0, removed: 0 };
        const { index, entry } = found;
        const path = index.transcriptPath(entry.sessionId);
        await this.retireWriter(path);
        const entries = await readTranscriptFile(path);
        if (entries.length <= maxLines) return { compacted: false, kept: entries.length, removed: 0 };
        const removed = entries.slice(0, entries.length - maxLines);
        const kept = entries.slice(entries.length - maxLines);
        const at = this.now();
        const startedAt = entry.sessionStartedAt ?? entry.createdAt ?? at;
        const header = transcriptHeaderLine(entry.sessionId, startedAt, canonical);
        await rewriteTranscriptFile(path, header, [compactionSummary(removed, at), ...kept]);
        entry.messageCount = kept.filter((e) => e.role !== "summary").length;
        entry.compactionCount = (entry.compactionCount ?? 0) + 1;
        entry.updatedAt = at;
        index.touch();
        await index.persist();
        return { compacted: true, kept: kept.length, removed: removed.length };
      });
    });
  }

  appendTranscript(key: string, entry: TranscriptEntry): Promise<void> {
    return this.track(async () => {
      const { entry: valid, line } = transcriptLine(entry);
      const canonical = this.canonical(key);
      const { written, index, created, sessionId, creation } = await this.locks.run(canonical, () => {
        const existing = this.find(canonical);
        const found = existing ?? this.create(canonical, {});
        const stored = found.entry;
        const writer = this.writerFor(found.index, canonical, stored);
        const written = writer.append(line);
        written.catch(() => undefined);
        // In the same locked step as the file append, so a concurrent read can neither miss nor double it.
        this.transcripts.append(found.index.transcriptPath(stored.sessionId), valid);
        recordAppend(stored, valid, this.now());
        found.index.touch();
        return {
          written,
          index: found.index,
          created: existing === undefined,
          sessionId: stored.sessionId,
          creation: this.creating.get(canonical),
        };
      });
      // The transcript line is the durable record. A new session's index entry (which names its transcript file)
      // is written before the append resolves; for an existing one the counters it changed (message count,
      // preview, usage) are written within a quarter second, so a crash can lose at most that much of them.
      written.catch(() => this.transcripts.forget(index.transcriptPath(sessionId)));
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
      const found = this.find(this.canonical(key));
      if (!found) return [];
      const path = found.index.transcriptPath(found.entry.sessionId);
      let entries = this.transcripts.get(path);
      if (!entries) {
        // Under the session's lock with queued appends drained, the file and the cache cannot miss an append.
        entries = await this.locks.run(this.canonical(key), async () => {
          await this.writers.get(path)?.drain();
          const read = await readTranscriptFile(path);
          this.transcripts.set(path, read);
          return read;
        });
      }
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
        sessions: () => this.resolvableSessions(),
        canonicalKey: (key, agentId) => {
          const canonical = normalizeSessionKey(key, { agentId: agentId ?? this.defaultAgentId });
          return { key: canonical, agentId: this.agentIdFor(canonical, agentId) };
        },
        lookup: (canonical) => {
          const found = this.find(canonical);
          return found ? resolvable(canonical, found) : undefined;
        },
      }),
    );
  }

  count(): Promise<number> {
    return this.track(async () => this.owners.size);
  }

  close(): Promise<void> {
    if (!this.closing) {
      this.closing = (async () => {
        while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
        await Promise.allSettled([...this.indexes.values()].map((index) => index.flushPending()));
      })();
    }
    return this.closing;
  }

  private track<T>(work: () => Promise<T>): Promise<T> {
    if (this.closing) {
      return Promise.reject(
        new SessionError(
          "STORE_CLOSED",
          "the session store is closed; open a new one with createFileSessionStore",
        ),
      );
    }
    const running = work();
    this.inFlight.add(running);
    const forget = () => this.inFlight.delete(running);
    running.then(forget, forget);
    return running;
  }

  private canonical(key: string): string {
    return normalizeSessionKey(key, { agentId: this.defaultAgentId });
  }

  private agentIdFor(canonicalKey: string, fallback?: string): string {
    const owner = this.owners.get(canonicalKey);
    if (owner) return owner.agentId;
    return parseSessionKey(canonicalKey)?.agentId ?? normalizeAgentId(fallback ?? this.defaultAgentId);
  }

  private indexFor(agentId: string): AgentSessionIndex {
    let index = this.indexes.get(agentId);
    if (!index) {
      index = new AgentSessionIndex(this.stateDir, agentId);
      this.indexes.set(agentId, index);
    }
    return index;
  }

  private find(canonicalKey: string): Located | undefined {
    const index = this.owners.get(canonicalKey);
    const entry = index?.entries.get(canonicalKey);
    return index && entry ? { index, entry } : undefined;
  }

  private tryFind(key: string): Located | undefined {
    try {
      return this.find(this.canonical(key));
    } catch {
      return undefined;
    }
  }

  private create(canonicalKey: string, init: z.infer<typeof InitSchema>): Located {
    const index = this.indexFor(this.agentIdFor(canonicalKey));
    const parsed = parseSessionKey(canonicalKey);
    const at = this.now();
    const entry: StoredSessionEntry = {
      sessionId: randomUUID(),
      createdAt: at,
      updatedAt: at,
      sessionStartedAt: at,
      messageCount: 0,
      lastActiveAt: null,
    };
    const derived = {
      channel: init.channel ?? parsed?.channel,
      accountId: init.accountId ?? parsed?.accountId,
      chatType: init.chatType ?? parsed?.chatType,
      label: init.label?.trim() || undefined,
      displayName: init.displayName,
    };
    for (const [field, value] of Object.entries(derived)) {
      if (value !== undefined) entry[field] = value;
    }
    index.entries.set(canonicalKey, entry);
    this.owners.set(canonicalKey, index);
    index.touch();
    const durable = index.persist();
    this.creating.set(canonicalKey, durable);
    const settled = () => {
      if (this.creating.get(canonicalKey) === durable) this.creating.delete(canonicalKey);
    };
    durable.then(settled, settled);
    return { index, entry };
  }

  private checkExpectedSessionId(
    key: string,
    found: Located | undefined,
    expected: string | undefined,
  ): void {
    if (expected === undefined || found?.entry.sessionId === expected) return;
    throw new SessionError(
      "SESSION_CONFLICT",
      found
        ? `session "${key}" is now at sessionId ${found.entry.sessionId}, not ${expected}; reload it and retry`
        : `session "${key}" does not exist, so it cannot be at sessionId ${expected}; reload and retry`,
      { details: { key, expectedSessionId: expected, actualSessionId: found?.entry.sessionId } },
    );
  }

  private writerFor(index: AgentSessionIndex, key: string, entry: StoredSessionEntry): TranscriptWriter {
    const path = index.transcriptPath(entry.sessionId);
    let writer = this.writers.get(path);
    if (!writer) {
      const { sessionId } = entry;
      const startedAt = entry.sessionStartedAt ?? entry.createdAt ?? this.now();
      writer = new TranscriptWriter(
        path,
        () => transcriptHeaderLine(sessionId, startedAt, key),
        () => index.ensureDirectory(),
      );
      this.writers.set(path, writer);
    }
    return writer;
  }

  /** Waits for queued appends to `path` to land, then forgets its writer (the file is about to change). */
  private async retireWriter(path: string): Promise<void> {
    this.transcripts.forget(path);
    const writer = this.writers.get(path);
    if (!writer) return;
    this.writers.delete(path);
    await writer.drain().catch(() => undefined);
  }

  private *allEntries(): Generator<{ key: string; index: AgentSessionIndex; entry: StoredSessionEntry }> {
    for (const index of this.indexes.values()) {
      for (const [key, entry] of index.entries) {
        if (this.owners.get(key) === index) yield { key, index, entry };
      }
    }
  }

  private *resolvableSessions(): Generator<ResolvableSession> {
    for (const { key, index, entry } of this.allEntries()) yield resolvable(key, { index, entry });
  }
}

function resolvable(key: string, { index, entry }: Located): ResolvableSession {
  const session: ResolvableSession = { key, agentId: index.agentId, sessionId: entry.sessionId };
  if (entry.label !== undefined) session.label = entry.label;
  const displayName = entryDisplayName(entry);
  if (displayName !== undefined) session.displayName = displayName;
  return session;
}
