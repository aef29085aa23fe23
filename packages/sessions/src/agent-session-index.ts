import { copyFile, readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import {
  ensureDirectoryDurable,
  fsyncDirectory,
  isNotFound,
  renameDurable,
  writeFileAtomic,
} from "./durable-file.js";
import { GroupCommit } from "./group-commit.js";
import { type StoredSessionEntry, StoredSessionEntrySchema } from "./session-entry.js";
import { SessionError } from "./session-error.js";
import {
  type AdoptedTranscript,
  adoptOrphanTranscripts,
  listTranscriptIds,
  salvageKeys,
} from "./session-index-rebuild.js";
import { isValidSessionKey, normalizeAgentId } from "./session-key.js";
import type { SessionStoreLogger } from "./session-store.js";

export const INDEX_FILE_NAME = "sessions.json";

export function agentSessionsDir(stateDir: string, agentId: string): string {
  return join(stateDir, "agents", agentId, "sessions");
}

/** A timestamp safe in a file name on every platform (`:` is not allowed on Windows). */
export function fileStamp(now: number): string {
  return new Date(now).toISOString().replaceAll(":", "-");
}

/**
 * One agent's `sessions.json`: the in-memory map is the truth for this process, and `persist()`
 * makes everything mutated so far durable through one group-committed atomic rewrite.
 */
export class AgentSessionIndex {
  readonly agentId: string;
  readonly sessionsDir: string;
  readonly path: string;
  readonly entries = new Map<string, StoredSessionEntry>();
  /** Completed index rewrites; lets tests prove that bursts are batched. */
  writeCount = 0;
  private version = 0;
  private durableVersion = 0;
  private directoryReady: Promise<void> | undefined;
  private readonly commit = new GroupCommit(() => this.flush());
  private lazyTimer: NodeJS.Timeout | undefined;

  constructor(stateDir: string, agentId: string) {
    this.agentId = agentId;
    this.sessionsDir = agentSessionsDir(stateDir, agentId);
    this.path = join(this.sessionsDir, INDEX_FILE_NAME);
  }

  /** Creates `agents/<agentId>/sessions/` (durably) once. */
  ensureDirectory(): Promise<void> {
    if (!this.directoryReady) {
      this.directoryReady = ensureDirectoryDurable(this.sessionsDir);
      this.directoryReady.catch(() => {
        this.directoryReady = undefined;
      });
    }
    return this.directoryReady;
  }

  transcriptPath(sessionId: string): string {
    return join(this.sessionsDir, `${sessionId}.jsonl`);
  }

  /** Records that `entries` changed; call it in the same synchronous step as the change. */
  touch(): void {
    this.version += 1;
  }

  /** Resolves once every change recorded with `touch()` before the call is on disk. */
  persist(): Promise<void> {
    if (this.durableVersion >= this.version) return Promise.resolve();
    return this.commit.request();
  }

  /**
   * Makes the changes durable within `delayMs` without making the caller wait. For metadata that can be
   * recomputed from a durable record (message counts, previews, usage after a transcript append), this saves an
   * index rewrite and two fsyncs per chat turn. `flushPending()` (on close) writes anything still scheduled.
   */
  persistSoon(delayMs = 250): void {
    if (this.lazyTimer || this.durableVersion >= this.version) return;
    this.lazyTimer = setTimeout(() => {
      this.lazyTimer = undefined;
      // A failed write leaves durableVersion behind, so the next persist() retries it.
      this.persist().catch(() => undefined);
    }, delayMs);
    this.lazyTimer.unref();
  }

  async flushPending(): Promise<void> {
    if (this.lazyTimer) {
      clearTimeout(this.lazyTimer);
      this.lazyTimer = undefined;
    }
    await this.persist();
  }

  private async flush(): Promise<void> {
    // Serialised before the first await: this write covers exactly the changes made until now.
    const version = this.version;
    // Compact: the index is rewritten whenever a session is created, so its size is paid on every new chat.
    const json = `${JSON.stringify(Object.fromEntries(this.entries))}\n`;
    await this.ensureDirectory();
    await writeFileAtomic(this.path, json);
    this.durableVersion = Math.max(this.durableVersion, version);
    this.writeCount += 1;
  }
}

export interface LoadIndexOptions {
  stateDir: string;
  agentId: string;
  now: () => number;
  logger: SessionStoreLogger;
  /** Whether another agent's index already owns a key (a rebuilt index must not claim it). */
  isTaken?: (key: string) => boolean;
  /** Told what a rebuild brought back (for a repair report). */
  onRebuilt?: (adopted: AdoptedTranscript[]) => void;
}

/**
 * Loads one agent's index. An index that is not valid JSON (or not an object) is moved aside to
 * `sessions.json.corrupt-<ts>` and the agent starts empty; entries that fail validation are dropped,
 * after a copy of the file is kept under the same name. Both are logged. If the corrupt file cannot
 * be moved aside, loading fails with STORE_CORRUPT rather than overwrite it.
 */
export async function loadAgentSessionIndex(o: LoadIndexOptions): Promise<AgentSessionIndex> {
  const index = new AgentSessionIndex(o.stateDir, o.agentId);
  await removeStaleTemporaries(index.sessionsDir);
  let text: string;
  try {
    text = await readFile(index.path, "utf8");
  } catch (error) {
    if (!isNotFound(error)) throw error;
    // No index but transcripts: it was deleted or lost; the transcripts say which sessions there were.
    if ((await listTranscriptIds(index.sessionsDir)).length > 0) {
      await rebuild(index, o, { reason: "sessions.json is missing", salvaged: new Map() });
    }
    return index;
  }

  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    await rebuild(index, o, {
      reason,
      salvaged: salvageKeys(text),
      movedTo: await quarantine(index, o, reason),
    });
    return index;
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    const reason = "top level is not an object of sessionKey -> entry";
    await rebuild(index, o, {
      reason,
      salvaged: salvageKeys(text),
      movedTo: await quarantine(index, o, reason),
    });
    return index;
  }

  const dropped: string[] = [];
  for (const [key, value] of Object.entries(data)) {
    const parsed = StoredSessionEntrySchema.safeParse(value);
    if (parsed.success && isValidSessionKey(key)) index.entries.set(key, parsed.data);
    else dropped.push(key.slice(0, 200));
  }
  if (dropped.length > 0) {
    const copy = `${index.path}.corrupt-${fileStamp(o.now())}`;
    await copyFile(index.path, copy);
    await fsyncDirectory(index.sessionsDir);
    o.logger.warn("sessions.index.entries_dropped", {
      path: index.path,
      copy,
      dropped: dropped.length,
      keys: dropped.slice(0, 20),
    });
  }
  return index;
}

/**
 * Rebuilds a lost or unreadable index from the transcripts and writes it. Logged as a warning naming every session
 * whose key could not be recovered (kept under a `recovered-<sessionId>` key, never dropped).
 */
async function rebuild(
  index: AgentSessionIndex,
  o: LoadIndexOptions,
  damage: { reason: string; salvaged: Map<string, string>; movedTo?: string },
): Promise<void> {
  const adopted = await adoptOrphanTranscripts(index, {
    salvaged: damage.salvaged,
    now: o.now(),
    ...(o.isTaken ? { isTaken: o.isTaken } : {}),
  });
  if (adopted.length > 0) await index.persist();
  o.onRebuilt?.(adopted);
  const keyless = adopted.filter((item) => item.source === "none");
  o.logger.warn("sessions.index.rebuilt", {
    path: index.path,
    reason: damage.reason,
    ...(damage.movedTo ? { movedTo: damage.movedTo } : {}),
    sessions: adopted.length,
    keysFromIndexCopy: adopted.filter((item) => item.source === "index-copy").length,
    keysLost: keyless.length,
    ...(keyless.length > 0 ? { keptAs: keyless.slice(0, 20).map((item) => item.key) } : {}),
    fix: "check `openclaw sessions list`; `openclaw doctor --fix` repeats the repair",
  });
}

async function quarantine(index: AgentSessionIndex, o: LoadIndexOptions, reason: string): Promise<string> {
  const movedTo = `${index.path}.corrupt-${fileStamp(o.now())}`;
  try {
    await renameDurable(index.path, movedTo);
  } catch (cause) {
    throw new SessionError(
      "STORE_CORRUPT",
      `${index.path} is not a valid session index and could not be moved aside; move or repair it by hand, then restart`,
      { cause, details: { path: index.path, reason } },
    );
  }
  o.logger.warn("sessions.index.corrupt", {
    path: index.path,
    movedTo,
    reason,
    action: "rebuilding from the transcripts",
  });
  return movedTo;
}

// A crash between creating and renaming a temp file leaves `<name>.<pid>.<rand>.tmp` behind.
const TEMPORARY_FILE = /\.\d+\.[0-9a-f]{12}\.tmp$/;

async function removeStaleTemporaries(dir: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if (isNotFound(error)) return;
    throw error;
  }
  for (const name of names) {
    if (TEMPORARY_FILE.test(name)) {
      await rm(join(dir, name), { force: true });
    }
  }
}

/** The agents that have a folder under `<stateDir>/agents`: only names that are already canonical agent ids. */
export async function listAgentDirectories(stateDir: string): Promise<string[]> {
  try {
    const dirents = await readdir(join(stateDir, "agents"), { withFileTypes: true });
    // Nothing but a canonical agent id is ever used as a path segment.
    return dirents.filter((d) => d.isDirectory() && normalizeAgentId(d.name) === d.name).map((d) => d.name);
  } catch (error) {
    if (isNotFound(error)) return [];
    throw error;
  }
}
