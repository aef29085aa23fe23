import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { agentSessionsDir, INDEX_FILE_NAME, listAgentDirectories } from "../agent-session-index.js";
import { isNotFound } from "../durable-file.js";
import { type StoredSessionEntry, StoredSessionEntrySchema } from "../session-entry.js";
import { isSessionError } from "../session-error.js";
import { listTranscriptIds } from "../session-index-rebuild.js";
import { isValidSessionKey, normalizeSessionKey } from "../session-key.js";
import { type StreamedTranscript, streamTranscriptInto } from "./legacy-transcript-stream.js";
import type { SessionStorage } from "./storage-port.js";

/** The table and key of the row that records a finished legacy import. */
export const LEGACY_IMPORT_TABLE = "meta";
export const LEGACY_IMPORT_KEY = "legacy-import";
const DEFAULT_BATCH_SIZE = 500;

export interface LegacyImportLogger {
  info?(event: string, fields: Record<string, unknown>): void;
  warn(event: string, fields: Record<string, unknown>): void;
}

export interface LegacyImportOptions {
  /** The state directory holding `agents/<agentId>/sessions/sessions.json` and the JSONL transcripts. */
  stateDir: string;
  storage: SessionStorage;
  logger?: LegacyImportLogger;
  /** Transcript entries written per storage call (default 500). */
  batchSize?: number;
  now?: () => number;
}

export interface LegacyImportResult {
  /** True when this call ran the import (the first start); false when the marker says it was done before. */
  imported: boolean;
  sessions: number;
  transcripts: number;
  entries: number;
  /** Transcript lines that were neither an entry nor a header (torn, or OpenClaw bookkeeping). */
  ignoredLines: number;
  /** Files and entries left out, with why (the originals stay where they are). */
  skipped: Array<{ path: string; reason: string }>;
}

/** The value of the marker row. */
export interface LegacyImportMarker {
  importedAt: number;
  stateDir: string;
  sessions: number;
  transcripts: number;
  entries: number;
  skipped: number;
}

/**
 * Imports the legacy file layout (ours, which is OpenClaw's pre-SQLite layout) into `storage` once: every session
 * of every agent's `sessions.json` with its `<sessionId>.jsonl` transcript, plus transcripts no entry names (kept
 * under their sessionId, as a reset leaves them; if an index is missing or unreadable they become sessions again,
 * as the file store rebuilds them). The files are only read, never changed. A marker row in table `meta` makes
 * every later call a no-op; an import interrupted before the marker is written simply runs again.
 */
export async function importLegacySessionFiles(o: LegacyImportOptions): Promise<LegacyImportResult> {
  const meta = o.storage.table<LegacyImportMarker>(LEGACY_IMPORT_TABLE);
  const result: LegacyImportResult = {
    imported: false,
    sessions: 0,
    transcripts: 0,
    entries: 0,
    ignoredLines: 0,
    skipped: [],
  };
  if (await meta.get(LEGACY_IMPORT_KEY)) return result;
  const importer = new AgentImporter(o, result);
  for (const agentId of await listAgentDirectories(o.stateDir)) await importer.importAgent(agentId);
  // Nothing there (a new install): no marker, so a fresh state dir's first start writes nothing (and costs no
  // commit); legacy files that appear later are still imported on the next start.
  if (result.sessions === 0 && result.transcripts === 0 && result.skipped.length === 0) return result;
  const marker: LegacyImportMarker = {
    importedAt: (o.now ?? Date.now)(),
    stateDir: o.stateDir,
    sessions: result.sessions,
    transcripts: result.transcripts,
    entries: result.entries,
    skipped: result.skipped.length,
  };
  try {
    await meta.put(LEGACY_IMPORT_KEY, marker, 0);
  } catch (error) {
    // Another process finished the same import first: its marker stands, and what this one wrote is the same data.
    if (!isSessionError(error, "SESSION_CONFLICT")) throw error;
  }
  result.imported = true;
  const { skipped, ...counts } = result;
  o.logger?.info?.("sessions.legacy_import.done", {
    stateDir: o.stateDir,
    ...counts,
    skipped: skipped.length,
  });
  for (const item of skipped.slice(0, 20)) o.logger?.warn("sessions.legacy_import.skipped", item);
  return result;
}

class AgentImporter {
  private readonly batchSize: number;

  constructor(
    private readonly o: LegacyImportOptions,
    private readonly result: LegacyImportResult,
  ) {
    this.batchSize = o.batchSize ?? DEFAULT_BATCH_SIZE;
  }

  async importAgent(agentId: string): Promise<void> {
    const dir = agentSessionsDir(this.o.stateDir, agentId);
    const indexPath = join(dir, INDEX_FILE_NAME);
    const index = await this.readIndex(indexPath);
    const named = new Set<string>();
    for (const [key, value] of Object.entries(index ?? {})) {
      const parsed = StoredSessionEntrySchema.safeParse(value);
      if (!parsed.success || !isValidSessionKey(key)) {
        this.skip(indexPath, `entry "${key.slice(0, 200)}" is not a valid session (${issueOf(parsed)})`);
        continue;
      }
      named.add(parsed.data.sessionId);
      await this.importSession(agentId, key, parsed.data, join(dir, `${parsed.data.sessionId}.jsonl`));
    }
    for (const sessionId of await listTranscriptIds(dir)) {
      if (named.has(sessionId)) continue;
      const path = join(dir, `${sessionId}.jsonl`);
      // With a readable index an unnamed transcript is an earlier sessionId of some session: keep its history.
      if (index) await this.importTranscriptOnly(path, sessionId);
      else await this.importOrphanSession(agentId, path, sessionId);
    }
  }

  /** The index as a map, or undefined (with the reason recorded) when it is missing or unreadable. */
  private async readIndex(path: string): Promise<Record<string, unknown> | undefined> {
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
    try {
      const data = JSON.parse(text) as unknown;
      if (typeof data === "object" && data !== null && !Array.isArray(data))
        return data as Record<string, unknown>;
      this.skip(
        path,
        "top level is not an object of sessionKey -> entry; sessions are rebuilt from the transcripts",
      );
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.skip(path, `not valid JSON (${reason}); sessions are rebuilt from the transcripts`);
    }
    return undefined;
  }

  private async importSession(
    agentId: string,
    rawKey: string,
    entry: StoredSessionEntry,
    transcriptPath: string,
  ): Promise<void> {
    const key = canonicalKey(rawKey, agentId);
    if (key === undefined) {
      this.skip(transcriptPath, `key "${rawKey.slice(0, 200)}" is not a valid session key`);
      return;
    }
    const existing = await this.o.storage.getSession(key);
    if (existing) {
      // Written by an earlier, interrupted run of this import: the row is written last, so it is complete.
      if (existing.entry.sessionId === entry.sessionId) return;
      this.skip(
        transcriptPath,
        `key "${key}" already holds session ${existing.entry.sessionId} in the storage`,
      );
      return;
    }
    const streamed = await this.stream(transcriptPath, entry.sessionId);
    await this.putRow(key, agentId, withCounters(entry, streamed), transcriptPath);
  }

  private async importOrphanSession(agentId: string, path: string, sessionId: string): Promise<void> {
    const streamed = await this.stream(path, sessionId);
    const fromHeader = streamed.header?.key;
    let key = `agent:${agentId}:recovered-${sessionId.toLowerCase()}`;
    const canonical = fromHeader === undefined ? undefined : canonicalKey(fromHeader, agentId);
    if (canonical !== undefined && !(await this.o.storage.getSession(canonical))) key = canonical;
    const existing = await this.o.storage.getSession(key);
    if (existing) {
      if (existing.entry.sessionId !== sessionId) this.skip(path, `key "${key}" is taken in the storage`);
      return;
    }
    const info = await stat(path);
    const started = Date.parse(streamed.header?.timestamp ?? "");
    const createdAt = Number.isFinite(started) ? started : info.birthtimeMs || info.mtimeMs;
    const entry: StoredSessionEntry = {
      sessionId,
      createdAt,
      sessionStartedAt: createdAt,
      updatedAt: info.mtimeMs,
    };
    await this.putRow(key, agentId, withCounters(entry, streamed), path);
  }

  private async importTranscriptOnly(path: string, sessionId: string): Promise<void> {
    await this.stream(path, sessionId);
  }

  private async stream(path: string, sessionId: string): Promise<StreamedTranscript> {
    const streamed = await streamTranscriptInto(this.o.storage, path, sessionId, this.batchSize);
    if (streamed.found) {
      this.result.transcripts += 1;
      this.result.entries += streamed.entries;
      this.result.ignoredLines += streamed.ignoredLines;
    }
    return streamed;
  }

  private async putRow(key: string, agentId: string, entry: StoredSessionEntry, path: string): Promise<void> {
    try {
      await this.o.storage.putSession({ key, agentId, entry, expectedVersion: 0 });
      this.result.sessions += 1;
    } catch (error) {
      if (!isSessionError(error, "SESSION_CONFLICT")) throw error;
      this.skip(path, `key "${key}" was written by someone else during the import`);
    }
  }

  private skip(path: string, reason: string): void {
    this.result.skipped.push({ path, reason });
  }
}

/**
 * The entry with the counters the transcript gives where the entry has none (OpenClaw's entries carry no message
 * count or preview). Counters the entry has, and its times, win.
 */
export function withCounters(entry: StoredSessionEntry, streamed: StreamedTranscript): StoredSessionEntry {
  const merged: StoredSessionEntry = { ...entry };
  const { counters } = streamed;
  merged.messageCount ??= counters.messageCount ?? 0;
  if (merged.lastActiveAt === undefined || merged.lastActiveAt === null) {
    merged.lastActiveAt = counters.lastActiveAt ?? null;
  }
  if (merged.lastMessagePreview === undefined && counters.lastMessagePreview !== undefined) {
    merged.lastMessagePreview = counters.lastMessagePreview;
  }
  for (const field of ["inputTokens", "outputTokens", "totalTokens"] as const) {
    if (merged[field] === undefined && counters[field] !== undefined) merged[field] = counters[field];
  }
  return merged;
}

export function canonicalKey(key: string, agentId: string): string | undefined {
  try {
    return normalizeSessionKey(key, { agentId });
  } catch {
    return undefined;
  }
}

function issueOf(parsed: {
  success: boolean;
  error?: { issues: Array<{ path: PropertyKey[]; message: string }> };
}) {
  const issue = parsed.error?.issues[0];
  if (!issue) return "its key is not a valid session key";
  return `${issue.path.map(String).join(".") || "value"}: ${issue.message}`;
}
