import { chmodSync, closeSync, mkdirSync, openSync } from "node:fs";
import { dirname } from "node:path";
import type { DatabaseSync, StatementSync } from "node:sqlite";
import { loadNodeSqlite } from "./load-node-sqlite.js";
import { migrateSchema } from "./schema-migrations.js";
import { SqliteStorageError } from "./sqlite-storage-error.js";
import type { ResolvedSqliteStorageOptions } from "./sqlite-storage-options.js";

/** One connection and its prepared statements, each prepared once and reused for the connection's life. */
export class SqliteConnection {
  private readonly statements = new Map<string, StatementSync>();

  constructor(
    readonly db: DatabaseSync,
    private readonly openAnother?: () => DatabaseSync,
  ) {}

  /**
   * A second, query-only connection to the same file: it can hold one read snapshot across event-loop turns
   * (a chunked search) while this connection goes on committing.
   */
  openReader(): SqliteConnection {
    if (!this.openAnother) throw new Error("this connection cannot open a reader");
    const reader = this.openAnother();
    reader.exec("PRAGMA query_only = 1");
    return new SqliteConnection(reader);
  }

  statement(sql: string): StatementSync {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  close(): void {
    this.statements.clear();
    if (this.db.isOpen) this.db.close();
  }
}

async function loadDatabaseSync(): Promise<typeof DatabaseSync> {
  return (await loadNodeSqlite()).DatabaseSync;
}

/** Creates the directory (0700) and the file (0600) before SQLite does, so neither is ever world-readable. */
function prepareDatabaseFile(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  closeSync(openSync(path, "a", 0o600));
  chmodSync(path, 0o600);
}

/**
 * Opens the one connection a storage writes through: WAL (readers never block the writer, and a commit is an
 * append to the log), the chosen synchronous level, a busy timeout for a second process, and the schema migrated.
 */
export async function openSqliteConnection(o: ResolvedSqliteStorageOptions): Promise<SqliteConnection> {
  const DatabaseSyncClass = await loadDatabaseSync();
  let db: DatabaseSync;
  try {
    prepareDatabaseFile(o.path);
    db = new DatabaseSyncClass(o.path);
  } catch (cause) {
    throw new SqliteStorageError(
      "SQLITE_OPEN_FAILED",
      `cannot open the session database ${o.path}: ${(cause as Error).message}; check that its directory is writable, or set storage.path`,
      { cause, details: { path: o.path } },
    );
  }
  try {
    db.exec(`PRAGMA busy_timeout = ${o.busyTimeoutMs}`);
    const mode = db.prepare("PRAGMA journal_mode = WAL").get()?.journal_mode;
    if (mode !== "wal") {
      throw new SqliteStorageError(
        "SQLITE_OPEN_FAILED",
        `${o.path} could not switch to WAL (journal_mode is ${String(mode)}); keep the database on a local disk, not a network share`,
        { details: { path: o.path } },
      );
    }
    db.exec(`PRAGMA synchronous = ${o.synchronous === "full" ? "FULL" : "NORMAL"}`);
    db.exec("PRAGMA foreign_keys = OFF");
    migrateSchema(db, o.path);
  } catch (error) {
    db.close();
    throw error;
  }
  return new SqliteConnection(db, () => {
    const reader = new DatabaseSyncClass(o.path);
    reader.exec(`PRAGMA busy_timeout = ${o.busyTimeoutMs}`);
    return reader;
  });
}
