import type { PoolClient } from "pg";
import { PostgresStorageError } from "./postgres-storage-error.js";

export interface Migration {
  version: number;
  name: string;
  /** The statements, given the schema as a quoted identifier (validated against SCHEMA_NAME_PATTERN first). */
  sql(schema: string): string;
}

/**
 * Every migration, in order. A released migration is never edited: a change is a new version. Values are `json`
 * (not `jsonb`): the port stores them opaque and returns them exactly as written, and `json` accepts every string
 * JSON.stringify produces (jsonb refuses "\u0000" and lone surrogates) while costing no parse on the way in or out.
 * Columns compared with JavaScript's order (keys) use COLLATE "C", i.e. code-point order, not the server's locale.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "sessions, transcripts and keyed tables",
    sql: (s) => `
CREATE TABLE ${s}.sessions (
  key text COLLATE "C" PRIMARY KEY,
  agent_id text COLLATE "C" NOT NULL,
  entry json NOT NULL,
  version integer NOT NULL,
  updated_at double precision NOT NULL,
  pinned boolean NOT NULL,
  archived boolean NOT NULL,
  -- 1 for pinned active sessions: they head every list.
  pin_rank smallint GENERATED ALWAYS AS (CASE WHEN pinned AND NOT archived THEN 1 ELSE 0 END) STORED,
  -- The trimmed label, as lookups and the label filter compare it.
  label text COLLATE "C",
  -- '' or one of OpenClaw's sentinels ('global', 'unknown') that lists leave out by default.
  hidden_kind text COLLATE "C" NOT NULL,
  session_id text COLLATE "C" NOT NULL,
  channel text COLLATE "C",
  -- key, label, displayName, sessionId and channel, lower-cased (by JavaScript) and joined by U+0001.
  search_text text COLLATE "C" NOT NULL
);
-- One index per list shape, each in the list order, so a page is a range scan that stops after limit rows.
CREATE INDEX sessions_list ON ${s}.sessions (archived, pin_rank DESC, updated_at DESC, key);
CREATE INDEX sessions_list_any ON ${s}.sessions (pin_rank DESC, updated_at DESC, key);
CREATE INDEX sessions_agent_list ON ${s}.sessions (agent_id, archived, pin_rank DESC, updated_at DESC, key);
CREATE INDEX sessions_agent_list_any ON ${s}.sessions (agent_id, pin_rank DESC, updated_at DESC, key);
CREATE INDEX sessions_label ON ${s}.sessions (label, pin_rank DESC, updated_at DESC, key) WHERE label IS NOT NULL;
CREATE INDEX sessions_updated_at ON ${s}.sessions (updated_at);
CREATE INDEX sessions_session_id ON ${s}.sessions (session_id, key);
-- Until ANALYZE has seen the rows, the planner guesses an agent has a handful of sessions and sorts them all
-- instead of walking the list index (13 ms instead of 0.1 ms at 10k rows). Analyse after 2% changes, not 10%.
ALTER TABLE ${s}.sessions SET (autovacuum_analyze_scale_factor = 0.02, autovacuum_analyze_threshold = 200);

-- count(*) over 100k rows takes ~60 ms; an unfiltered list's total is instead summed from these counters, kept by
-- a trigger. Counters are spread over 16 shards (by key hash) so concurrent inserts rarely wait on one row.
CREATE TABLE ${s}.session_counts (
  agent_id text COLLATE "C" NOT NULL,
  archived boolean NOT NULL,
  hidden_kind text COLLATE "C" NOT NULL,
  shard smallint NOT NULL,
  n bigint NOT NULL,
  PRIMARY KEY (agent_id, archived, hidden_kind, shard)
);
CREATE FUNCTION ${s}.count_session() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'UPDATE' AND (OLD.agent_id, OLD.archived, OLD.hidden_kind) IS NOT DISTINCT FROM
      (NEW.agent_id, NEW.archived, NEW.hidden_kind) THEN
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    INSERT INTO ${s}.session_counts AS c VALUES (OLD.agent_id, OLD.archived, OLD.hidden_kind, hashtext(OLD.key) & 15, -1)
      ON CONFLICT (agent_id, archived, hidden_kind, shard) DO UPDATE SET n = c.n - 1;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    INSERT INTO ${s}.session_counts AS c VALUES (NEW.agent_id, NEW.archived, NEW.hidden_kind, hashtext(NEW.key) & 15, 1)
      ON CONFLICT (agent_id, archived, hidden_kind, shard) DO UPDATE SET n = c.n + 1;
  END IF;
  RETURN NULL;
END
$fn$;
CREATE TRIGGER sessions_count AFTER INSERT OR UPDATE OR DELETE ON ${s}.sessions
  FOR EACH ROW EXECUTE FUNCTION ${s}.count_session();

-- length is the number of entries; appends take the next seqs from it under its row lock, so appends from several
-- processes to one transcript are serialised and numbered without gaps.
CREATE TABLE ${s}.transcript_heads (
  session_id text COLLATE "C" PRIMARY KEY,
  length bigint NOT NULL
);
CREATE TABLE ${s}.transcript_entries (
  session_id text COLLATE "C" NOT NULL,
  seq bigint NOT NULL,
  entry json NOT NULL,
  PRIMARY KEY (session_id, seq)
);

CREATE TABLE ${s}.kv (
  name text COLLATE "C" NOT NULL,
  key text COLLATE "C" NOT NULL,
  value json NOT NULL,
  version integer NOT NULL,
  PRIMARY KEY (name, key)
);
`,
  },
  {
    version: 2,
    name: "usage ledger",
    sql: (s) => `
-- One row per agent turn and model; appended in time order, read by ts range and summed with GROUP BY.
CREATE TABLE ${s}.usage_rows (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  run_id text COLLATE "C" NOT NULL,
  provider text COLLATE "C" NOT NULL,
  model text COLLATE "C" NOT NULL,
  ts bigint NOT NULL,
  session_key text COLLATE "C" NOT NULL,
  session_id text COLLATE "C",
  agent_id text COLLATE "C" NOT NULL,
  channel text COLLATE "C",
  calls bigint NOT NULL,
  input bigint NOT NULL,
  output bigint NOT NULL,
  cache_read bigint NOT NULL,
  cache_write bigint NOT NULL,
  -- Dollars; NULL = no price configured for the model when the turn ran (not free).
  cost_input double precision,
  cost_output double precision,
  cost_cache_read double precision,
  cost_cache_write double precision,
  cost_total double precision,
  duration_ms bigint,
  tool_calls bigint NOT NULL,
  errors bigint NOT NULL,
  -- 0 on a turn's second and later models (a fallback): turns are sum(first_of_turn), no count(DISTINCT).
  first_of_turn smallint NOT NULL,
  UNIQUE (run_id, provider, model)
);
CREATE INDEX usage_rows_ts ON ${s}.usage_rows (ts);
CREATE INDEX usage_rows_agent_ts ON ${s}.usage_rows (agent_id, ts);
CREATE INDEX usage_rows_session_ts ON ${s}.usage_rows (session_key, ts);
`,
  },
  {
    version: 3,
    name: "cluster: members, leases, claims, large events",
    sql: (s) => `
-- Gateway instances sharing this schema. last_seen is the server's clock (the only clock every instance shares).
CREATE TABLE ${s}.cluster_members (
  instance_id text COLLATE "C" PRIMARY KEY,
  info json NOT NULL,
  last_seen timestamptz NOT NULL
);
-- One row per held (or expired, not yet taken over) lease; token proves ownership to renewals and releases.
CREATE TABLE ${s}.cluster_leases (
  name text COLLATE "C" PRIMARY KEY,
  owner text COLLATE "C" NOT NULL,
  token uuid NOT NULL,
  expires_at timestamptz NOT NULL
);
-- claimOnce: the first INSERT of a key wins; rows older than 7 days are deleted now and then.
CREATE TABLE ${s}.cluster_claims (
  key text COLLATE "C" PRIMARY KEY,
  claimed_by text COLLATE "C" NOT NULL,
  claimed_at timestamptz NOT NULL
);
CREATE INDEX cluster_claims_claimed_at ON ${s}.cluster_claims (claimed_at);
-- Published payloads too large for a NOTIFY (8000 bytes): the NOTIFY carries the id, receivers read the row.
CREATE TABLE ${s}.cluster_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  payload text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX cluster_events_created_at ON ${s}.cluster_events (created_at);
`,
  },
  {
    version: 4,
    name: "transcript entries by idempotency key and run id",
    sql: (s) => `
-- readTranscript({ turnOf }): a keyed send finds its key's user entries, then their runs' entries (a run id, and a
-- code-point range for its resumes '<runId>:resume-<n>'), without reading the session's whole transcript. The
-- gateway writes both columns with each entry (TranscriptEntryRows). The trigger fills them for rows that come
-- without (written before this migration, or by an older gateway during a rolling upgrade), except rows whose JSON
-- holds "\\u0000" or a lone surrogate, which ->> cannot read.
ALTER TABLE ${s}.transcript_entries ADD COLUMN run_id text COLLATE "C", ADD COLUMN idempotency_key text COLLATE "C";
CREATE FUNCTION ${s}.transcript_entry_lookup_columns() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF NEW.run_id IS NULL AND NEW.entry::text !~ '\\\\u(0000|[dD][89a-fA-F])'
    AND json_typeof(NEW.entry->'runId') = 'string' THEN
    NEW.run_id := NEW.entry->>'runId';
    IF NEW.entry->>'role' = 'user' AND json_typeof(NEW.entry->'idempotencyKey') = 'string' THEN
      NEW.idempotency_key := NEW.entry->>'idempotencyKey';
    END IF;
  END IF;
  RETURN NEW;
END $fn$;
CREATE TRIGGER transcript_entries_lookup_columns BEFORE INSERT OR UPDATE ON ${s}.transcript_entries
  FOR EACH ROW EXECUTE FUNCTION ${s}.transcript_entry_lookup_columns();
UPDATE ${s}.transcript_entries SET entry = entry;
CREATE INDEX transcript_entries_key ON ${s}.transcript_entries (session_id, idempotency_key)
  WHERE idempotency_key IS NOT NULL;
CREATE INDEX transcript_entries_run ON ${s}.transcript_entries (session_id, run_id) WHERE run_id IS NOT NULL;
`,
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);

/**
 * Brings the schema up to date in one transaction under a transaction-scoped advisory lock named after the
 * schema, so gateways starting together apply each migration exactly once and the others wait, then see it done.
 * Returns the versions it applied.
 */
export async function migrate(
  client: PoolClient,
  schemaName: string,
  quotedSchema: string,
): Promise<number[]> {
  const applied: number[] = [];
  await client.query("BEGIN");
  try {
    await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`openclaw-migrations:${schemaName}`]);
    const exists = await client.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", [schemaName]);
    // Checked first: CREATE SCHEMA IF NOT EXISTS needs the CREATE privilege even when the schema is there.
    if (exists.rowCount === 0) await client.query(`CREATE SCHEMA ${quotedSchema}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${quotedSchema}.schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const result = await client.query<{ version: number }>(
      `SELECT version FROM ${quotedSchema}.schema_migrations ORDER BY version`,
    );
    const done = new Set(result.rows.map((row) => row.version));
    const newest = Math.max(0, ...done);
    if (newest > LATEST_SCHEMA_VERSION) {
      throw new PostgresStorageError(
        "STORAGE_SCHEMA_TOO_NEW",
        `schema "${schemaName}" is at version ${newest}, newer than this build knows (${LATEST_SCHEMA_VERSION}); upgrade @openclaw/store-postgres, or point storage.schema at another schema`,
        { details: { schema: schemaName, version: newest, supported: LATEST_SCHEMA_VERSION } },
      );
    }
    for (const migration of MIGRATIONS) {
      if (done.has(migration.version)) continue;
      await client.query(migration.sql(quotedSchema));
      await client.query(`INSERT INTO ${quotedSchema}.schema_migrations (version, name) VALUES ($1, $2)`, [
        migration.version,
        migration.name,
      ]);
      applied.push(migration.version);
    }
    await client.query("COMMIT");
    return applied;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
}
