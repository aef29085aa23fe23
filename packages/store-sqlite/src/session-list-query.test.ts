import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createMemoryStorage,
  type HiddenSessionKind,
  type SessionRowQuery,
  type SessionStorage,
  type SessionWrite,
  type StoredSessionEntry,
} from "@openclaw/sessions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { filterOf, pageSql } from "./session-list-query.js";
import { chunkSql, SessionSearch } from "./session-search.js";
import { openSqliteConnection } from "./sqlite-connection.js";
import { createSqliteStorage } from "./sqlite-storage.js";
import { SqliteStorageOptionsSchema } from "./sqlite-storage-options.js";

// A seeded generator: the same rows and queries on every run, so a failure reproduces.
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const rand = random(14);
const pick = <T>(values: readonly T[]): T => values[Math.floor(rand() * values.length)] as T;

let dir: string;
let sqlite: SessionStorage;
const memory = createMemoryStorage();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "openclaw-store-sqlite-list-"));
  sqlite = await createSqliteStorage({ path: join(dir, "db.sqlite"), synchronous: "normal" });
  const writes: SessionWrite[] = [];
  for (let n = 0; n < 400; n++) {
    const agentId = pick(["main", "work", "ops"]);
    const rest = `${pick(["dm", "group", "chat"])}-${n}`;
    const entry: StoredSessionEntry = {
      sessionId: `sid-${n}`,
      updatedAt: pick([5, 10, 10, 20, 30]) * 1000 + (n % 3),
    };
    if (rand() < 0.2) entry.pinnedAt = n;
    if (rand() < 0.25) entry.archivedAt = n;
    if (rand() < 0.4) entry.label = pick(["Ops", " Ops", "Support", "Ünïcode"]);
    if (rand() < 0.3) entry.displayName = pick(["Alice", "Bob Ops", "Zoë"]);
    if (rand() < 0.5) entry.channel = pick(["telegram", "slack"]);
    writes.push({ key: `agent:${agentId}:${rest}`, agentId, entry, expectedVersion: 0 });
  }
  // Sentinel keys must be exactly agent:<id>:global / :unknown; one of each per agent.
  for (const agentId of ["main", "work"]) {
    for (const rest of ["global", "unknown"]) {
      writes.push({
        key: `agent:${agentId}:${rest}`,
        agentId,
        entry: { sessionId: `s-${agentId}-${rest}`, updatedAt: 10_000 },
        expectedVersion: 0,
      });
    }
  }
  for (const w of writes) {
    await sqlite.putSession(w);
    await memory.putSession(w);
  }
  // Re-write some rows so the counters see updates that move rows between groups.
  for (const w of writes.slice(0, 60)) {
    const entry = {
      ...w.entry,
      archivedAt: w.entry.archivedAt === undefined ? 1 : undefined,
      updatedAt: w.entry.updatedAt + 7,
    };
    if (entry.archivedAt === undefined) delete entry.archivedAt;
    await sqlite.putSession({ ...w, entry, expectedVersion: 1 });
    await memory.putSession({ ...w, entry, expectedVersion: 1 });
  }
  for (const w of writes.slice(60, 70)) {
    await sqlite.deleteSession(w.key);
    await memory.deleteSession(w.key);
  }
});

afterAll(async () => {
  await sqlite.close();
  await rm(dir, { recursive: true, force: true });
});

function randomQuery(): SessionRowQuery {
  const q: SessionRowQuery = {
    archived: pick([false, false, true, "all"] as const),
    excludeKinds: pick([[], ["global"], ["unknown"], ["global", "unknown"]] as HiddenSessionKind[][]),
    offset: pick([0, 0, 3, 40, 500]),
  };
  if (rand() < 0.4) q.agentId = pick(["main", "work", "ops", "nobody"]);
  if (rand() < 0.2) q.label = pick(["Ops", "Support", "Ünïcode"]);
  if (rand() < 0.2) q.search = pick(["ops", "sid-1", "telegram", "zoë", "group", "agent:work"]);
  if (rand() < 0.2) q.updatedSince = pick([10_000, 20_001, 30_000]);
  if (rand() < 0.8) q.limit = pick([0, 1, 5, 50]);
  return q;
}

describe("listSessions matches the reference storage", () => {
  it("same keys, same order and same total for 400 random queries", async () => {
    let nonEmptyPages = 0;
    for (let i = 0; i < 400; i++) {
      const q = randomQuery();
      const [got, want] = await Promise.all([sqlite.listSessions(q), memory.listSessions(q)]);
      if (got.sessions.length > 0) nonEmptyPages++;
      expect({ q, keys: got.sessions.map((s) => s.key), total: got.total }).toEqual({
        q,
        keys: want.sessions.map((s) => s.key),
        total: want.total,
      });
    }
    expect(nonEmptyPages).toBeGreaterThan(150);
    expect(await sqlite.countSessions()).toBe(await memory.countSessions());
  });
});

describe("query plans", () => {
  const shapes: Array<[string, SessionRowQuery]> = [
    ["active", { archived: false, excludeKinds: ["global", "unknown"], offset: 0, limit: 50 }],
    ["archived", { archived: true, excludeKinds: [], offset: 0, limit: 50 }],
    ["all", { archived: "all", excludeKinds: ["global"], offset: 0, limit: 50 }],
    [
      "agent",
      { agentId: "main", archived: false, excludeKinds: ["global", "unknown"], offset: 0, limit: 50 },
    ],
    ["agent, all", { agentId: "main", archived: "all", excludeKinds: [], offset: 0, limit: 50 }],
    ["label", { label: "Ops", archived: false, excludeKinds: [], offset: 0, limit: 50 }],
    ["active since", { updatedSince: 20_000, archived: false, excludeKinds: [], offset: 0, limit: 50 }],
    ["agent, since", { agentId: "work", updatedSince: 20_000, archived: false, excludeKinds: [], offset: 0 }],
    ["search", { search: "ops", archived: false, excludeKinds: ["global", "unknown"], offset: 0, limit: 50 }],
  ];
  it.each(shapes)("%s: a page reads one index in list order (no sort)", async (_name, q) => {
    const connection = await openSqliteConnection(
      SqliteStorageOptionsSchema.parse({ path: join(dir, "db.sqlite") }),
    );
    try {
      const filter = filterOf(q);
      const plan = connection.db
        .prepare(`EXPLAIN QUERY PLAN ${pageSql(filter)}`)
        .all(...filter.params, 0, 50, 0)
        .map((row) => String(row.detail))
        .join("; ");
      expect(plan).toMatch(/^SEARCH sessions USING (COVERING )?INDEX sessions_/);
      expect(plan).not.toContain("TEMP B-TREE");
    } finally {
      connection.close();
    }
  });
});

describe("search in chunks", () => {
  it("walks the index 7 rows at a time (ties on updatedAt across chunk edges) and matches the reference", async () => {
    const connection = await openSqliteConnection(
      SqliteStorageOptionsSchema.parse({ path: join(dir, "db.sqlite") }),
    );
    const search = new SessionSearch(connection, 7);
    try {
      for (const needle of ["ops", "sid-1", "telegram", "agent:", "zoë", "nothing-matches"]) {
        for (const archived of [false, true, "all"] as const) {
          const q: SessionRowQuery = {
            search: needle,
            archived,
            excludeKinds: ["global"],
            offset: 2,
            limit: 9,
          };
          const [got, want] = await Promise.all([search.search(q), memory.listSessions(q)]);
          expect({ q, keys: got.sessions.map((s) => s.key), total: got.total }).toEqual({
            q,
            keys: want.sessions.map((s) => s.key),
            total: want.total,
          });
        }
      }
      const broad: SessionRowQuery = { search: "agent:", archived: "all", excludeKinds: [], offset: 0 };
      expect((await search.search(broad)).total).toBeGreaterThan(300);
    } finally {
      await search.close();
      connection.close();
    }
  });

  it("a chunk after a cursor seeks into the index instead of rescanning it", async () => {
    const connection = await openSqliteConnection(
      SqliteStorageOptionsSchema.parse({ path: join(dir, "db.sqlite") }),
    );
    try {
      const filter = filterOf({ archived: false, excludeKinds: ["global", "unknown"], offset: 0 });
      const sql = chunkSql([
        ...filter.sql,
        "pinned_active = ?",
        "updated_at <= ?",
        "NOT (updated_at = ? AND key <= ?)",
      ]);
      const plan = connection.db
        .prepare(`EXPLAIN QUERY PLAN ${sql}`)
        .all("x", ...filter.params, 0, 1, 1, "k", 10)
        .map((row) => String(row.detail))
        .join("; ");
      expect(plan).toMatch(
        /USING COVERING INDEX sessions_list \(archived=\? AND pinned_active=\? AND updated_at<\?\)/,
      );
      expect(plan).not.toContain("TEMP B-TREE");
    } finally {
      connection.close();
    }
  });
});
