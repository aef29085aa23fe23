import {
  importLegacySessionFiles,
  LEGACY_IMPORT_TABLE,
  type LegacyImportOptions,
  type LegacyImportResult,
} from "./legacy-import.js";
import {
  importOpenClawSqliteSessions,
  OPENCLAW_SQLITE_IMPORT_KEY,
  type OpenClawSqliteImportResult,
} from "./openclaw-sqlite-import.js";
import { hasOpenClawSqliteState, openOpenClawSqliteSnapshot } from "./openclaw-sqlite-snapshot.js";

export interface OpenClawSessionsImportResult {
  /** OpenClaw's older layout (and ours): `agents/<id>/sessions/sessions.json` + JSONL transcripts. */
  legacy: LegacyImportResult;
  /** OpenClaw 2026.9's SQLite layout; undefined when the state directory has none or it was imported before. */
  sqlite?: OpenClawSqliteImportResult;
  /**
   * Why OpenClaw's databases could not be read (unreadable, not SQLite, node:sqlite missing): nothing of them was
   * imported and no marker written, so the next start tries again. The gateway starts and says so.
   */
  sqliteError?: string;
}

/**
 * Everything an existing OpenClaw state directory holds about sessions, imported into `storage` once, in both
 * layouts: the legacy files, then OpenClaw 2026.9's databases (read from a private copy, made only while the
 * import has not run yet, so a later start costs one marker lookup). The originals are never changed.
 */
export async function importOpenClawSessions(o: LegacyImportOptions): Promise<OpenClawSessionsImportResult> {
  const legacy = await importLegacySessionFiles(o);
  const meta = o.storage.table(LEGACY_IMPORT_TABLE);
  if ((await meta.get(OPENCLAW_SQLITE_IMPORT_KEY)) || !(await hasOpenClawSqliteState(o.stateDir))) {
    return { legacy };
  }
  try {
    return { legacy, sqlite: await importFromCopy(o) };
  } catch (error) {
    return { legacy, sqliteError: error instanceof Error ? error.message : String(error) };
  }
}

async function importFromCopy(o: LegacyImportOptions): Promise<OpenClawSqliteImportResult | undefined> {
  const snapshot = await openOpenClawSqliteSnapshot(o.stateDir);
  if (!snapshot) return undefined;
  try {
    const options = { snapshot, storage: o.storage };
    return await importOpenClawSqliteSessions({
      ...options,
      ...(o.logger ? { logger: o.logger } : {}),
      ...(o.batchSize ? { batchSize: o.batchSize } : {}),
      ...(o.now ? { now: o.now } : {}),
    });
  } finally {
    await snapshot.close();
  }
}
