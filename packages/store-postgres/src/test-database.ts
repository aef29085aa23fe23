import { randomBytes } from "node:crypto";
import pg from "pg";

/** The server every development and CI machine runs (trust auth); override for another one. */
export const TEST_DATABASE_URL =
  process.env.OPENCLAW_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** A fresh schema name per test file (and per use), so files run in parallel without seeing each other's rows. */
export function testSchemaName(purpose: string): string {
  return `oc_test_${purpose}_${randomBytes(5).toString("hex")}`;
}

/** Drops the schemas a test file created; called from afterAll, so it runs when tests fail too. */
export async function dropSchemas(...schemas: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** Runs one statement on the test database outside any storage (to inspect plans, rows and counters). */
export async function withTestClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
