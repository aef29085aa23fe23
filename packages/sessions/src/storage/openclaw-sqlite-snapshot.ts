import { copyFile, mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as zlib from "node:zlib";
import { isNotFound } from "../durable-file.js";
import { SessionError } from "../session-error.js";

/** OpenClaw 2026.9's shared state database, relative to the state directory. */
export const OPENCLAW_SHARED_DB = join("state", "openclaw.sqlite");
/** OpenClaw 2026.9's per-agent database, relative to the agent's folder `agents/<agentId>/`. */
export const OPENCLAW_AGENT_DB = join("agent", "openclaw-agent.sqlite");

type SqlValue = string | number | bigint | null | Uint8Array;
export type SqlRow = Record<string, SqlValue>;

/** A read-only view of one of OpenClaw's databases. */
export interface OpenClawDatabase {
  /** True when the table exists (older or newer schemas may lack one). */
  hasTable(name: string): boolean;
  /** Every row of a query, or none when one of `tables` does not exist. */
  rows(sql: string, params?: SqlValue[], tables?: string[]): SqlRow[];
  /** Rows one at a time (a transcript of any length costs one row of memory). */
  iterate(sql: string, params?: SqlValue[]): IterableIterator<SqlRow>;
}

/**
 * OpenClaw's SQLite state, read from a private copy: the database and its write-ahead log are copied into a temp
 * folder first, so the originals are never opened (opening even read-only would write SQLite's shared-memory
 * file, and the last connection to close would checkpoint the log into the database).
 */
export interface OpenClawSqliteSnapshot {
  readonly stateDir: string;
  /** The shared database (`state/openclaw.sqlite`), or undefined when there is none. */
  readonly shared: OpenClawDatabase | undefined;
  /** Agent ids that have a database, sorted. */
  readonly agentIds: readonly string[];
  agent(agentId: string): OpenClawDatabase;
  /** Closes every copy and removes the temp folder. */
  close(): Promise<void>;
}

type DatabaseSync = import("node:sqlite").DatabaseSync;

/** True when `stateDir` holds OpenClaw 2026.9's SQLite layout (the shared database or an agent database). */
export async function hasOpenClawSqliteState(stateDir: string): Promise<boolean> {
  if (await isFile(join(stateDir, OPENCLAW_SHARED_DB))) return true;
  return (await agentDatabaseIds(stateDir)).length > 0;
}

/** Copies and opens OpenClaw's databases under `stateDir`; undefined when there are none. */
export async function openOpenClawSqliteSnapshot(
  stateDir: string,
): Promise<OpenClawSqliteSnapshot | undefined> {
  const sharedPath = join(stateDir, OPENCLAW_SHARED_DB);
  const hasShared = await isFile(sharedPath);
  const agentIds = await agentDatabaseIds(stateDir);
  if (!hasShared && agentIds.length === 0) return undefined;
  const { DatabaseSync } = await loadSqlite();
  const folder = await mkdtemp(join(tmpdir(), "openclaw-state-import-"));
  const opened: DatabaseSync[] = [];
  const open = async (source: string, name: string): Promise<OpenClawDatabase> => {
    const copy = join(folder, name);
    await copyDatabase(source, copy);
    const db = new DatabaseSync(copy);
    opened.push(db);
    return wrap(db);
  };
  try {
    const shared = hasShared ? await open(sharedPath, "shared.sqlite") : undefined;
    const agents = new Map<string, OpenClawDatabase>();
    for (const [index, agentId] of agentIds.entries()) {
      agents.set(
        agentId,
        await open(join(stateDir, "agents", agentId, OPENCLAW_AGENT_DB), `agent-${index}.sqlite`),
      );
    }
    return {
      stateDir,
      shared,
      agentIds,
      agent(agentId) {
        const db = agents.get(agentId);
        if (!db)
          throw new SessionError(
            "OPENCLAW_STATE_UNREADABLE",
            `OpenClaw state has no database for agent "${agentId}"`,
          );
        return db;
      },
      async close() {
        for (const db of opened) db.close();
        await rm(folder, { recursive: true, force: true });
      },
    };
  } catch (error) {
    for (const db of opened) db.close();
    await rm(folder, { recursive: true, force: true });
    throw error;
  }
}

/**
 * A transcript event row's JSON: `event_json`, or `event_zstd` (OpenClaw compresses large events) decompressed.
 * Undefined when the row holds neither or this Node cannot decompress zstd (Node < 22.15).
 */
export function transcriptEventJson(row: SqlRow): string | undefined {
  if (typeof row.event_json === "string") return row.event_json;
  const compressed = row.event_zstd;
  const decompress = (zlib as { zstdDecompressSync?: (data: Uint8Array) => Buffer }).zstdDecompressSync;
  if (!(compressed instanceof Uint8Array) || !decompress) return undefined;
  return decompress(compressed).toString("utf8");
}

function wrap(db: DatabaseSync): OpenClawDatabase {
  const tables = new Set(
    (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as SqlRow[]).map((row) =>
      String(row.name),
    ),
  );
  return {
    hasTable: (name) => tables.has(name),
    rows(sql, params = [], needed = []) {
      if (needed.some((name) => !tables.has(name))) return [];
      return db.prepare(sql).all(...params) as SqlRow[];
    },
    iterate(sql, params = []) {
      return db.prepare(sql).iterate(...params) as IterableIterator<SqlRow>;
    },
  };
}

/** The database and its write-ahead log (the shared-memory file is rebuilt from the log on open). */
async function copyDatabase(source: string, target: string): Promise<void> {
  await copyFile(source, target);
  try {
    await copyFile(`${source}-wal`, `${target}-wal`);
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}

async function agentDatabaseIds(stateDir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(join(stateDir, "agents"));
  } catch (error) {
    if (isNotFound(error)) return [];
    throw error;
  }
  const ids: string[] = [];
  for (const name of names.sort()) {
    if (await isFile(join(stateDir, "agents", name, OPENCLAW_AGENT_DB))) ids.push(name);
  }
  return ids;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

async function loadSqlite(): Promise<typeof import("node:sqlite")> {
  try {
    return await import("node:sqlite");
  } catch (cause) {
    throw new SessionError(
      "OPENCLAW_STATE_UNREADABLE",
      `OpenClaw's SQLite state cannot be read: node:sqlite is not available in Node ${process.versions.node}; upgrade Node to >= 22.13`,
      { cause },
    );
  }
}
