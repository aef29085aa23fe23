import { createHash } from "node:crypto";
import type { SessionStorage, StorageTable } from "@openclaw/sessions";
import type { z } from "zod";

/** What the small stores need of a storage engine: its tables, and where it lives (for `path` and messages). */
export type StateTables = Pick<SessionStorage, "table" | "location">;

export type StateTableErrorCode = "STATE_TABLE_WRITE_FAILED" | "STATE_IMPORT_FAILED";

/** A small table that could not be written or imported into; the message names the table and what to do. */
export class StateTableError extends Error {
  override readonly name = "StateTableError";
  readonly code: StateTableErrorCode;
  readonly table: string;

  constructor(code: StateTableErrorCode, table: string, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.table = table;
  }
}

export interface MirrorWarnings {
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

const MAX_KEY_LENGTH = 512;
const PAGE_SIZE = 500;

/**
 * A table key made of parts that may hold any character: each part is percent-encoded (so "/" separates parts
 * unambiguously); a key past the port's 512 characters becomes the prefix plus a digest of the parts.
 */
export function tableKey(prefix: string, ...parts: string[]): string {
  const key = [prefix, ...parts.map((part) => encodeURIComponent(part))].join("/");
  if (key.length <= MAX_KEY_LENGTH) return key;
  return `${prefix}/#${createHash("sha256").update(parts.join("\u0000")).digest("hex")}`;
}

/**
 * A table held in memory, so the gateway's synchronous stores (pairing, node pairing, exec allowlist) answer
 * without waiting on the engine: reads come from memory, every change is applied in memory at once and written
 * through to the table in order. `flush()` resolves once every change made so far is durable and rejects if one
 * of them failed. Rows that fail the schema are skipped with a warning (they never grant anything).
 *
 * One gateway process owns these tables; changes another process makes become visible with `refresh()`.
 */
export class TableMirror<T> {
  readonly #table: StorageTable<T>;
  readonly #name: string;
  readonly #schema: z.ZodType<T>;
  readonly #warnings: MirrorWarnings | undefined;
  readonly #rows = new Map<string, T>();
  /** Keys with a write still on its way, which a refresh must not overwrite with the table's older value. */
  readonly #pending = new Map<string, number>();
  #queue: Promise<void> = Promise.resolve();
  #failure: StateTableError | undefined;

  private constructor(storage: StateTables, name: string, schema: z.ZodType<T>, warnings?: MirrorWarnings) {
    this.#table = storage.table<T>(name);
    this.#name = name;
    this.#schema = schema;
    this.#warnings = warnings;
  }

  static async open<T>(
    storage: StateTables,
    name: string,
    schema: z.ZodType<T>,
    warnings?: MirrorWarnings,
  ): Promise<TableMirror<T>> {
    const mirror = new TableMirror(storage, name, schema, warnings);
    for (const [key, value] of await mirror.#load()) mirror.#rows.set(key, value);
    return mirror;
  }

  get(key: string): T | undefined {
    return this.#rows.get(key);
  }

  /** Rows whose key starts with `prefix`, in key order. */
  values(prefix = ""): T[] {
    return [...this.#rows.keys()]
      .filter((key) => key.startsWith(prefix))
      .sort()
      .map((key) => this.#rows.get(key) as T);
  }

  set(key: string, value: T): void {
    this.#rows.set(key, value);
    this.#write(key, () => this.#table.put(key, value));
  }

  delete(key: string): boolean {
    if (!this.#rows.delete(key)) return false;
    this.#write(key, () => this.#table.delete(key));
    return true;
  }

  /** Resolves once every change made so far is durable; rejects with the first write that failed since the last flush. */
  async flush(): Promise<void> {
    await this.#queue;
    const failure = this.#failure;
    this.#failure = undefined;
    if (failure) throw failure;
  }

  /** Re-reads the table (after the writes made so far), taking in what another process changed. */
  async refresh(): Promise<void> {
    const loaded = this.#queue.then(() => this.#load());
    this.#queue = loaded.then(
      () => undefined,
      () => undefined,
    );
    const rows = await loaded;
    for (const key of [...this.#rows.keys()]) {
      if (!rows.has(key) && !this.#pending.has(key)) this.#rows.delete(key);
    }
    for (const [key, value] of rows) if (!this.#pending.has(key)) this.#rows.set(key, value);
  }

  async #load(): Promise<Map<string, T>> {
    const rows = new Map<string, T>();
    let after: string | undefined;
    for (;;) {
      const page = await this.#table.list({ limit: PAGE_SIZE, ...(after === undefined ? {} : { after }) });
      for (const record of page) {
        const parsed = this.#schema.safeParse(record.value);
        if (parsed.success) rows.set(record.key, parsed.data);
        else
          this.#warnings?.warn("state table row is malformed; skipped it", {
            table: this.#name,
            key: record.key,
          });
      }
      if (page.length < PAGE_SIZE) return rows;
      after = page[page.length - 1]?.key;
    }
  }

  #write(key: string, write: () => Promise<unknown>): void {
    this.#pending.set(key, (this.#pending.get(key) ?? 0) + 1);
    this.#queue = this.#queue.then(async () => {
      try {
        await write();
      } catch (error) {
        const failure = new StateTableError(
          "STATE_TABLE_WRITE_FAILED",
          this.#name,
          `could not write "${key}" to the ${this.#name} table: ${error instanceof Error ? error.message : String(error)}; the change holds in memory until the gateway restarts: check the storage engine`,
          { cause: error },
        );
        this.#failure ??= failure;
        this.#warnings?.error("state table write failed", { table: this.#name, key, error: failure.message });
      } finally {
        const left = (this.#pending.get(key) ?? 1) - 1;
        if (left === 0) this.#pending.delete(key);
        else this.#pending.set(key, left);
      }
    });
  }
}

const IMPORTS_TABLE = "state.imports";

/**
 * Runs a one-time import of legacy state into tables: `read` gathers the rows from the old files (which are left
 * untouched), `write` puts them, and a marker row in `state.imports` keeps it from running again. Writing the rows
 * is idempotent (same keys, same values), so a crash between the rows and the marker only repeats the import.
 */
export async function importOnce(
  storage: StateTables,
  name: string,
  importRows: () => Promise<{ source: string; rows: number }>,
): Promise<{ imported: boolean; rows: number }> {
  const imports = storage.table<{ source: string; rows: number; importedAt: string }>(IMPORTS_TABLE);
  if (await imports.get(name)) return { imported: false, rows: 0 };
  let done: { source: string; rows: number };
  try {
    done = await importRows();
  } catch (error) {
    throw new StateTableError(
      "STATE_IMPORT_FAILED",
      name,
      `could not import the legacy ${name} state: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  // Nothing to import (no legacy file, or an empty one): no marker, so a fresh state dir's first start commits
  // nothing; a file that appears later is imported on the next start.
  if (done.rows === 0) return { imported: false, rows: 0 };
  const marker = { source: done.source, rows: done.rows, importedAt: new Date().toISOString() };
  try {
    await imports.put(name, marker, 0);
  } catch (error) {
    // Another process finished the same import first: its rows are the same rows.
    if (!(await imports.get(name))) throw error;
  }
  return { imported: true, rows: done.rows };
}
