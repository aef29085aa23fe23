import { describe, expect, it } from "vitest";
import { type ConformanceFixture, expectSessionError, uniqueNamespace } from "./conformance-fixture.js";

/** The small keyed tables: get / put / delete / list, optimistic puts. */
export function registerTableChecks(fixture: ConformanceFixture): void {
  const { timeoutMs } = fixture;
  describe("tables", () => {
    it(
      "puts, reads and deletes JSON values; every put adds one to the version",
      async () => {
        const table = fixture.storage().table<Record<string, unknown>>(uniqueNamespace().table);
        expect(await table.get("job-1")).toBeUndefined();
        const value = { schedule: "*/5 * * * *", enabled: true, payload: { text: "ping ✓", n: [1, null] } };
        expect(await table.put("job-1", value)).toEqual({ key: "job-1", value, version: 1 });
        expect(await table.get("job-1")).toEqual({ key: "job-1", value, version: 1 });
        expect(await table.put("job-1", { enabled: false })).toEqual({
          key: "job-1",
          value: { enabled: false },
          version: 2,
        });
        expect(await table.delete("job-1")).toBe(true);
        expect(await table.get("job-1")).toBeUndefined();
        expect(await table.delete("job-1")).toBe(false);
        expect((await table.put("job-1", { back: true })).version).toBe(1);
      },
      timeoutMs,
    );

    it(
      "stores any JSON value: strings, numbers, arrays, null",
      async () => {
        const table = fixture.storage().table(uniqueNamespace().table);
        for (const [key, value] of Object.entries({ s: "text", n: 42.5, a: [1, "two"], z: null, b: false })) {
          await table.put(key, value);
          expect((await table.get(key))?.value).toEqual(value);
        }
      },
      timeoutMs,
    );

    it(
      "puts optimistically: expectedVersion 0 only when missing, otherwise only at the current version",
      async () => {
        const table = fixture.storage().table<number>(uniqueNamespace().table);
        const first = await table.put("counter", 1, 0);
        expect(first.version).toBe(1);
        await expectSessionError(table.put("counter", 2, 0), "SESSION_CONFLICT");
        await expectSessionError(table.put("counter", 2, 3), "SESSION_CONFLICT");
        await expectSessionError(table.put("missing", 2, 1), "SESSION_CONFLICT");
        expect(await table.get("counter")).toEqual(first);
        expect(await table.get("missing")).toBeUndefined();
        expect(await table.put("counter", 2, 1)).toEqual({ key: "counter", value: 2, version: 2 });
      },
      timeoutMs,
    );

    it(
      "lists in key order, narrowed by prefix, paged by after and limit; tables are separate",
      async () => {
        const storage = fixture.storage();
        const ns = uniqueNamespace();
        const table = storage.table<string>(ns.table);
        const neighbour = storage.table<string>(`${ns.table}.other`);
        for (const key of ["run:b", "job:2", "run:a", "job:10", "job:1", "zeta"]) await table.put(key, key);
        await neighbour.put("job:1", "not mine");
        const keys = async (o?: { prefix?: string; after?: string; limit?: number }) =>
          (await table.list(o)).map((record) => record.key);

        expect(await keys()).toEqual(["job:1", "job:10", "job:2", "run:a", "run:b", "zeta"]);
        expect(await keys({ prefix: "job:" })).toEqual(["job:1", "job:10", "job:2"]);
        expect(await keys({ prefix: "job:1" })).toEqual(["job:1", "job:10"]);
        expect(await keys({ after: "job:2" })).toEqual(["run:a", "run:b", "zeta"]);
        expect(await keys({ limit: 2 })).toEqual(["job:1", "job:10"]);
        expect(await keys({ prefix: "run:", after: "run:a", limit: 5 })).toEqual(["run:b"]);
        expect(await keys({ prefix: "%" })).toEqual([]);
        expect(await keys({ limit: 0 })).toEqual([]);
        expect(await table.list({ prefix: "run:a" })).toEqual([{ key: "run:a", value: "run:a", version: 1 }]);
        expect((await neighbour.list()).map((record) => record.value)).toEqual(["not mine"]);
        expect((await table.get("job:1"))?.value).toBe("job:1");
      },
      timeoutMs,
    );

    it(
      "refuses a table name outside [a-z][a-z0-9_.-]*",
      async () => {
        const storage = fixture.storage();
        for (const name of ["Bad", "1st", "with space", "", "semi;colon", "quote'"]) {
          await expect(
            (async () => storage.table(name).get("k"))(),
            `table name ${JSON.stringify(name)}`,
          ).rejects.toThrow();
        }
      },
      timeoutMs,
    );
  });
}
