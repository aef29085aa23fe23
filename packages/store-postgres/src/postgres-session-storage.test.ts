import {
  isSessionError,
  type SessionRowQuery,
  type SessionStorage,
  type StoredSessionEntry,
} from "@openclaw/sessions";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { createPostgresStorage } from "./create-postgres-storage.js";
import { dropSchemas, TEST_DATABASE_URL, testSchemaName } from "./test-database.js";

const schemas: string[] = [];
let storage: SessionStorage;

beforeEach(async () => {
  const schema = testSchemaName("sessions");
  schemas.push(schema);
  storage = await createPostgresStorage({ url: TEST_DATABASE_URL, schema });
});
afterEach(() => storage.close());
afterAll(() => dropSchemas(...schemas));

function entry(
  sessionId: string,
  updatedAt: number,
  extra: Partial<StoredSessionEntry> = {},
): StoredSessionEntry {
  return { sessionId, updatedAt, ...extra };
}

const activeList: SessionRowQuery = { archived: false, excludeKinds: ["global", "unknown"], offset: 0 };

describe("session rows", () => {
  it("inserts at version 1, updates with the version read, and returns fields it does not index as written", async () => {
    const written = await storage.putSession({
      key: "agent:main:main",
      agentId: "main",
      entry: entry("s-1", 1000, { label: "Main", openclawOnly: { nested: [1, "two", null] } }),
      expectedVersion: 0,
    });
    expect(written.version).toBe(1);
    const read = await storage.getSession("agent:main:main");
    expect(read).toEqual({
      key: "agent:main:main",
      agentId: "main",
      entry: { sessionId: "s-1", updatedAt: 1000, label: "Main", openclawOnly: { nested: [1, "two", null] } },
      version: 1,
    });
    const updated = await storage.putSession({
      key: "agent:main:main",
      agentId: "main",
      entry: entry("s-1", 2000),
      expectedVersion: 1,
    });
    expect(updated.version).toBe(2);
    expect((await storage.getSession("agent:main:main"))?.entry).toEqual({
      sessionId: "s-1",
      updatedAt: 2000,
    });
  });

  it("keeps strings jsonb would refuse (U+0000, lone surrogates) exactly", async () => {
    const odd = { sessionId: "s-odd", updatedAt: 1, label: "nul\u0000here", displayName: "half \uD83D pair" };
    await storage.putSession({ key: "agent:main:odd", agentId: "main", entry: odd, expectedVersion: 0 });
    expect((await storage.getSession("agent:main:odd"))?.entry).toEqual(odd);
    const byLabel = await storage.findSessions({ label: "nul\u0000here" }, { limit: 5 });
    expect(byLabel.map((s) => s.key)).toEqual(["agent:main:odd"]);
  });

  it("refuses a stale or missing version with SESSION_CONFLICT and changes nothing", async () => {
    const write = { key: "agent:main:a", agentId: "main", entry: entry("s-a", 1) };
    await storage.putSession({ ...write, expectedVersion: 0 });
    await expect(storage.putSession({ ...write, expectedVersion: 0 })).rejects.toMatchObject({
      code: "SESSION_CONFLICT",
      details: { key: "agent:main:a", expectedVersion: 0, actualVersion: 1 },
    });
    await expect(
      storage.putSession({ ...write, entry: entry("s-a", 9), expectedVersion: 7 }),
    ).rejects.toSatisfy((error) => isSessionError(error, "SESSION_CONFLICT"));
    await expect(
      storage.putSession({
        key: "agent:main:none",
        agentId: "main",
        entry: entry("s-n", 1),
        expectedVersion: 3,
      }),
    ).rejects.toMatchObject({ code: "SESSION_CONFLICT", details: { actualVersion: 0 } });
    expect(await storage.getSession("agent:main:a")).toMatchObject({ version: 1, entry: { updatedAt: 1 } });
    expect(await storage.getSession("agent:main:none")).toBeUndefined();
  });

  it("lets exactly one of many concurrent writers of the same version win", async () => {
    await storage.putSession({
      key: "agent:main:race",
      agentId: "main",
      entry: entry("s-r", 0),
      expectedVersion: 0,
    });
    const attempts = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        storage.putSession({
          key: "agent:main:race",
          agentId: "main",
          entry: entry("s-r", i + 1),
          expectedVersion: 1,
        }),
      ),
    );
    expect(attempts.filter((a) => a.status === "fulfilled")).toHaveLength(1);
    for (const attempt of attempts) {
      if (attempt.status === "rejected")
        expect(isSessionError(attempt.reason, "SESSION_CONFLICT")).toBe(true);
    }
    expect((await storage.getSession("agent:main:race"))?.version).toBe(2);
  });

  it("deletes by version, with or without the transcript", async () => {
    await storage.putSession({
      key: "agent:main:d",
      agentId: "main",
      entry: entry("s-d", 1),
      expectedVersion: 0,
    });
    await storage.appendTranscript("s-d", [{ role: "user", text: "hi", ts: 1 }]);
    await expect(storage.deleteSession("agent:main:d", { expectedVersion: 5 })).rejects.toMatchObject({
      code: "SESSION_CONFLICT",
    });
    expect(await storage.deleteSession("agent:main:d", { expectedVersion: 1, deleteTranscript: true })).toBe(
      true,
    );
    expect(await storage.getSession("agent:main:d")).toBeUndefined();
    expect(await storage.transcriptLength("s-d")).toBe(0);
    expect(await storage.deleteSession("agent:main:d")).toBe(false);
    expect(await storage.deleteSession("agent:main:d", { expectedVersion: 0 })).toBe(false);
    await expect(storage.deleteSession("agent:main:d", { expectedVersion: 1 })).rejects.toMatchObject({
      code: "SESSION_CONFLICT",
    });

    await storage.putSession({
      key: "agent:main:k",
      agentId: "main",
      entry: entry("s-k", 1),
      expectedVersion: 0,
    });
    await storage.appendTranscript("s-k", [{ role: "user", text: "kept", ts: 1 }]);
    expect(await storage.deleteSession("agent:main:k")).toBe(true);
    expect(await storage.readTranscript("s-k")).toEqual([{ role: "user", text: "kept", ts: 1 }]);
  });

  it("finds sessions by sessionId or trimmed label, per agent, in key order", async () => {
    const put = (key: string, agentId: string, e: StoredSessionEntry) =>
      storage.putSession({ key, agentId, entry: e, expectedVersion: 0 });
    await put("agent:ops:b", "ops", entry("shared", 1, { label: "  Team " }));
    await put("agent:main:c", "main", entry("shared", 2, { label: "Team" }));
    await put("agent:main:a", "main", entry("other", 3, { label: "Team" }));
    const bySession = await storage.findSessions({ sessionId: "shared" }, { limit: 10 });
    expect(bySession.map((s) => s.key)).toEqual(["agent:main:c", "agent:ops:b"]);
    const byLabel = await storage.findSessions({ label: "Team" }, { limit: 10 });
    expect(byLabel.map((s) => s.key)).toEqual(["agent:main:a", "agent:main:c", "agent:ops:b"]);
    expect(
      (await storage.findSessions({ label: "Team" }, { agentId: "ops", limit: 10 })).map((s) => s.key),
    ).toEqual(["agent:ops:b"]);
    expect(await storage.findSessions({ label: "Team" }, { limit: 1 })).toHaveLength(1);
  });
});

describe("listSessions", () => {
  it("puts pinned active sessions first, then updatedAt descending, then key ascending", async () => {
    const rows: Array<[string, StoredSessionEntry]> = [
      ["agent:main:old", entry("s1", 100)],
      ["agent:main:new", entry("s2", 300)],
      ["agent:main:tie-b", entry("s3", 200)],
      ["agent:main:tie-a", entry("s4", 200)],
      ["agent:main:pinned-old", entry("s5", 50, { pinnedAt: 1 })],
      ["agent:main:pinned-archived", entry("s6", 999, { pinnedAt: 1, archivedAt: 2 })],
    ];
    for (const [key, e] of rows)
      await storage.putSession({ key, agentId: "main", entry: e, expectedVersion: 0 });
    const active = await storage.listSessions(activeList);
    expect(active.sessions.map((s) => s.key)).toEqual([
      "agent:main:pinned-old",
      "agent:main:new",
      "agent:main:tie-a",
      "agent:main:tie-b",
      "agent:main:old",
    ]);
    expect(active.total).toBe(5);
    const all = await storage.listSessions({ ...activeList, archived: "all" });
    expect(all.sessions.map((s) => s.key).slice(0, 2)).toEqual([
      "agent:main:pinned-old",
      "agent:main:pinned-archived",
    ]);
    const archived = await storage.listSessions({ ...activeList, archived: true });
    expect(archived).toMatchObject({ total: 1, sessions: [{ key: "agent:main:pinned-archived" }] });
    const page = await storage.listSessions({ ...activeList, limit: 2, offset: 1 });
    expect(page.sessions.map((s) => s.key)).toEqual(["agent:main:new", "agent:main:tie-a"]);
    expect(page.total).toBe(5);
    const beyond = await storage.listSessions({ ...activeList, limit: 2, offset: 50 });
    expect(beyond).toEqual({ sessions: [], total: 5 });
  });

  it("filters by agent, label, search, updatedSince and hidden kinds, with matching totals", async () => {
    const put = (key: string, agentId: string, e: StoredSessionEntry) =>
      storage.putSession({ key, agentId, entry: e, expectedVersion: 0 });
    await put(
      "agent:main:telegram:direct:42",
      "main",
      entry("tg-1", 10, { channel: "telegram", label: " Alice " }),
    );
    await put(
      "agent:main:slack:channel:c9",
      "main",
      entry("sl-1", 20, { channel: "slack", displayName: "Ops Room" }),
    );
    await put("agent:ops:main", "ops", entry("ops-1", 30, { label: "Alice" }));
    await put("agent:main:global", "main", entry("glob", 40));
    await put("agent:main:unknown", "main", entry("unk", 50));

    const list = (q: Partial<SessionRowQuery>) => storage.listSessions({ ...activeList, ...q });
    const keys = async (q: Partial<SessionRowQuery>) => {
      const result = await list(q);
      expect(result.total).toBe(result.sessions.length);
      return result.sessions.map((s) => s.key);
    };
    expect(await keys({})).toEqual([
      "agent:ops:main",
      "agent:main:slack:channel:c9",
      "agent:main:telegram:direct:42",
    ]);
    expect(await keys({ excludeKinds: ["unknown"] })).toContain("agent:main:global");
    expect(await keys({ excludeKinds: [] })).toHaveLength(5);
    expect(await keys({ agentId: "ops" })).toEqual(["agent:ops:main"]);
    expect(await keys({ label: "Alice" })).toEqual(["agent:ops:main", "agent:main:telegram:direct:42"]);
    expect(await keys({ label: "Alice", agentId: "main" })).toEqual(["agent:main:telegram:direct:42"]);
    expect(await keys({ search: "ops room" })).toEqual(["agent:main:slack:channel:c9"]);
    expect(await keys({ search: "telegram" })).toEqual(["agent:main:telegram:direct:42"]);
    expect(await keys({ search: "tg-1" })).toEqual(["agent:main:telegram:direct:42"]);
    expect(await keys({ search: "alice" })).toEqual(["agent:ops:main", "agent:main:telegram:direct:42"]);
    // A needle never matches across two fields (the key ends in "42", the raw label is " Alice ").
    expect(await keys({ search: "42\u0001 alice" })).toEqual([]);
    expect(await keys({ updatedSince: 20 })).toEqual(["agent:ops:main", "agent:main:slack:channel:c9"]);
    expect(await keys({ updatedSince: 20, search: "slack" })).toEqual(["agent:main:slack:channel:c9"]);
    expect(await list({ limit: 0 })).toEqual({ sessions: [], total: 3 });
  });

  it("keeps the counted totals right as rows move between agents, archive states and kinds, and are deleted", async () => {
    const keys = Array.from({ length: 40 }, (_, i) => `agent:main:k${String(i).padStart(2, "0")}`);
    for (const [i, key] of keys.entries()) {
      await storage.putSession({ key, agentId: "main", entry: entry(`s${i}`, i), expectedVersion: 0 });
    }
    for (const key of keys.slice(0, 10)) {
      await storage.putSession({
        key,
        agentId: "ops",
        entry: entry("moved", 1, { archivedAt: 5 }),
        expectedVersion: 1,
      });
    }
    for (const key of keys.slice(10, 15)) await storage.deleteSession(key);
    const total = async (q: Partial<SessionRowQuery>) =>
      (await storage.listSessions({ ...activeList, ...q })).total;
    expect(await total({})).toBe(25);
    expect(await total({ archived: true })).toBe(10);
    expect(await total({ archived: "all" })).toBe(35);
    expect(await total({ agentId: "ops", archived: "all" })).toBe(10);
    expect(await total({ agentId: "ops" })).toBe(0);
    expect(await storage.countSessions()).toBe(35);
    // The counted totals agree with the rows counted one by one (an updatedSince every row passes).
    expect(await total({ archived: "all", updatedSince: -1 })).toBe(35);
  });
});
