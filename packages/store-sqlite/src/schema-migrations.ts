import type { DatabaseSync } from "node:sqlite";
import { SqliteStorageError } from "./sqlite-storage-error.js";

/**
 * The schema, one migration per version. `PRAGMA user_version` records how many have run; a migration runs in the
 * same transaction as the version bump, so a crash mid-migration leaves the previous version intact. Never edit a
 * shipped migration: append a new one.
 */
const MIGRATIONS: readonly string[] = [
  // 1: sessions with their list columns, the per-group counters `total` reads, transcripts, small tables.
  `
  CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    agent_id TEXT NOT NULL,
    session_id TEXT NOT NULL,
    updated_at REAL NOT NULL,
    pinned_active INTEGER NOT NULL,
    archived INTEGER NOT NULL,
    label TEXT,
    kind TEXT NOT NULL,
    channel TEXT,
    search_text TEXT NOT NULL,
    entry TEXT NOT NULL,
    version INTEGER NOT NULL
  );
  -- One index per list shape, each in the list order, so a page is a range scan that stops at LIMIT. The two
  -- unscoped ones also carry every filtered column (search_text too): a search or a count scans only the index.
  CREATE INDEX sessions_list ON sessions (archived, pinned_active, updated_at DESC, key, kind, agent_id, label, search_text);
  CREATE INDEX sessions_list_all ON sessions (pinned_active, updated_at DESC, key, kind, archived, agent_id, label, search_text);
  CREATE INDEX sessions_agent_list ON sessions (agent_id, archived, pinned_active, updated_at DESC, key, kind);
  CREATE INDEX sessions_agent_list_all ON sessions (agent_id, pinned_active, updated_at DESC, key, kind);
  CREATE INDEX sessions_label ON sessions (label, pinned_active, updated_at DESC, key) WHERE label IS NOT NULL;
  CREATE INDEX sessions_session_id ON sessions (session_id, key);

  -- Row counts per list group, kept by triggers in the writing transaction: 'total' without counting rows.
  CREATE TABLE session_counts (
    agent_id TEXT NOT NULL,
    archived INTEGER NOT NULL,
    pinned_active INTEGER NOT NULL,
    kind TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (agent_id, archived, pinned_active, kind)
  ) WITHOUT ROWID;
  CREATE TRIGGER sessions_count_insert AFTER INSERT ON sessions BEGIN
    INSERT INTO session_counts (agent_id, archived, pinned_active, kind, n)
      VALUES (new.agent_id, new.archived, new.pinned_active, new.kind, 1)
      ON CONFLICT (agent_id, archived, pinned_active, kind) DO UPDATE SET n = n + 1;
  END;
  CREATE TRIGGER sessions_count_delete AFTER DELETE ON sessions BEGIN
    UPDATE session_counts SET n = n - 1
      WHERE agent_id = old.agent_id AND archived = old.archived
        AND pinned_active = old.pinned_active AND kind = old.kind;
  END;
  CREATE TRIGGER sessions_count_update AFTER UPDATE OF agent_id, archived, pinned_active, kind ON sessions
  WHEN old.agent_id IS NOT new.agent_id OR old.archived IS NOT new.archived
    OR old.pinned_active IS NOT new.pinned_active OR old.kind IS NOT new.kind
  BEGIN
    UPDATE session_counts SET n = n - 1
      WHERE agent_id = old.agent_id AND archived = old.archived
        AND pinned_active = old.pinned_active AND kind = old.kind;
    INSERT INTO session_counts (agent_id, archived, pinned_active, kind, n)
      VALUES (new.agent_id, new.archived, new.pinned_active, new.kind, 1)
      ON CONFLICT (agent_id, archived, pinned_active, kind) DO UPDATE SET n = n + 1;
  END;

  -- Clustered by (session_id, seq): "the last N entries" is one backwards range scan.
  CREATE TABLE transcript_entries (
    session_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    entry TEXT NOT NULL,
    PRIMARY KEY (session_id, seq)
  ) WITHOUT ROWID;

  CREATE TABLE kv (
    name TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (name, key)
  ) WITHOUT ROWID;
  `,
  // 2: the usage ledger, one row per turn and model; appended in time order, read by range and grouped.
  `
  CREATE TABLE usage_rows (
    id INTEGER PRIMARY KEY,
    run_id TEXT NOT NULL,
    provider TEXT NOT NULL,
    model TEXT NOT NULL,
    ts INTEGER NOT NULL,
    session_key TEXT NOT NULL,
    session_id TEXT,
    agent_id TEXT NOT NULL,
    channel TEXT,
    calls INTEGER NOT NULL,
    input INTEGER NOT NULL,
    output INTEGER NOT NULL,
    cache_read INTEGER NOT NULL,
    cache_write INTEGER NOT NULL,
    -- Dollars; NULL = no price configured for the model when the turn ran (not free).
    cost_input REAL,
    cost_output REAL,
    cost_cache_read REAL,
    cost_cache_write REAL,
    cost_total REAL,
    duration_ms INTEGER,
    tool_calls INTEGER NOT NULL,
    errors INTEGER NOT NULL,
    -- 0 on a turn's second and later models (a fallback): turns are SUM(first_of_turn), no COUNT(DISTINCT).
    first_of_turn INTEGER NOT NULL,
    UNIQUE (run_id, provider, model)
  );
  CREATE INDEX usage_rows_ts ON usage_rows (ts);
  CREATE INDEX usage_rows_agent_ts ON usage_rows (agent_id, ts);
  CREATE INDEX usage_rows_session_ts ON usage_rows (session_key, ts);
  `,
  // 3: readTranscript({ turnOf }): a keyed send finds its key's user entries, then their runs' entries (a run id, and
  // a range for its resumes '<runId>:resume-<n>'), without reading the session's whole transcript.
  `
  CREATE INDEX transcript_entries_key ON transcript_entries (session_id, json_extract(entry, '$.idempotencyKey'))
    WHERE json_extract(entry, '$.idempotencyKey') IS NOT NULL;
  CREATE INDEX transcript_entries_run ON transcript_entries (session_id, json_extract(entry, '$.runId'))
    WHERE json_extract(entry, '$.runId') IS NOT NULL;
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Brings the database to `SCHEMA_VERSION`; refuses a database written by a newer version of this package. */
export function migrateSchema(db: DatabaseSync, location: string): void {
  const current = Number(db.prepare("PRAGMA user_version").get()?.user_version ?? 0);
  if (current > SCHEMA_VERSION) {
    throw new SqliteStorageError(
      "SQLITE_SCHEMA_TOO_NEW",
      `${location} has schema version ${current}, newer than this @openclaw/store-sqlite understands (${SCHEMA_VERSION}); upgrade openclaw, or point storage.path at another file`,
      { details: { location, schemaVersion: current, supported: SCHEMA_VERSION } },
    );
  }
  for (let version = current + 1; version <= SCHEMA_VERSION; version++) {
    db.exec("BEGIN IMMEDIATE");
    try {
      db.exec(MIGRATIONS[version - 1] ?? "");
      db.exec(`PRAGMA user_version = ${version}`);
      db.exec("COMMIT");
    } catch (error) {
      db.exec("ROLLBACK");
      throw error;
    }
  }
}
