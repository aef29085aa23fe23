import {
  compareStoredSessions,
  type HiddenSessionKind,
  matchesSessionRowQuery,
  type SessionRowQuery,
  type SessionStorage,
  type StoredSession,
  type StoredSessionEntry,
} from "@openclaw/sessions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPostgresStorage } from "./create-postgres-storage.js";
import { dropSchemas, TEST_DATABASE_URL, testSchemaName } from "./test-database.js";

const schema = testSchemaName("list_reference");
let storage: SessionStorage;
const stored: StoredSession[] = [];

// A small deterministic PRNG (mulberry32), so a failure reproduces.
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = random(20261207);
const pick = <T>(values: readonly T[]): T => values[Math.floor(rand() * values.length)] as T;
const maybe = <T>(value: T, p = 0.5): T | undefined => (rand() < p ? value : undefined);

const AGENTS = ["main", "ops", "x-team"];
const LABELS = ["Alice", " Alice ", "Bob", "Émile", "straße", "Ops Room"];
const DISPLAY = ["Alice Smith", "ÉMILE", "Big Group", "ops ROOM", "\u00df shop"];
const RESTS = ["main", "global", "unknown", "telegram:direct:", "slack:channel:", "discord:group:"];

function randomSession(i: number): { key: string; agentId: string; entry: StoredSessionEntry } {
  const agentId = pick(AGENTS);
  const rest = pick(RESTS);
  const key = rest.endsWith(":") ? `agent:${agentId}:${rest}${i}` : `agent:${agentId}:${rest}`;
  const entry: StoredSessionEntry = { sessionId: `sid-${i % 290}`, updatedAt: Math.floor(rand() * 20) * 100 };
  const label = maybe(pick(LABELS));
  if (label !== undefined) entry.label = label;
  const displayName = maybe(pick(DISPLAY));
  if (displayName !== undefined) entry.displayName = displayName;
  const channel = maybe(pick(["telegram", "slack", "Discord"]));
  if (channel !== undefined) entry.channel = channel;
  if (rand() < 0.15) entry.pinnedAt = 1;
  if (rand() < 0.25) entry.archivedAt = 2;
  return { key, agentId, entry };
}

function randomQuery(): SessionRowQuery {
  const q: SessionRowQuery = {
    archived: pick([false, true, "all"] as const),
    excludeKinds: pick<HiddenSessionKind[]>([["global", "unknown"], [], ["global"], ["unknown"]]),
    offset: pick([0, 0, 0, 3, 40]),
  };
  if (rand() < 0.6) q.limit = pick([0, 1, 5, 50]);
  if (rand() < 0.3) q.agentId = pick(AGENTS);
  if (rand() < 0.2) q.label = pick(["Alice", "Bob", "Émile", "straße", "nobody"]);
  if (rand() < 0.3)
    q.search = pick(["alice", "émile", "ß", "ops", "sid-1", "telegram", "discord", ":main", "zzz", ""]);
  if (rand() < 0.3) q.updatedSince = pick([0, 500, 1000, 1900]);
  return q;
}

beforeAll(async () => {
  storage = await createPostgresStorage({ url: TEST_DATABASE_URL, schema, pool: { max: 8 } });
  const writes = new Map<string, ReturnType<typeof randomSession>>();
  for (let i = 0; writes.size < 300; i++) {
    const s = randomSession(i);
    writes.set(s.key, s);
  }
  const sessions = [...writes.values()];
  for (let i = 0; i < sessions.length; i += 20) {
    const batch = sessions.slice(i, i + 20);
    stored.push(...(await Promise.all(batch.map((s) => storage.putSession({ ...s, expectedVersion: 0 })))));
  }
}, 60_000);
afterAll(async () => {
  await storage?.close();
  await dropSchemas(schema);
});

describe("listSessions against the port's reference rules", () => {
  it("returns the same page and total as matchesSessionRowQuery + compareStoredSessions for 250 random queries", async () => {
    for (let n = 0; n < 250; n++) {
      const q = randomQuery();
      const expected = stored.filter((s) => matchesSessionRowQuery(s, q)).sort(compareStoredSessions);
      const end = q.limit === undefined ? undefined : q.offset + q.limit;
      const actual = await storage.listSessions(q);
      expect(
        { keys: actual.sessions.map((s) => s.key), total: actual.total },
        `query ${n}: ${JSON.stringify(q)}`,
      ).toEqual({ keys: expected.slice(q.offset, end).map((s) => s.key), total: expected.length });
    }
  }, 60_000);

  it("finds by sessionId and label exactly as the reference filters them", async () => {
    for (const label of ["Alice", "Émile", "straße", "Ops Room"]) {
      const expected = stored
        .filter((s) => s.entry.label?.trim() === label)
        .map((s) => s.key)
        .sort();
      const found = await storage.findSessions({ label }, { limit: 1000 });
      expect(found.map((s) => s.key)).toEqual(expected);
    }
    const bySession = await storage.findSessions({ sessionId: "sid-7" }, { limit: 1000 });
    expect(bySession.map((s) => s.key)).toEqual(
      stored
        .filter((s) => s.entry.sessionId === "sid-7")
        .map((s) => s.key)
        .sort(),
    );
  });
});
