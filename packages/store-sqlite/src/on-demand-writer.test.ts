import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, beforeEach, expect, it } from "vitest";
import { OnDemandWriter } from "./on-demand-writer.js";
import { openSqliteConnection } from "./sqlite-connection.js";
import { type ResolvedSqliteStorageOptions, SqliteStorageOptionsSchema } from "./sqlite-storage-options.js";

let dir: string;
let options: ResolvedSqliteStorageOptions;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "openclaw-store-sqlite-on-demand-"));
  options = SqliteStorageOptionsSchema.parse({ path: join(dir, "gateway.sqlite") });
  (await openSqliteConnection(options)).close();
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const put = (key: string) =>
  ({ kind: "tablePut", name: "t", key, json: JSON.stringify({ key }), expectedVersion: undefined }) as const;

function keys(): string[] {
  const db = new DatabaseSync(options.path, { readOnly: true });
  try {
    return db
      .prepare("SELECT key FROM kv WHERE name = 't' ORDER BY key")
      .all()
      .map((row) => String(row.key));
  } finally {
    db.close();
  }
}

it("starts the thread on the first write, stops it after the idle time, and starts it again for the next", async () => {
  const writer = new OnDemandWriter(options, 100);
  expect(writer.running).toBe(false);
  await Promise.all([writer.write(put("a")), writer.write(put("b"))]);
  expect(writer.running).toBe(true);
  // Stopped once idle (100 ms here); polled with a generous bound, as a fixed 300 ms sleep was a guess that a
  // loaded CI machine can outrun. Stopping too early would already have failed the check above.
  await expect.poll(() => writer.running, { timeout: 15_000 }).toBe(false);
  await writer.write(put("c"));
  expect(writer.running).toBe(true);
  await writer.stop();
  expect(writer.running).toBe(false);
  expect(keys()).toEqual(["a", "b", "c"]);
});
