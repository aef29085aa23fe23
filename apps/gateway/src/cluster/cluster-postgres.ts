import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";

const run = promisify(execFile);

/** The PostgreSQL every development and CI machine runs (trust auth); override for another one. */
export const CLUSTER_TEST_POSTGRES_URL =
  process.env.OPENCLAW_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/**
 * Runs SQL on the test database with psql (what the gateway's other storage e2e tests use; this app does not
 * depend on a PostgreSQL client) and returns its unaligned, tuples-only output.
 */
export async function psql(sql: string): Promise<string> {
  try {
    const { stdout } = await run("psql", [CLUSTER_TEST_POSTGRES_URL, "-v", "ON_ERROR_STOP=1", "-qAtc", sql]);
    return stdout.trim();
  } catch (error) {
    const detail = (error as { stderr?: string }).stderr?.trim() || (error as Error).message;
    throw new Error(
      `psql at ${CLUSTER_TEST_POSTGRES_URL} failed (${detail}): is PostgreSQL running there with trust auth, and psql on PATH?`,
    );
  }
}

/** A schema of its own for one test file; `drop` (from afterAll) removes it and everything in it. */
export interface TestSchema {
  readonly name: string;
  drop(): Promise<void>;
}

export async function createTestSchema(purpose: string): Promise<TestSchema> {
  const name = `oc_cluster_${purpose.replace(/[^a-z0-9]/g, "_")}_${randomBytes(5).toString("hex")}`;
  await psql(`CREATE SCHEMA "${name}"`);
  return { name, drop: () => psql(`DROP SCHEMA IF EXISTS "${name}" CASCADE`).then(() => undefined) };
}

/** Whether a schema exists (a test checks that its teardown dropped it). */
export async function schemaExists(name: string): Promise<boolean> {
  return (
    (await psql(`SELECT count(*) FROM pg_namespace WHERE nspname = '${name.replaceAll("'", "''")}'`)) === "1"
  );
}
