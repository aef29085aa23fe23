import { assertTableKey, type StorageTable, type TableRecord } from "@openclaw/sessions";
import type { PostgresDatabase } from "./postgres-database.js";
import { assertExpectedVersion, jsonText, versionConflict } from "./storage-arguments.js";
import { tableListStatement, tableStatements } from "./table-statements.js";

interface RecordRow<T> {
  key: string;
  value: T;
  version: number;
}

/** One small table: rows of `<schema>.kv` with this table's name. */
export class PostgresTable<T> implements StorageTable<T> {
  private readonly statements: ReturnType<typeof tableStatements>;

  constructor(
    private readonly db: PostgresDatabase,
    private readonly schema: string,
    private readonly name: string,
  ) {
    this.statements = tableStatements(schema);
  }

  get(key: string): Promise<TableRecord<T> | undefined> {
    return this.db.run(async () => {
      assertTableKey(key);
      const result = await this.db.query<RecordRow<T>>({
        name: "kv_get",
        text: this.statements.get,
        values: [this.name, key],
      });
      const row = result.rows[0];
      return row === undefined ? undefined : { key: row.key, value: row.value, version: row.version };
    });
  }

  put(key: string, value: T, expectedVersion?: number): Promise<TableRecord<T>> {
    return this.db.run(async () => {
      assertTableKey(key);
      assertExpectedVersion(expectedVersion);
      const text = jsonText(value, `table "${this.name}" value`);
      const stored = JSON.parse(text) as T;
      if (expectedVersion === undefined) {
        const result = await this.db.query<{ version: number }>({
          name: "kv_upsert",
          text: this.statements.upsert,
          values: [this.name, key, text],
        });
        return { key, value: stored, version: result.rows[0]?.version ?? 1 };
      }
      const result = await this.db.query<{ written: number | null; current: number | null }>(
        expectedVersion === 0
          ? { name: "kv_insert", text: this.statements.insert, values: [this.name, key, text] }
          : {
              name: "kv_update",
              text: this.statements.update,
              values: [this.name, key, text, expectedVersion],
            },
      );
      const { written, current } = result.rows[0] ?? { written: null, current: null };
      if (written === null) {
        throw versionConflict(`table "${this.name}" key "${key}"`, expectedVersion, current, {
          table: this.name,
          key,
        });
      }
      return { key, value: stored, version: written };
    });
  }

  delete(key: string): Promise<boolean> {
    return this.db.run(async () => {
      assertTableKey(key);
      const result = await this.db.query({
        name: "kv_delete",
        text: this.statements.delete,
        values: [this.name, key],
      });
      return (result.rowCount ?? 0) > 0;
    });
  }

  list(o: { prefix?: string; after?: string; limit?: number } = {}): Promise<TableRecord<T>[]> {
    return this.db.run(async () => {
      const result = await this.db.query<RecordRow<T>>(tableListStatement(this.schema, this.name, o));
      return result.rows.map((row) => ({ key: row.key, value: row.value, version: row.version }));
    });
  }
}
