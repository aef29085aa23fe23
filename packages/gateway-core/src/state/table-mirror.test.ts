import { createMemoryStorage, type SessionStorage } from "@openclaw/sessions";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { importOnce, TableMirror, tableKey } from "./table-mirror.js";

let storage: SessionStorage;
const Row = z.object({ n: z.number() });

beforeEach(() => {
  storage = createMemoryStorage();
});

afterEach(async () => {
  await storage.close().catch(() => undefined);
});

describe("TableMirror", () => {
  it("loads a table of more rows than one page", async () => {
    const table = storage.table<{ n: number }>("test.rows");
    for (let n = 0; n < 1_203; n += 1) await table.put(`k${String(n).padStart(5, "0")}`, { n });
    const mirror = await TableMirror.open(storage, "test.rows", Row);
    expect(mirror.values()).toHaveLength(1_203);
    expect(mirror.get("k01202")).toEqual({ n: 1_202 });
  });

  it("writes changes through in order, and a refresh keeps a change still on its way", async () => {
    const mirror = await TableMirror.open(storage, "test.rows", Row);
    const other = storage.table<{ n: number }>("test.rows");
    mirror.set("a", { n: 1 });
    mirror.set("a", { n: 2 });
    mirror.set("b", { n: 1 });
    mirror.delete("b");
    await mirror.flush();
    expect((await other.list()).map((record) => [record.key, record.value])).toEqual([["a", { n: 2 }]]);

    await other.put("c", { n: 3 });
    await other.delete("a");
    mirror.set("d", { n: 4 });
    const refreshed = mirror.refresh();
    mirror.set("e", { n: 5 });
    await refreshed;
    expect(mirror.get("a")).toBeUndefined();
    expect(mirror.get("c")).toEqual({ n: 3 });
    expect(mirror.get("d")).toEqual({ n: 4 });
    expect(mirror.get("e")).toEqual({ n: 5 });
    await mirror.flush();
    expect((await other.list()).map((record) => record.key)).toEqual(["c", "d", "e"]);
  });
});

describe("tableKey", () => {
  it("keeps parts apart whatever they hold, and stays within the port's 512 characters", () => {
    expect(tableKey("telegram", "a/b", "c")).not.toBe(tableKey("telegram", "a", "b/c"));
    const long = tableKey("telegram", "x".repeat(600));
    expect(long.length).toBeLessThanOrEqual(512);
    expect(long).toMatch(/^telegram\/#[0-9a-f]{64}$/);
    expect(tableKey("telegram", "y".repeat(600))).not.toBe(long);
  });
});

describe("importOnce", () => {
  it("runs the import once and records it", async () => {
    let runs = 0;
    const run = async () => {
      runs += 1;
      return { source: "/state/legacy.json", rows: 2 };
    };
    expect(await importOnce(storage, "legacy", run)).toEqual({ imported: true, rows: 2 });
    expect(await importOnce(storage, "legacy", run)).toEqual({ imported: false, rows: 0 });
    expect(runs).toBe(1);
    expect((await storage.table("state.imports").get("legacy"))?.value).toMatchObject({
      source: "/state/legacy.json",
      rows: 2,
    });
  });
});
