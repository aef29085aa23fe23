import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { z } from "zod";
import { SecretRefSchema } from "../config/secret-value-schema.js";

/** One stored credential of OpenClaw's profile store (`type` api_key, token or oauth). */
const StoredCredentialSchema = z.looseObject({
  type: z.string(),
  provider: z.string().optional(),
  key: z.string().optional(),
  keyRef: SecretRefSchema.optional(),
  token: z.string().optional(),
  tokenRef: SecretRefSchema.optional(),
  expires: z.number().optional(),
});
export type StoredCredential = z.infer<typeof StoredCredentialSchema>;

const ProfileStoreSchema = z.looseObject({
  profiles: z.record(z.string(), z.unknown()).optional(),
  order: z.record(z.string(), z.array(z.string())).optional(),
});

export interface AuthProfileStore {
  profiles: Record<string, StoredCredential>;
  /** The order OpenClaw's `models auth order set` stored; `auth.order` in the config wins over it. */
  order: Record<string, string[]>;
  /** What could not be read, for one warning each (never the secrets themselves). */
  problems: string[];
}

/** OpenClaw 2026.9 keeps the agent's profiles in SQLite; older releases in a JSON file beside it. */
export const AGENT_DATABASE_FILE = "openclaw-agent.sqlite";
export const LEGACY_PROFILES_FILE = "auth-profiles.json";

const EMPTY: AuthProfileStore = { profiles: {}, order: {}, problems: [] };

/**
 * The agent's auth profile store, read without changing anything: the SQLite store's primary row, over the legacy
 * `auth-profiles.json` (SQLite wins per profile id). Re-read only when one of the files changed.
 */
export class AuthProfileStoreReader {
  readonly #cache = new Map<string, { stamp: string; store: AuthProfileStore }>();

  read(agentDir: string): AuthProfileStore {
    const database = join(agentDir, AGENT_DATABASE_FILE);
    const legacy = join(agentDir, LEGACY_PROFILES_FILE);
    const stamp = [database, `${database}-wal`, legacy].map(fileStamp).join("|");
    const cached = this.#cache.get(agentDir);
    if (cached?.stamp === stamp) return cached.store;
    const store = mergeStores(readLegacyFile(legacy), readDatabase(database));
    this.#cache.set(agentDir, { stamp, store });
    return store;
  }
}

function fileStamp(path: string): string {
  try {
    const stat = statSync(path);
    return `${stat.mtimeMs}:${stat.size}`;
  } catch {
    return "-";
  }
}

function readLegacyFile(path: string): AuthProfileStore {
  if (!existsSync(path)) return EMPTY;
  try {
    return toStore(JSON.parse(readFileSync(path, "utf8")), path);
  } catch (error) {
    return { ...EMPTY, problems: [`${path} is not readable JSON (${(error as Error).name})`] };
  }
}

function readDatabase(path: string): AuthProfileStore {
  if (!existsSync(path)) return EMPTY;
  let db: DatabaseSync | undefined;
  try {
    db = new DatabaseSync(path, { readOnly: true });
    const hasTable = db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'auth_profile_store'")
      .get();
    if (!hasTable) return EMPTY;
    const row = db.prepare("SELECT store_json FROM auth_profile_store WHERE store_key = 'primary'").get() as
      | { store_json?: unknown }
      | undefined;
    if (typeof row?.store_json !== "string") return EMPTY;
    return toStore(JSON.parse(row.store_json), `${path} (auth_profile_store)`);
  } catch (error) {
    return {
      ...EMPTY,
      problems: [`${path}: the auth profile store could not be read (${(error as Error).message})`],
    };
  } finally {
    db?.close();
  }
}

function toStore(raw: unknown, where: string): AuthProfileStore {
  const parsed = ProfileStoreSchema.safeParse(raw);
  if (!parsed.success) return { ...EMPTY, problems: [`${where} is not an auth profile store`] };
  const profiles: Record<string, StoredCredential> = {};
  const problems: string[] = [];
  for (const [id, value] of Object.entries(parsed.data.profiles ?? {})) {
    const credential = StoredCredentialSchema.safeParse(value);
    if (credential.success) profiles[id] = credential.data;
    else problems.push(`${where}: profile "${id}" is not a credential OpenClaw would write`);
  }
  return { profiles, order: parsed.data.order ?? {}, problems };
}

function mergeStores(older: AuthProfileStore, newer: AuthProfileStore): AuthProfileStore {
  return {
    profiles: { ...older.profiles, ...newer.profiles },
    order: { ...older.order, ...newer.order },
    problems: [...older.problems, ...newer.problems],
  };
}
