import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { StoredSessionEntry } from "../../session-entry.js";
import type { SessionRowQuery, SessionStorage } from "../storage-port.js";
import { type ConformanceFixture, keysOf, newSession, uniqueNamespace } from "./conformance-fixture.js";

type Namespace = ReturnType<typeof uniqueNamespace>;

/** Writes rows under one fresh agent: `rows` maps the key's rest to the entry's fields. */
async function seed(
  storage: SessionStorage,
  rows: Record<string, Partial<StoredSessionEntry>>,
  ns: Namespace = uniqueNamespace(),
): Promise<Namespace> {
  for (const [rest, fields] of Object.entries(rows)) {
    await storage.putSession(newSession(ns.agentId, ns.key(rest), fields));
  }
  return ns;
}

function query(ns: Namespace, q: Partial<SessionRowQuery> = {}): SessionRowQuery {
  return { agentId: ns.agentId, archived: false, excludeKinds: ["global", "unknown"], offset: 0, ...q };
}

/** listSessions (order, every filter, paging, total) and findSessions. */
export function registerSessionListChecks(fixture: ConformanceFixture): void {
  const { timeoutMs } = fixture;
  describe("listing and finding sessions", () => {
    it(
      "orders pinned active sessions first, then updatedAt descending, then key ascending",
      async () => {
        const storage = fixture.storage();
        const ns = await seed(storage, {
          old: { updatedAt: 1_000 },
          "tie-b": { updatedAt: 5_000 },
          "tie-a": { updatedAt: 5_000 },
          newest: { updatedAt: 9_000 },
          "pinned-old": { updatedAt: 500, pinnedAt: 400 },
          "pinned-new": { updatedAt: 600, pinnedAt: 400 },
          "pinned-archived": { updatedAt: 9_500, pinnedAt: 400, archivedAt: 450 },
        });
        const { sessions, total } = await storage.listSessions(query(ns, { archived: "all" }));
        expect(keysOf(sessions)).toEqual(
          ["pinned-new", "pinned-old", "pinned-archived", "newest", "tie-a", "tie-b", "old"].map(ns.key),
        );
        expect(total).toBe(7);
        expect(sessions[0]).toMatchObject({ agentId: ns.agentId, version: 1 });
      },
      timeoutMs,
    );

    it(
      "filters by agentId, label (trimmed, exact), search (key, label, displayName, sessionId, channel) and updatedSince",
      async () => {
        const storage = fixture.storage();
        const ns = await seed(storage, {
          a: { label: "Team", updatedAt: 3_000 },
          b: { label: "  Team ", updatedAt: 2_000 },
          c: { label: "Teammates", displayName: "Big CHAT Room", updatedAt: 1_000 },
          d: { channel: "Telegram", updatedAt: 4_000 },
          "x-findme": { updatedAt: 5_000 },
          e: { sessionId: "Sess-UPPER-1", updatedAt: 6_000 },
        });
        const other = await seed(storage, { a: { label: "Team" } });
        const keys = async (q: Partial<SessionRowQuery>) =>
          keysOf((await storage.listSessions(query(ns, q))).sessions);

        expect(await keys({})).toHaveLength(6);
        expect(keysOf((await storage.listSessions(query(other))).sessions)).toEqual([other.key("a")]);
        expect(await keys({ label: "Team" })).toEqual([ns.key("a"), ns.key("b")]);
        expect(await keys({ label: "Nobody" })).toEqual([]);
        expect(await keys({ search: "chat room" })).toEqual([ns.key("c")]);
        expect(await keys({ search: "team" })).toEqual([ns.key("a"), ns.key("b"), ns.key("c")]);
        expect(await keys({ search: "telegram" })).toEqual([ns.key("d")]);
        expect(await keys({ search: "findme" })).toEqual([ns.key("x-findme")]);
        expect(await keys({ search: "sess-upper" })).toEqual([ns.key("e")]);
        expect(await keys({ search: "100%_" })).toEqual([]);
        expect(await keys({ updatedSince: 4_000 })).toEqual([ns.key("e"), ns.key("x-findme"), ns.key("d")]);
        expect(await keys({ updatedSince: 4_000, search: "findme" })).toEqual([ns.key("x-findme")]);
      },
      timeoutMs,
    );

    it(
      "filters archived false / true / all and leaves out the kinds in excludeKinds",
      async () => {
        const storage = fixture.storage();
        const ns = await seed(storage, {
          live: { updatedAt: 3_000 },
          gone: { updatedAt: 2_000, archivedAt: 2_500 },
          global: { updatedAt: 1_000 },
          unknown: { updatedAt: 500 },
        });
        const keys = async (q: Partial<SessionRowQuery>) =>
          keysOf((await storage.listSessions(query(ns, q))).sessions);
        expect(await keys({})).toEqual([ns.key("live")]);
        expect(await keys({ archived: true })).toEqual([ns.key("gone")]);
        expect(await keys({ archived: "all" })).toEqual([ns.key("live"), ns.key("gone")]);
        expect(await keys({ excludeKinds: ["unknown"] })).toEqual([ns.key("live"), ns.key("global")]);
        expect(await keys({ excludeKinds: ["global"] })).toEqual([ns.key("live"), ns.key("unknown")]);
        expect(await keys({ excludeKinds: [], archived: "all" })).toEqual(
          ["live", "gone", "global", "unknown"].map(ns.key),
        );
      },
      timeoutMs,
    );

    it(
      "pages with limit and offset while total counts every match",
      async () => {
        const storage = fixture.storage();
        const rows: Record<string, Partial<StoredSessionEntry>> = {};
        for (let i = 0; i < 25; i += 1) rows[`s${String(i).padStart(2, "0")}`] = { updatedAt: 10_000 - i };
        const ns = await seed(storage, rows);
        const page = async (limit: number | undefined, offset: number) =>
          storage.listSessions(query(ns, { offset, ...(limit === undefined ? {} : { limit }) }));

        const first = await page(10, 0);
        expect(keysOf(first.sessions)).toEqual(Array.from({ length: 10 }, (_, i) => ns.key(`s0${i}`)));
        expect(first.total).toBe(25);
        const third = await page(10, 20);
        expect(keysOf(third.sessions)).toEqual([20, 21, 22, 23, 24].map((i) => ns.key(`s${i}`)));
        expect(third.total).toBe(25);
        expect(await page(10, 30)).toEqual({ sessions: [], total: 25 });
        expect(await page(0, 0)).toEqual({ sessions: [], total: 25 });
        expect((await page(undefined, 5)).sessions).toHaveLength(20);
        const filtered = await storage.listSessions(query(ns, { limit: 2, updatedSince: 9_990 }));
        expect(filtered.total).toBe(11);
        expect(keysOf(filtered.sessions)).toEqual([ns.key("s00"), ns.key("s01")]);
      },
      timeoutMs,
    );

    it(
      "finds sessions by sessionId or trimmed label, in key order, narrowed by agent and cut at limit",
      async () => {
        const storage = fixture.storage();
        const findMe = `find-${randomUUID()}`;
        const ns = await seed(storage, {
          c: { label: "shared" },
          a: { label: " shared " },
          b: { label: "shared" },
          d: { label: "other", sessionId: findMe },
        });
        const other = await seed(storage, { z: { label: "shared" } });
        const inNs = { agentId: ns.agentId, limit: 10 };

        expect(keysOf(await storage.findSessions({ label: "shared" }, inNs))).toEqual(
          ["a", "b", "c"].map(ns.key),
        );
        expect(keysOf(await storage.findSessions({ label: "shared" }, { ...inNs, limit: 2 }))).toEqual(
          ["a", "b"].map(ns.key),
        );
        expect(keysOf(await storage.findSessions({ sessionId: findMe }, inNs))).toEqual([ns.key("d")]);
        expect(
          await storage.findSessions({ sessionId: findMe }, { agentId: other.agentId, limit: 10 }),
        ).toEqual([]);
        const anywhere = keysOf(await storage.findSessions({ label: "shared" }, { limit: 10_000 }));
        expect(anywhere).toEqual(expect.arrayContaining([ns.key("a"), other.key("z")]));
        expect(anywhere).toEqual([...anywhere].sort());
        const [found] = await storage.findSessions({ sessionId: findMe }, inNs);
        expect(found).toEqual(await storage.getSession(ns.key("d")));
        expect(await storage.findSessions({ label: "nobody" }, inNs)).toEqual([]);
      },
      timeoutMs,
    );
  });
}
