import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import {
  isSessionError,
  type SessionStorage,
  type SessionWrite,
  type StoredSessionEntry,
  sessionVersionConflict,
  tableVersionConflict,
} from "@openclaw/sessions";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSqliteStorage } from "./sqlite-storage.js";

let dir: string;
let path: string;
let storage: SessionStorage;

function write(key: string, n: number, expectedVersion = 0): SessionWrite {
  const entry: StoredSessionEntry = { sessionId: `sid-${n}`, updatedAt: 1_000 + n };
  return { key, agentId: "main", entry, expectedVersion };
}

/** A second connection holding the write lock, as another process would. */
function holdWriteLock(): DatabaseSync {
  const other = new DatabaseSync(path);
  other.exec("BEGIN IMMEDIATE");
  return other;
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "openclaw-store-sqlite-writer-"));
  path = join(dir, "gateway.sqlite");
  storage = await createSqliteStorage({ path });
});

afterEach(async () => {
  await storage.close();
  await rm(dir, { recursive: true, force: true });
});

describe("writes on the writer thread", () => {
  it("read-your-writes: a read issued after a write resolved sees it (rows, transcripts, tables)", async () => {
    const table = storage.table<number>("ryw");
    await Promise.all(
      Array.from({ length: 64 }, async (_, n) => {
        const key = `agent:main:k${n}`;
        const written = await storage.putSession(write(key, n));
        expect(await storage.getSession(key)).toEqual(written);
        const patch = write(key, n, written.version);
        const patched = await storage.putSession({ ...patch, entry: { ...patch.entry, label: `p${n}` } });
        expect(await storage.getSession(key)).toEqual(patched);
        await storage.appendTranscript(`sid-${n}`, [{ role: "user", text: `m${n}`, ts: n }]);
        expect(await storage.transcriptLength(`sid-${n}`)).toBe(1);
        expect((await storage.readTranscript(`sid-${n}`, { limit: 1 }))[0]?.text).toBe(`m${n}`);
        await table.put(`k${n}`, n);
        expect((await table.get(`k${n}`))?.value).toBe(n);
        expect(await table.delete(`k${n}`)).toBe(true);
        expect(await table.get(`k${n}`)).toBeUndefined();
        expect(await storage.deleteSession(key, { deleteTranscript: true })).toBe(true);
        expect(await storage.getSession(key)).toBeUndefined();
        expect(await storage.transcriptLength(`sid-${n}`)).toBe(0);
      }),
    );
    expect(await storage.countSessions()).toBe(0);
  });

  it("a version conflict arrives as the same SessionError, code, message and details", async () => {
    await storage.putSession(write("agent:main:a", 1));
    const row = await storage.putSession(write("agent:main:a", 2, 3)).catch((error: unknown) => error);
    const expected = sessionVersionConflict("agent:main:a", 3, 1);
    expect(isSessionError(row, "SESSION_CONFLICT")).toBe(true);
    expect(row).toMatchObject({ name: expected.name, message: expected.message, details: expected.details });

    const missing = await storage
      .deleteSession("agent:main:b", { expectedVersion: 1 })
      .catch((e: unknown) => e);
    expect(missing).toMatchObject({ message: sessionVersionConflict("agent:main:b", 1, 0).message });

    const table = storage.table("jobs");
    await table.put("k", 1);
    const stale = await table.put("k", 2, 5).catch((error: unknown) => error);
    expect(isSessionError(stale, "SESSION_CONFLICT")).toBe(true);
    expect(stale).toMatchObject({ message: tableVersionConflict("jobs", "k", 5, 1).message });
  });

  it("a SQLite failure on the writer thread arrives as node:sqlite's error (code, errcode, message)", async () => {
    const impatient = await createSqliteStorage({ path, busyTimeoutMs: 0 });
    const other = holdWriteLock();
    let direct: unknown;
    const probe = new DatabaseSync(path);
    try {
      probe.exec("PRAGMA busy_timeout = 0");
      probe.exec("BEGIN IMMEDIATE");
    } catch (error) {
      direct = error;
    } finally {
      probe.close();
    }
    expect(direct).toMatchObject({ code: "ERR_SQLITE_ERROR", errcode: 5 });
    const { message, code, errcode, errstr } = direct as Record<string, unknown>;
    try {
      await expect(impatient.putSession(write("agent:main:x", 1))).rejects.toMatchObject({
        message,
        code,
        errcode,
        errstr,
      });
    } finally {
      other.exec("ROLLBACK");
      other.close();
    }
    await expect(impatient.putSession(write("agent:main:x", 1))).resolves.toMatchObject({ version: 1 });
    await impatient.close();
  });

  it("a write waiting for the lock does not hold the event loop: timers fire and reads answer", async () => {
    // A long busy timeout: on a loaded machine the turns below must not outlast the writer's wait for the lock.
    const patient = await createSqliteStorage({ path, busyTimeoutMs: 60_000 });
    const other = holdWriteLock();
    const pending = patient.putSession(write("agent:main:w", 1));
    let settled = false;
    void pending.finally(() => {
      settled = true;
    });
    // With the writer on this thread, SQLite's busy wait (up to busyTimeoutMs) would block these timers.
    for (let turn = 0; turn < 5; turn++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await patient.countSessions()).toBe(0);
    }
    expect(settled).toBe(false);
    other.exec("ROLLBACK");
    other.close();
    await expect(pending).resolves.toMatchObject({ version: 1 });
    expect(await patient.countSessions()).toBe(1);
    await patient.close();
  });

  it("refuses writes with STORE_CLOSED once close() began, and close drains what was requested", async () => {
    const requested = Array.from({ length: 50 }, (_, n) => storage.putSession(write(`agent:main:c${n}`, n)));
    const closing = storage.close();
    await expect(storage.putSession(write("agent:main:late", 1))).rejects.toMatchObject({
      code: "STORE_CLOSED",
    });
    await closing;
    expect((await Promise.all(requested)).every((row) => row.version === 1)).toBe(true);
    storage = await createSqliteStorage({ path });
    expect(await storage.countSessions()).toBe(50);
  });
});
