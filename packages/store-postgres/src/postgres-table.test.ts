import { isSessionError, type SessionStorage } from "@openclaw/sessions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPostgresStorage } from "./create-postgres-storage.js";
import { dropSchemas, TEST_DATABASE_URL, testSchemaName } from "./test-database.js";

const schema = testSchemaName("tables");
let storage: SessionStorage;

beforeAll(async () => {
  storage = await createPostgresStorage({ url: TEST_DATABASE_URL, schema });
});
afterAll(async () => {
  await storage?.close();
  await dropSchemas(schema);
});

describe("small tables", () => {
  it("puts, gets and deletes JSON values with growing versions", async () => {
    const jobs = storage.table<{ cron: string; enabled: boolean }>("cron.jobs");
    expect(await jobs.put("daily", { cron: "0 9 * * *", enabled: true })).toEqual({
      key: "daily",
      value: { cron: "0 9 * * *", enabled: true },
      version: 1,
    });
    expect((await jobs.put("daily", { cron: "0 10 * * *", enabled: false })).version).toBe(2);
    expect(await jobs.get("daily")).toEqual({
      key: "daily",
      value: { cron: "0 10 * * *", enabled: false },
      version: 2,
    });
    expect(await jobs.get("nope")).toBeUndefined();
    expect(await jobs.delete("daily")).toBe(true);
    expect(await jobs.delete("daily")).toBe(false);
    expect(await jobs.get("daily")).toBeUndefined();
  });

  it("writes optimistically with expectedVersion", async () => {
    const pairing = storage.table("pairing");
    await pairing.put("telegram:1", { code: "A" }, 0);
    await expect(pairing.put("telegram:1", { code: "B" }, 0)).rejects.toMatchObject({
      code: "SESSION_CONFLICT",
      details: { table: "pairing", key: "telegram:1", expectedVersion: 0, actualVersion: 1 },
    });
    expect((await pairing.put("telegram:1", { code: "C" }, 1)).version).toBe(2);
    await expect(pairing.put("telegram:1", { code: "D" }, 1)).rejects.toSatisfy((e) =>
      isSessionError(e, "SESSION_CONFLICT"),
    );
    await expect(pairing.put("telegram:2", { code: "E" }, 4)).rejects.toMatchObject({
      details: { actualVersion: 0 },
    });
    expect(await pairing.get("telegram:1")).toMatchObject({ value: { code: "C" }, version: 2 });
  });

  it("keeps tables apart and lists by key (code-point order) with prefix, after and limit", async () => {
    const media = storage.table<number>("media");
    const other = storage.table<number>("media-other");
    for (const [i, key] of ["b/2", "a/1", "b/1", "B/0", "b/10", "c"].entries()) await media.put(key, i);
    await other.put("b/9", 9);
    const keys = async (o?: { prefix?: string; after?: string; limit?: number }) =>
      (await media.list(o)).map((r) => r.key);
    expect(await keys()).toEqual(["B/0", "a/1", "b/1", "b/10", "b/2", "c"]);
    expect(await keys({ prefix: "b/" })).toEqual(["b/1", "b/10", "b/2"]);
    expect(await keys({ prefix: "b/", after: "b/1" })).toEqual(["b/10", "b/2"]);
    expect(await keys({ after: "b/2", limit: 5 })).toEqual(["c"]);
    expect(await keys({ limit: 2 })).toEqual(["B/0", "a/1"]);
    expect(await keys({ prefix: "%" })).toEqual([]);
    expect((await media.list({ prefix: "c" }))[0]).toEqual({ key: "c", value: 5, version: 1 });
  });

  it("refuses bad names, keys, versions and values before touching the database", async () => {
    expect(() => storage.table("Bad Name")).toThrow(/table name/);
    const t = storage.table("ok");
    await expect(t.get("")).rejects.toMatchObject({ code: "INVALID_STORAGE_REQUEST" });
    await expect(t.put("k".repeat(513), 1)).rejects.toMatchObject({ code: "INVALID_STORAGE_REQUEST" });
    await expect(t.put("k", 1, -1)).rejects.toMatchObject({ code: "INVALID_STORAGE_REQUEST" });
    await expect(t.put("k", undefined)).rejects.toMatchObject({ code: "INVALID_STORAGE_REQUEST" });
    expect(await t.list()).toEqual([]);
  });
});
