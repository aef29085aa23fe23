import type { TranscriptEntry } from "@openclaw/sessions";
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

  it("finds an idempotency key's turn through the key and run indexes, never reading the whole transcript", async () => {
    const schema = freshSchema();
    const storage = await createPostgresStorage({ url: TEST_DATABASE_URL, schema });
    // 5,000 entries in one session: every turn a keyed user entry and three entries of its run.
    const entries = Array.from({ length: 5000 }, (_, i): TranscriptEntry => {
      const turn = Math.floor(i / 4);
      const user = i % 4 === 0;
      const key = user ? { idempotencyKey: `key-${turn}` } : {};
      return { role: user ? "user" : "assistant", text: "x", ts: i, runId: `run-${turn}`, ...key };
    });
    await storage.appendTranscript("s", entries);
    await withTestClient((c) => c.query(`ANALYZE "${schema}".transcript_entries`));
    const { transcriptStatements } = await import("./transcript-statements.js");
    const { readTurn } = transcriptStatements(`"${schema}"`);
    const plan = await withTestClient((c) => c.query(`EXPLAIN ${readTurn}`, ["s", "key-600"]));
    const text = plan.rows.map((r) => r["QUERY PLAN"]).join("\n");
    expect(text).toMatch(/transcript_entries_key/);
    expect(text).toMatch(/transcript_entries_run/);
    expect(text).not.toMatch(/Seq Scan/);
    const turn = await storage.readTranscript("s", { turnOf: "key-600" });
    expect(turn.map((entry) => entry.ts)).toEqual([2400, 2401, 2402, 2403]);
    await storage.close();
  });

  it("fills in the key and run columns of entries written before migration 4, or by an older gateway", async () => {
    const schema = freshSchema();
    await (await createPostgresStorage({ url: TEST_DATABASE_URL, schema })).close();
    const before: TranscriptEntry[] = [
      { role: "user", text: "hi", ts: 1, runId: "r1", idempotencyKey: "k" },
      { role: "tool", text: "\u001b[1mbold\u0000", ts: 2, runId: "r2" },
      { role: "assistant", text: "hello", ts: 3, runId: "r1:resume-1" },
      { role: "tool", text: "", ts: 4, runId: "r1", idempotencyKey: "k" },
    ];
    // The schema as version 3 left it, holding entries written then.
    await withTestClient(async (c) => {
      await c.query(`DELETE FROM "${schema}".schema_migrations WHERE version = 4`);
      await c.query(`DROP INDEX "${schema}".transcript_entries_key, "${schema}".transcript_entries_run`);
      await c.query(`DROP FUNCTION "${schema}".transcript_entry_lookup_columns CASCADE`);
      await c.query(
        `ALTER TABLE "${schema}".transcript_entries DROP COLUMN run_id, DROP COLUMN idempotency_key`,
      );
      await c.query(
        `INSERT INTO "${schema}".transcript_entries (session_id, seq, entry)
        SELECT 's', t.ord, t.entry FROM unnest($1::json[]) WITH ORDINALITY AS t(entry, ord)`,
        [before.map((entry) => JSON.stringify(entry))],
      );
    });
    const storage = await createPostgresStorage({ url: TEST_DATABASE_URL, schema });
    const turn = await storage.readTranscript("s", { turnOf: "k" });
    expect(turn).toEqual([before[0], before[2], before[3]]);
    expect(await storage.readTranscript("s")).toEqual(before);
    // A gateway older than the migration, still running in a rolling upgrade, appends without the columns.
    const late: TranscriptEntry = { role: "assistant", text: "late", ts: 5, runId: "r1:resume-2" };
    await withTestClient((c) =>
      c.query(`INSERT INTO "${schema}".transcript_entries (session_id, seq, entry) VALUES ('s', 5, $1)`, [
        JSON.stringify(late),
      ]),
    );
    expect(await storage.readTranscript("s", { turnOf: "k" })).toEqual([...turn, late]);
    await storage.close();
  });
});
