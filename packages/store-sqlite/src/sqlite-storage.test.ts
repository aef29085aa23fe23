import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  isSessionError,
  type SessionStorage,
  type SessionWrite,
  type StoredSessionEntry,
  type TranscriptEntry,
} from "@openclaw/sessions";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSqliteStorage } from "./sqlite-storage.js";
import { sqliteStorageDriver } from "./sqlite-storage-driver.js";

let dir: string;
let storage: SessionStorage;

function entry(n: number, extra: Partial<StoredSessionEntry> = {}): StoredSessionEntry {
  return { sessionId: `sid-${n}`, updatedAt: 1_000 + n, ...extra };
}

function write(key: string, e: StoredSessionEntry, expectedVersion = 0, agentId = "main"): SessionWrite {
  return { key, agentId, entry: e, expectedVersion };
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "openclaw-store-sqlite-"));
  storage = await createSqliteStorage({ path: join(dir, "state", "gateway.sqlite") });
});

afterEach(async () => {
  await storage.close();
  await rm(dir, { recursive: true, force: true });
});

describe("session rows", () => {
  it("writes optimistically and keeps unindexed fields exactly", async () => {
    const first = await storage.putSession(write("agent:main:a", entry(1, { custom: { deep: [1, "x"] } })));
    expect(first).toEqual({
      key: "agent:main:a",
      agentId: "main",
      entry: { sessionId: "sid-1", updatedAt: 1001, custom: { deep: [1, "x"] } },
      version: 1,
    });
    await expect(storage.putSession(write("agent:main:a", entry(2)))).rejects.toMatchObject({
      code: "SESSION_CONFLICT",
    });
    const second = await storage.putSession(write("agent:main:a", entry(3, { label: "x" }), 1));
    expect(second.version).toBe(2);
    await expect(storage.putSession(write("agent:main:a", entry(4), 1))).rejects.toSatisfy((error) =>
      isSessionError(error, "SESSION_CONFLICT"),
    );
    expect(await storage.getSession("agent:main:a")).toEqual(second);
    expect(await storage.countSessions()).toBe(1);
  });

  it("a conflicting write in a batch fails alone; the others in the same commit land", async () => {
    await storage.putSession(write("agent:main:a", entry(1)));
    const results = await Promise.allSettled([
      storage.putSession(write("agent:main:b", entry(2))),
      storage.putSession(write("agent:main:a", entry(3))),
      storage.putSession(write("agent:main:c", entry(4))),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(await storage.countSessions()).toBe(3);
    expect((await storage.getSession("agent:main:a"))?.entry.updatedAt).toBe(1001);
  });

  it("deletes with an expected version, and the transcript with it when asked", async () => {
    await storage.putSession(write("agent:main:a", entry(1)));
    await storage.appendTranscript("sid-1", [{ role: "user", text: "hi", ts: 1 }]);
    await expect(storage.deleteSession("agent:main:a", { expectedVersion: 2 })).rejects.toMatchObject({
      code: "SESSION_CONFLICT",
    });
    expect(await storage.deleteSession("agent:main:a", { expectedVersion: 1, deleteTranscript: true })).toBe(
      true,
    );
    expect(await storage.deleteSession("agent:main:a")).toBe(false);
    expect(await storage.transcriptLength("sid-1")).toBe(0);
    expect(await storage.countSessions()).toBe(0);
  });

  it("finds by sessionId and by trimmed label, in key order, per agent", async () => {
    await storage.putSession(write("agent:main:b", entry(1, { label: " Ops " })));
    await storage.putSession(write("agent:main:a", entry(2, { label: "Ops" })));
    await storage.putSession(write("agent:work:c", entry(3, { label: "Ops" }), 0, "work"));
    const byLabel = await storage.findSessions({ label: "Ops" }, { limit: 10 });
    expect(byLabel.map((s) => s.key)).toEqual(["agent:main:a", "agent:main:b", "agent:work:c"]);
    const work = await storage.findSessions({ label: "Ops" }, { agentId: "work", limit: 10 });
    expect(work.map((s) => s.key)).toEqual(["agent:work:c"]);
    expect((await storage.findSessions({ sessionId: "sid-2" }, { limit: 1 }))[0]?.key).toBe("agent:main:a");
  });
});

describe("transcripts", () => {
  it("appends, reads the last N oldest first, replaces and deletes", async () => {
    await storage.appendTranscript("s", [
      { role: "user", text: "1", ts: 1 },
      { role: "assistant", text: "2", ts: 2, usage: { tokens: 3 } },
    ]);
    await storage.appendTranscript("s", [{ role: "user", text: "3", ts: 3 }]);
    expect(await storage.transcriptLength("s")).toBe(3);
    expect((await storage.readTranscript("s", { limit: 2 })).map((e) => e.text)).toEqual(["2", "3"]);
    expect((await storage.readTranscript("s"))[1]).toEqual({
      role: "assistant",
      text: "2",
      ts: 2,
      usage: { tokens: 3 },
    });
    await storage.replaceTranscript("s", [{ role: "summary", text: "sum", ts: 4 }]);
    await storage.appendTranscript("s", [{ role: "user", text: "5", ts: 5 }]);
    expect((await storage.readTranscript("s")).map((e) => e.text)).toEqual(["sum", "5"]);
    expect(await storage.transcriptLength("s")).toBe(2);
    await storage.deleteTranscript("s");
    expect(await storage.readTranscript("s")).toEqual([]);
  });

  it("writes the session row with an append in one transaction, and appends nothing on a conflict", async () => {
    const row = await storage.appendTranscript(
      "sid-1",
      [{ role: "user", text: "a", ts: 1 }],
      write("agent:main:a", entry(1, { messageCount: 1 })),
    );
    expect(row?.version).toBe(1);
    await expect(
      storage.appendTranscript(
        "sid-1",
        [{ role: "user", text: "b", ts: 2 }],
        write("agent:main:a", entry(1), 5),
      ),
    ).rejects.toMatchObject({ code: "SESSION_CONFLICT" });
    expect(await storage.transcriptLength("sid-1")).toBe(1);
  });
});

describe("migration 3", () => {
  it("indexes the keys and run ids of entries written before it, so a keyed read finds them", async () => {
    const path = join(dir, "state", "gateway.sqlite");
    const before: TranscriptEntry[] = [
      { role: "user", text: "hi", ts: 1, runId: "r1", idempotencyKey: "k" },
      { role: "tool", text: "\u0000 \u001b[0m", ts: 2, runId: "r2" },
      { role: "assistant", text: "hello", ts: 3, runId: "r1:resume-1" },
    ];
    await storage.appendTranscript("s", before);
    await storage.close();
    // The file as version 2 left it: the same rows, without the indexes.
    const { DatabaseSync } = await import("node:sqlite");
    const db = new DatabaseSync(path);
    db.exec("DROP INDEX transcript_entries_key; DROP INDEX transcript_entries_run; PRAGMA user_version = 2");
    db.close();
    storage = await createSqliteStorage({ path });
    expect(await storage.readTranscript("s", { turnOf: "k" })).toEqual([before[0], before[2]]);
    expect(await storage.readTranscript("s")).toEqual(before);
  });
});

describe("tables", () => {
  it("puts with and without versions, lists by prefix and after, deletes", async () => {
    const jobs = storage.table<{ n: number }>("cron.jobs");
    expect((await jobs.put("b", { n: 1 })).version).toBe(1);
    expect((await jobs.put("b", { n: 2 })).version).toBe(2);
    await expect(jobs.put("b", { n: 3 }, 1)).rejects.toMatchObject({ code: "SESSION_CONFLICT" });
    await expect(jobs.put("a", { n: 3 }, 1)).rejects.toMatchObject({ code: "SESSION_CONFLICT" });
    await jobs.put("a", { n: 0 }, 0);
    await jobs.put("a:x", { n: 4 });
    await storage.table("other").put("a", "elsewhere");
    expect((await jobs.list()).map((r) => r.key)).toEqual(["a", "a:x", "b"]);
    expect((await jobs.list({ prefix: "a" })).map((r) => r.key)).toEqual(["a", "a:x"]);
    expect((await jobs.list({ after: "a", limit: 1 })).map((r) => r.key)).toEqual(["a:x"]);
    expect(await jobs.get("b")).toEqual({ key: "b", value: { n: 2 }, version: 2 });
    expect(await jobs.delete("b")).toBe(true);
    expect(await jobs.delete("b")).toBe(false);
    expect(() => storage.table("Bad Name")).toThrow(/table name/);
    await expect(jobs.put("x".repeat(513), { n: 1 })).rejects.toMatchObject({
      code: "INVALID_STORAGE_REQUEST",
    });
  });
});

describe("the database file", () => {
  it("keeps its directory at 0700 and the file at 0600, and data across close and reopen", async () => {
    const path = join(dir, "state", "gateway.sqlite");
    expect((await stat(join(dir, "state"))).mode & 0o777).toBe(0o700);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    await storage.putSession(write("agent:main:a", entry(1)));
    for (const suffix of ["-wal", "-shm"]) expect((await stat(path + suffix)).mode & 0o777).toBe(0o600);
    await storage.close();
    await expect(storage.getSession("agent:main:a")).rejects.toMatchObject({ code: "STORE_CLOSED" });
    storage = await createSqliteStorage({ path });
    expect((await storage.getSession("agent:main:a"))?.version).toBe(1);
  });

  it("the writer thread checkpoints the WAL into the database file between commits", async () => {
    const path = join(dir, "state", "gateway.sqlite");
    const before = (await stat(path)).size;
    const preview = "x".repeat(2_000);
    await Promise.all(
      Array.from({ length: 300 }, (_, n) =>
        storage.putSession(write(`agent:main:k${n}`, entry(n, { lastMessagePreview: preview }))),
      ),
    );
    // 300 rows of 2 KB are ~150 WAL pages, far below the 10,000-page backstop threshold: only the timed checkpoint
    // moves them into the main file.
    // The bound only stops a failure; generous (below the 30 s test budget) for a loaded CI machine.
    const deadline = Date.now() + 20_000;
    while ((await stat(path)).size <= before + 300 * 2_000 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect((await stat(path)).size).toBeGreaterThan(before + 300 * 2_000);
  });

  it("close waits for writes already requested", async () => {
    const pending = storage.putSession(write("agent:main:a", entry(1)));
    await storage.close();
    await expect(pending).resolves.toMatchObject({ version: 1 });
    storage = await createSqliteStorage({ path: join(dir, "state", "gateway.sqlite") });
    expect(await storage.countSessions()).toBe(1);
  });
});

describe("sqliteStorageDriver", () => {
  it("opens <stateDir>/state/gateway.sqlite by default and rejects unknown options with the fix", async () => {
    const stateDir = join(dir, "driver-state");
    const opened = await sqliteStorageDriver.open({}, { stateDir, env: {} });
    expect(opened.driver).toBe("sqlite");
    expect(opened.location).toBe(join(stateDir, "state", "gateway.sqlite"));
    await opened.close();
    await expect(sqliteStorageDriver.open({ url: "x" }, { stateDir, env: {} })).rejects.toMatchObject({
      code: "INVALID_SQLITE_OPTIONS",
      message: expect.stringContaining("allowed keys are path"),
    });
    await expect(
      sqliteStorageDriver.open({ synchronous: "off" }, { stateDir, env: {} }),
    ).rejects.toMatchObject({ code: "INVALID_SQLITE_OPTIONS" });
  });
});
