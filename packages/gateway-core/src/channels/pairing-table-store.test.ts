import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMemoryStorage, type SessionStorage } from "@openclaw/sessions";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createPairingStore } from "./pairing-store.js";
import { openTablePairingStore, PAIRING_ALLOW_TABLE } from "./pairing-table-store.js";

let stateDir: string;
let storage: SessionStorage;
let clock: number;
const now = () => clock;

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "openclaw-pairing-table-"));
  storage = createMemoryStorage();
  clock = Date.parse("2026-01-01T00:00:00Z");
});

afterEach(async () => {
  await storage.close().catch(() => undefined);
  await rm(stateDir, { recursive: true, force: true });
});

function codeOf(result: { code: string | undefined }): string {
  expect(result.code).toBeDefined();
  return result.code as string;
}

async function credentialsFiles(): Promise<Record<string, string>> {
  const dir = join(stateDir, "credentials");
  const names = ["telegram-pairing.json", "telegram-allowFrom.json", "telegram-work-allowFrom.json"];
  return Object.fromEntries(
    await Promise.all(names.map(async (n) => [n, await readFile(join(dir, n), "utf8")])),
  );
}

describe("openTablePairingStore", () => {
  it("imports the credentials files once, leaves them as they were, and records the import", async () => {
    const files = createPairingStore({ stateDir, now });
    files.approve(
      "telegram",
      codeOf(files.request({ channel: "telegram", accountId: "default", senderId: "1" })),
    );
    files.approve(
      "telegram",
      codeOf(files.request({ channel: "telegram", accountId: "work", senderId: "2" })),
    );
    const pending = codeOf(
      files.request({ channel: "telegram", accountId: "default", senderId: "3", senderName: "Cy" }),
    );
    const before = await credentialsFiles();

    const store = await openTablePairingStore({ storage, stateDir, now });
    expect(store.isApproved("telegram", "default", "1")).toBe(true);
    expect(store.isApproved("telegram", "work", "2")).toBe(true);
    expect(store.approvedSenders("telegram")).toEqual([
      { accountId: "default", senderId: "1" },
      { accountId: "work", senderId: "2" },
    ]);
    expect(store.list()).toEqual(files.list());
    expect(store.list()[0]).toMatchObject({ code: pending, senderName: "Cy" });
    expect(await credentialsFiles()).toEqual(before);
    expect((await storage.table("state.imports").get("pairing"))?.value).toMatchObject({ rows: 3 });

    // A later change to the files is not imported again: the tables are the truth now.
    files.approve("telegram", pending);
    const reopened = await openTablePairingStore({ storage, stateDir, now });
    expect(reopened.isApproved("telegram", "default", "3")).toBe(false);
    expect(reopened.list().map((request) => request.code)).toEqual([pending]);
  });

  it("refuses to start on a corrupt credentials file, naming it", async () => {
    const files = createPairingStore({ stateDir, now });
    files.request({ channel: "telegram", accountId: "default", senderId: "1" });
    await writeFile(join(stateDir, "credentials", "telegram-pairing.json"), "{not json");
    await expect(openTablePairingStore({ storage, stateDir, now })).rejects.toMatchObject({
      code: "STATE_IMPORT_FAILED",
      message: expect.stringContaining("telegram-pairing.json"),
    });
    expect(await storage.table("state.imports").get("pairing")).toBeUndefined();
  });

  it("keeps every change once flushed: a store opened later on the same storage sees it", async () => {
    const store = await openTablePairingStore({ storage, now });
    const approved = codeOf(store.request({ channel: "telegram", accountId: "default", senderId: "1" }));
    const waiting = codeOf(store.request({ channel: "telegram", accountId: "default", senderId: "2" }));
    store.approve("telegram", approved);
    await store.flush();
    const reopened = await openTablePairingStore({ storage, now });
    expect(reopened.isApproved("telegram", "default", "1")).toBe(true);
    expect(reopened.list().map((request) => request.code)).toEqual([waiting]);
    expect(await storage.table("pairing.requests").list()).toHaveLength(1);
  });

  it("deletes expired requests from the table on the next write, as the file store does", async () => {
    const store = await openTablePairingStore({ storage, now, ttlMs: 1_000 });
    store.request({ channel: "telegram", accountId: "default", senderId: "1" });
    await store.flush();
    clock += 1_001;
    expect(store.list("telegram")).toEqual([]);
    const fresh = codeOf(store.request({ channel: "telegram", accountId: "default", senderId: "2" }));
    await store.flush();
    expect((await storage.table("pairing.requests").list()).map((row) => row.key)).toEqual([
      `telegram/${fresh}`,
    ]);
  });

  it("takes in another instance's approval on refresh", async () => {
    const gateway = await openTablePairingStore({ storage, now });
    const other = await openTablePairingStore({ storage, now });
    const code = codeOf(gateway.request({ channel: "telegram", accountId: "default", senderId: "7" }));
    await gateway.flush();
    await other.refresh();
    other.approve("telegram", code);
    await other.flush();
    expect(gateway.isApproved("telegram", "default", "7")).toBe(false);
    await gateway.refresh();
    expect(gateway.isApproved("telegram", "default", "7")).toBe(true);
    expect(gateway.list()).toEqual([]);
  });

  it("reports a write the storage refused when flushed, and keeps answering from memory", async () => {
    const errors: string[] = [];
    const store = await openTablePairingStore({
      storage,
      now,
      logger: { warn: () => undefined, error: (message) => errors.push(message) },
    });
    await storage.close();
    const code = codeOf(store.request({ channel: "telegram", accountId: "default", senderId: "1" }));
    expect(store.list().map((request) => request.code)).toEqual([code]);
    await expect(store.flush()).rejects.toMatchObject({
      code: "STATE_TABLE_WRITE_FAILED",
      table: "pairing.requests",
    });
    expect(errors).toEqual(["state table write failed"]);
  });

  it("skips a malformed row with a warning instead of treating it as an approval", async () => {
    await storage.table(PAIRING_ALLOW_TABLE).put("telegram/default/1", { channel: "telegram", senderId: 1 });
    const warnings: unknown[] = [];
    const store = await openTablePairingStore({
      storage,
      now,
      logger: { warn: (message, fields) => warnings.push({ message, ...fields }), error: () => undefined },
    });
    expect(store.isApproved("telegram", "default", "1")).toBe(false);
    expect(warnings).toEqual([
      {
        message: "state table row is malformed; skipped it",
        table: PAIRING_ALLOW_TABLE,
        key: "telegram/default/1",
      },
    ]);
  });
});
