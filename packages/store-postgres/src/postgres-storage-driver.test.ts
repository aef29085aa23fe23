import { createServer } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { createPostgresStorage } from "./create-postgres-storage.js";
import { postgresStorageDriver } from "./postgres-storage-driver.js";
import { dropSchemas, TEST_DATABASE_URL, testSchemaName, withTestClient } from "./test-database.js";

const schemas: string[] = [];
afterAll(() => dropSchemas(...schemas));
const context = (env: NodeJS.ProcessEnv = {}) => ({ stateDir: "/nonexistent", env });

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

describe("postgresStorageDriver", () => {
  it("opens from storage options, reporting the location without the password", async () => {
    const schema = testSchemaName("driver");
    schemas.push(schema);
    const url = TEST_DATABASE_URL.replace("postgres@", "postgres:s3cret@");
    const storage = await postgresStorageDriver.open({ url, schema, poolMax: 2 }, context());
    expect(storage.driver).toBe("postgres");
    expect(storage.location).toBe(TEST_DATABASE_URL);
    expect(storage.location).not.toContain("s3cret");
    expect(await storage.countSessions()).toBe(0);
    await storage.close();
    await expect(storage.countSessions()).rejects.toMatchObject({ code: "STORE_CLOSED" });
  });

  it("takes the URL from OPENCLAW_STORAGE_URL when storage.url is left out", async () => {
    const schema = testSchemaName("driver_env");
    schemas.push(schema);
    const storage = await postgresStorageDriver.open(
      { schema },
      context({ OPENCLAW_STORAGE_URL: TEST_DATABASE_URL }),
    );
    expect(storage.location).toBe(TEST_DATABASE_URL);
    await storage.close();
  });

  it("fails without a URL, naming storage.url and the env variable", async () => {
    await expect(postgresStorageDriver.open({}, context())).rejects.toMatchObject({
      name: "PostgresStorageError",
      code: "STORAGE_CONFIG_INVALID",
      message: expect.stringMatching(/^storage\.url is not set.*OPENCLAW_STORAGE_URL/),
    });
  });

  it("names the offending key of malformed options", async () => {
    const open = (options: Record<string, unknown>) => postgresStorageDriver.open(options, context());
    await expect(open({ url: "mysql://x@y/z" })).rejects.toThrow(/storage\.url must be a postgres:\/\//);
    await expect(open({ url: TEST_DATABASE_URL, schema: 'x"; DROP TABLE y; --' })).rejects.toThrow(
      /storage\.schema/,
    );
    await expect(open({ url: TEST_DATABASE_URL, poolMax: 0 })).rejects.toThrow(/storage\.poolMax/);
    await expect(open({ url: TEST_DATABASE_URL, pth: "/x" })).rejects.toThrow(
      /storage\.pth is not an option/,
    );
  });

  it("reports a refused connection as STORAGE_UNREACHABLE naming storage.url and how to check the server", async () => {
    const port = await closedPort();
    const error = await createPostgresStorage({ url: `postgres://postgres:pw@127.0.0.1:${port}/test` }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ name: "PostgresStorageError", code: "STORAGE_UNREACHABLE" });
    const message = (error as Error).message;
    expect(message).toContain(`postgres://postgres@127.0.0.1:${port}/test`);
    expect(message).toMatch(/ECONNREFUSED.*storage\.url.*pg_isready/);
    expect(message).not.toContain(":pw@");
  });

  it("reports a missing database as STORAGE_AUTH_FAILED naming the fix", async () => {
    const url = TEST_DATABASE_URL.replace(/\/[^/]*$/, "/openclaw_no_such_db");
    await expect(createPostgresStorage({ url })).rejects.toMatchObject({
      code: "STORAGE_AUTH_FAILED",
      message: expect.stringMatching(/does not exist.*createdb/),
    });
  });
});

describe("statement timeout", () => {
  it("cancels a statement past statementTimeoutMs and names the option", async () => {
    const schema = testSchemaName("timeout");
    schemas.push(schema);
    const storage = await createPostgresStorage({ url: TEST_DATABASE_URL, schema, statementTimeoutMs: 300 });
    const write = { key: "agent:main:locked", agentId: "main", entry: { sessionId: "s", updatedAt: 1 } };
    await storage.putSession({ ...write, expectedVersion: 0 });
    // Another connection holds the row lock, so the update waits until the timeout cancels it.
    await withTestClient(async (client) => {
      await client.query("BEGIN");
      await client.query(`SELECT 1 FROM "${schema}".sessions WHERE key = $1 FOR UPDATE`, [write.key]);
      await expect(storage.putSession({ ...write, expectedVersion: 1 })).rejects.toMatchObject({
        code: "STORAGE_QUERY_FAILED",
        message: expect.stringMatching(/statement timeout.*statementTimeoutMs/),
      });
      await client.query("ROLLBACK");
    });
    expect((await storage.getSession(write.key))?.version).toBe(1);
    await storage.close();
  });
});

describe("URLs", () => {
  it("accepts a Unix socket URL (empty host, ?host=) and removes a ?password= from the location", async () => {
    const { PostgresStorageOptionsSchema, redactUrl } = await import("./postgres-storage-options.js");
    expect(
      PostgresStorageOptionsSchema.safeParse({ url: "postgres:///openclaw?host=/var/run/postgresql" })
        .success,
    ).toBe(true);
    expect(PostgresStorageOptionsSchema.safeParse({ url: "postgres:///openclaw" }).success).toBe(false);
    expect(redactUrl("postgresql://u:p%40ss@db:5432/oc?sslmode=require&password=x")).toBe(
      "postgresql://u@db:5432/oc?sslmode=require",
    );
  });
});

describe("lost connections", () => {
  it("logs connections the server drops and serves the next call from a fresh one", async () => {
    const schema = testSchemaName("dropped");
    schemas.push(schema);
    const lost: Array<Record<string, unknown> | undefined> = [];
    let onLost: () => void = () => {};
    const logger = {
      info: () => {},
      warn: (event: string, fields?: Record<string, unknown>) => {
        if (event !== "storage.postgres.connection_lost") return;
        lost.push(fields);
        onLost();
      },
    };
    const storage = await createPostgresStorage({ url: TEST_DATABASE_URL, schema, pool: { max: 3 }, logger });
    await Promise.all([storage.countSessions(), storage.countSessions(), storage.countSessions()]);
    let expected = Number.POSITIVE_INFINITY;
    const allLost = new Promise<void>((resolve) => {
      onLost = () => lost.length >= expected && resolve();
    });
    const killed = await withTestClient((c) =>
      c.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1", [
        `openclaw:${schema}`,
      ]),
    );
    expect(killed.rowCount).toBeGreaterThan(0);
    expected = killed.rowCount ?? 0;
    onLost();
    await allLost;
    expect(lost[0]).toMatchObject({ location: TEST_DATABASE_URL });
    // Every killed connection has left the pool: the next call opens a live one.
    await expect(storage.countSessions()).resolves.toBe(0);
    await storage.close();
  });
});

describe("privileges", () => {
  it("reports a user who may not create the schema as STORAGE_AUTH_FAILED naming the grant", async () => {
    const role = testSchemaName("role");
    await withTestClient((c) => c.query(`CREATE ROLE "${role}" LOGIN`));
    try {
      const url = TEST_DATABASE_URL.replace(/\/\/[^@/]*@/, `//${role}@`);
      await expect(createPostgresStorage({ url, schema: testSchemaName("denied") })).rejects.toMatchObject({
        code: "STORAGE_AUTH_FAILED",
        message: expect.stringMatching(/lacks a privilege.*GRANT CREATE ON DATABASE/),
      });
    } finally {
      await withTestClient((c) => c.query(`DROP ROLE "${role}"`));
    }
  });
});
