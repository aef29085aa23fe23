import type { SQLInputValue } from "node:sqlite";
import { assertTableKey, type StorageTable, type TableRecord } from "@openclaw/sessions";
import { assertExpectedVersion, toJson } from "./session-rows.js";
import type { SqliteConnection } from "./sqlite-connection.js";
import type { WriteOp } from "./sqlite-writer.js";

/** What a table needs from its storage: reads now, writes on the writer thread, both refused once closed. */
export interface KvTableHost {
  connection: SqliteConnection;
  read<T>(work: () => T): Promise<T>;
  /** Resolves with the writer thread's value for `op` once its commit returned. */
  write(op: WriteOp): Promise<unknown>;
}

/** Above every character a key can hold: `[prefix, prefix + this)` is the key range that starts with prefix. */
const KEY_RANGE_END = "\u{10FFFF}";

/** One named table; all tables share the `kv` table, keyed by (name, key). */
export class KvTable<T> implements StorageTable<T> {
  constructor(
    private readonly host: KvTableHost,
    private readonly name: string,
  ) {}

  get(key: string): Promise<TableRecord<T> | undefined> {
    return this.host.read(() => {
      assertTableKey(key);
      const row = this.host.connection
        .statement("SELECT key, value, version FROM kv WHERE name = ? AND key = ?")
        .get(this.name, key);
      return row ? toRecord<T>(row) : undefined;
    });
  }

  put(key: string, value: T, expectedVersion?: number): Promise<TableRecord<T>> {
    try {
      assertTableKey(key);
      assertExpectedVersion(expectedVersion);
      const json = toJson(value, `table "${this.name}" value`);
      return this.host
        .write({ kind: "tablePut", name: this.name, key, json, expectedVersion })
        .then((version) => ({ key, value: JSON.parse(json) as T, version: Number(version) }));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  delete(key: string): Promise<boolean> {
    try {
      assertTableKey(key);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.host.write({ kind: "tableDelete", name: this.name, key }).then((deleted) => deleted === true);
  }

  list(o: { prefix?: string; after?: string; limit?: number } = {}): Promise<TableRecord<T>[]> {
    return this.host.read(() => {
      const terms = ["name = ?"];
      const params: SQLInputValue[] = [this.name];
      if (o.prefix !== undefined && o.prefix !== "") {
        terms.push("key >= ?", "key < ?");
        params.push(o.prefix, o.prefix + KEY_RANGE_END);
      }
      if (o.after !== undefined) {
        terms.push("key > ?");
        params.push(o.after);
      }
      params.push(o.limit === undefined ? -1 : Math.max(0, o.limit));
      return this.host.connection
        .statement(`SELECT key, value, version FROM kv WHERE ${terms.join(" AND ")} ORDER BY key LIMIT ?`)
        .all(...params)
        .map((row) => toRecord<T>(row));
    });
  }
}

function toRecord<T>(row: Record<string, unknown>): TableRecord<T> {
  return { key: String(row.key), value: JSON.parse(String(row.value)) as T, version: Number(row.version) };
}
