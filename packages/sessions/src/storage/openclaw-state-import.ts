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
  const snapshot = await openOpenClawSqliteSnapshot(o.stateDir);
  if (!snapshot) return { legacy };
  try {
    const options = { snapshot, storage: o.storage };
    const sqlite = await importOpenClawSqliteSessions({
      ...options,
      ...(o.logger ? { logger: o.logger } : {}),
      ...(o.batchSize ? { batchSize: o.batchSize } : {}),
      ...(o.now ? { now: o.now } : {}),
    });
    return { legacy, sqlite };
  } finally {
    await snapshot.close();
  }
}
