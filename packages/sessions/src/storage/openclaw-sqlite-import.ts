import { type StoredSessionEntry, StoredSessionEntrySchema } from "../session-entry.js";
import { isSessionError } from "../session-error.js";
import { canonicalKey, LEGACY_IMPORT_TABLE, type LegacyImportLogger, withCounters } from "./legacy-import.js";
import {
  emptyStreamedTranscript,
  type StreamedTranscript,
  writeTranscriptValues,
} from "./legacy-transcript-stream.js";
import {
  type OpenClawDatabase,
  type OpenClawSqliteSnapshot,
  type SqlRow,
  transcriptEventJson,
} from "./openclaw-sqlite-snapshot.js";
import type { SessionStorage } from "./storage-port.js";

/** The key (in table `meta`) of the row that records a finished import of OpenClaw's SQLite sessions. */
export const OPENCLAW_SQLITE_IMPORT_KEY = "openclaw-sqlite-import";
const DEFAULT_BATCH_SIZE = 500;

export interface OpenClawSqliteImportOptions {
  /** The opened copy of OpenClaw's databases (`openOpenClawSqliteSnapshot`). */
  snapshot: OpenClawSqliteSnapshot;
  storage: SessionStorage;
  logger?: LegacyImportLogger;
  batchSize?: number;
  now?: () => number;
}

export interface OpenClawSqliteImportResult {
  /** False when the marker says this state was imported before (nothing was read). */
  imported: boolean;
  sessions: number;
  transcripts: number;
  entries: number;
  /** Transcript events that are OpenClaw bookkeeping (model snapshots, cache state, ...), not messages. */
  ignoredEvents: number;
  skipped: Array<{ path: string; reason: string }>;
}

export interface OpenClawSqliteImportMarker {
  importedAt: number;
  stateDir: string;
  sessions: number;
  transcripts: number;
  entries: number;
  skipped: number;
}

/**
 * Imports the sessions of OpenClaw 2026.9's SQLite layout once: every row of each agent database's
 * `session_nodes` (its `entry_json` is the same session entry OpenClaw's `sessions.json` held) with the transcript
 * of its current session id from `transcript_events` (one JSON event per row, the same lines its JSONL files held),
 * plus the transcripts of earlier session ids of the same session (`session_windows`), kept as a reset keeps them.
 * Works on the snapshot's copies, so OpenClaw's files are never opened. A marker row in `meta` makes later calls a
 * no-op; an import interrupted before the marker is written runs again and writes the same rows.
 */
export async function importOpenClawSqliteSessions(
  o: OpenClawSqliteImportOptions,
): Promise<OpenClawSqliteImportResult> {
  const meta = o.storage.table<OpenClawSqliteImportMarker>(LEGACY_IMPORT_TABLE);
  const result: OpenClawSqliteImportResult = {
    imported: false,
    sessions: 0,
    transcripts: 0,
    entries: 0,
    ignoredEvents: 0,
    skipped: [],
  };
  if (await meta.get(OPENCLAW_SQLITE_IMPORT_KEY)) return result;
  for (const agentId of o.snapshot.agentIds) {
    await new AgentDatabaseImporter(o, result, agentId, o.snapshot.agent(agentId)).run();
  }
  const marker: OpenClawSqliteImportMarker = {
    importedAt: (o.now ?? Date.now)(),
    stateDir: o.snapshot.stateDir,
    sessions: result.sessions,
    transcripts: result.transcripts,
    entries: result.entries,
    skipped: result.skipped.length,
  };
  try {
    await meta.put(OPENCLAW_SQLITE_IMPORT_KEY, marker, 0);
  } catch (error) {
    if (!isSessionError(error, "SESSION_CONFLICT")) throw error;
  }
  result.imported = true;
  o.logger?.info?.("sessions.openclaw_sqlite_import.done", {
    stateDir: o.snapshot.stateDir,
    sessions: result.sessions,
    transcripts: result.transcripts,
    entries: result.entries,
    skipped: result.skipped.length,
  });
  for (const item of result.skipped.slice(0, 20))
    o.logger?.warn("sessions.openclaw_sqlite_import.skipped", item);
  return result;
}

class AgentDatabaseImporter {
  private readonly where: string;

  constructor(
    private readonly o: OpenClawSqliteImportOptions,
    private readonly result: OpenClawSqliteImportResult,
    private readonly agentId: string,
    private readonly db: OpenClawDatabase,
  ) {
    this.where = `agents/${agentId}/agent/openclaw-agent.sqlite`;
  }

  async run(): Promise<void> {
    const nodes = this.db.rows(
      "SELECT * FROM session_nodes ORDER BY updated_at, session_key",
      [],
      ["session_nodes", "transcript_events"],
    );
    const current = new Set<string>();
    for (const node of nodes) {
      current.add(String(node.current_session_id));
      await this.importSession(node);
    }
    const windows = this.db.rows(
      "SELECT session_id FROM session_windows ORDER BY created_at, session_id",
      [],
      ["session_windows"],
    );
    for (const window of windows) {
      const sessionId = String(window.session_id);
      if (!current.has(sessionId)) await this.importTranscript(sessionId);
    }
  }

  private async importSession(node: SqlRow): Promise<void> {
    const rawKey = String(node.session_key);
    const entry = this.entryOf(node);
    if (!entry) return;
    const key = canonicalKey(rawKey, this.agentId);
    if (key === undefined) {
      this.skip(`key "${rawKey.slice(0, 200)}" is not a valid session key`);
      return;
    }
    const existing = await this.o.storage.getSession(key);
    if (existing) {
      if (existing.entry.sessionId !== entry.sessionId) {
        this.skip(`key "${key}" already holds session ${existing.entry.sessionId} in the storage`);
      }
      return;
    }
    const streamed = await this.importTranscript(entry.sessionId);
    try {
      await this.o.storage.putSession({
        key,
        agentId: this.agentId,
        entry: withCounters(entry, streamed),
        expectedVersion: 0,
      });
      this.result.sessions += 1;
    } catch (error) {
      if (!isSessionError(error, "SESSION_CONFLICT")) throw error;
      this.skip(`key "${key}" was written by someone else during the import`);
    }
  }

  /** The row's `entry_json`, with the columns OpenClaw keeps beside it (label, pin, archive) filled in. */
  private entryOf(node: SqlRow): StoredSessionEntry | undefined {
    let value: unknown;
    try {
      value = JSON.parse(String(node.entry_json));
    } catch {
      this.skip(`session "${String(node.session_key).slice(0, 200)}": entry_json is not JSON`);
      return undefined;
    }
    const merged = { ...(value as Record<string, unknown>) };
    merged.sessionId ??= node.current_session_id;
    merged.updatedAt ??= numberOf(node.updated_at);
    fillFromColumn(merged, "createdAt", numberOf(node.created_at));
    fillFromColumn(merged, "label", node.label);
    fillFromColumn(merged, "displayName", node.display_name);
    fillFromColumn(merged, "pinnedAt", numberOf(node.pinned_at));
    fillFromColumn(merged, "archivedAt", numberOf(node.archived_at));
    const parsed = StoredSessionEntrySchema.safeParse(merged);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    this.skip(
      `session "${String(node.session_key).slice(0, 200)}": ${issue?.path.join(".") || "entry"}: ${issue?.message}`,
    );
    return undefined;
  }

  private async importTranscript(sessionId: string): Promise<StreamedTranscript> {
    const result = emptyStreamedTranscript(sessionId);
    const events = this.events(sessionId);
    await writeTranscriptValues(
      this.o.storage,
      sessionId,
      events,
      this.o.batchSize ?? DEFAULT_BATCH_SIZE,
      result,
    );
    if (result.entries > 0 || result.header) {
      result.found = true;
      this.result.transcripts += 1;
      this.result.entries += result.entries;
      this.result.ignoredEvents += result.ignoredLines;
    }
    return result;
  }

  private *events(sessionId: string): Iterable<unknown> {
    const rows = this.db.iterate(
      "SELECT seq, event_json, event_zstd FROM transcript_events WHERE session_id = ? ORDER BY seq",
      [sessionId],
    );
    for (const row of rows) {
      const json = transcriptEventJson(row);
      if (json === undefined) {
        this.skip(
          `session ${sessionId} event ${String(row.seq)}: compressed, and this Node cannot read zstd`,
        );
        continue;
      }
      try {
        yield JSON.parse(json);
      } catch {
        this.skip(`session ${sessionId} event ${String(row.seq)}: not JSON`);
      }
    }
  }

  private skip(reason: string): void {
    this.result.skipped.push({ path: this.where, reason });
  }
}

function numberOf(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  return undefined;
}

function fillFromColumn(entry: Record<string, unknown>, field: string, value: unknown): void {
  if (entry[field] === undefined && value !== undefined && value !== null) entry[field] = value;
}
