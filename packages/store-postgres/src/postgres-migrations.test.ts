import { afterAll, describe, expect, it } from "vitest";
import { createPostgresStorage } from "./create-postgres-storage.js";
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from "./postgres-migrations.js";
import { dropSchemas, TEST_DATABASE_URL, testSchemaName, withTestClient } from "./test-database.js";

const schemas: string[] = [];
function freshSchema(): string {
  const schema = testSchemaName("migrations");
  schemas.push(schema);
  return schema;
}
afterAll(() => dropSchemas(...schemas));

describe("migrations", () => {
  it("creates the schema and applies each migration exactly once when several gateways start together", async () => {
    const schema = freshSchema();
    const storages = await Promise.all(
      Array.from({ length: 6 }, () =>
        createPostgresStorage({ url: TEST_DATABASE_URL, schema, pool: { max: 2 } }),
      ),
    );
    await Promise.all(storages.map((s) => s.close()));
    const rows = await withTestClient((c) =>
      c.query(`SELECT version, name FROM "${schema}".schema_migrations`),
    );
    expect(rows.rows).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
  });

  it("logs the versions it applied, and nothing on a later start", async () => {
    const schema = freshSchema();
    const events: Array<[string, Record<string, unknown> | undefined]> = [];
    const logger = { info: (e: string, f?: Record<string, unknown>) => events.push([e, f]), warn: () => {} };
    await (await createPostgresStorage({ url: TEST_DATABASE_URL, schema, logger })).close();
    await (await createPostgresStorage({ url: TEST_DATABASE_URL, schema, logger })).close();
    expect(events).toEqual([
      [
        "storage.postgres.migrated",
        { location: TEST_DATABASE_URL, schema, versions: MIGRATIONS.map((m) => m.version) },
      ],
    ]);
  });

  it("refuses a schema a newer build migrated, naming the fix", async () => {
    const schema = freshSchema();
    await (await createPostgresStorage({ url: TEST_DATABASE_URL, schema })).close();
    await withTestClient((c) =>
      c.query(`INSERT INTO "${schema}".schema_migrations (version, name) VALUES ($1, 'from the future')`, [
        LATEST_SCHEMA_VERSION + 1,
      ]),
    );
    await expect(createPostgresStorage({ url: TEST_DATABASE_URL, schema })).rejects.toMatchObject({
      code: "STORAGE_SCHEMA_TOO_NEW",
      message: expect.stringMatching(/upgrade @openclaw\/store-postgres/),
    });
  });

  it("indexes every list shape so a page is an index scan, never a sort of all rows", async () => {
    const schema = freshSchema();
    const storage = await createPostgresStorage({ url: TEST_DATABASE_URL, schema });
    await withTestClient(async (c) => {
      await c.query(`INSERT INTO "${schema}".sessions
        (key, agent_id, entry, version, updated_at, pinned, archived, label, hidden_kind, session_id, channel, search_text)
        SELECT 'agent:a' || (i % 5) || ':k' || i, 'a' || (i % 5), '{}', 1, i, i % 500 = 0, i % 7 = 0,
          CASE WHEN i % 100 = 0 THEN 'label' || (i % 300) END, '', 's' || i, 'telegram', 'k' || i
        FROM generate_series(1, 20000) i`);
      await c.query(`ANALYZE "${schema}".sessions`);
    });
    const { listSessionsStatement } = await import("./session-statements.js");
    const base = { excludeKinds: ["global", "unknown"] as const, offset: 0, limit: 50 };
    const shapes = [
      { ...base, archived: false as const },
      { ...base, archived: true as const },
      { ...base, archived: "all" as const },
      { ...base, archived: false as const, agentId: "a3" },
      { ...base, archived: "all" as const, agentId: "a3" },
      { ...base, archived: false as const, label: "label100" },
      { ...base, archived: false as const, updatedSince: 19_900 },
    ];
    for (const q of shapes) {
      const statement = listSessionsStatement(`"${schema}"`, { ...q, excludeKinds: [...q.excludeKinds] });
      const plan = await withTestClient((c) => c.query(`EXPLAIN ${statement.text}`, statement.values));
      const text = plan.rows.map((r) => r["QUERY PLAN"]).join("\n");
      expect(text, JSON.stringify(q)).not.toMatch(/Seq Scan on sessions/);
      expect(text, JSON.stringify(q)).toMatch(/Index (Only )?Scan/);
    }
    await storage.close();
  });
});
