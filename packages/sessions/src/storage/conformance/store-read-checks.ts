import { SessionRowSchema } from "@openclaw/protocol";
import { describe, expect, it } from "vitest";
import { type ConformanceFixture, expectSessionError, uniqueNamespace } from "./conformance-fixture.js";
import { type StoreUnderTest, storeOver } from "./store-checks-support.js";

async function seed({ store, key, clock }: StoreUnderTest, otherAgent: string): Promise<void> {
  await store.patch("main", { label: "Home" });
  clock.now += 1000;
  await store.patch(key("whatsapp:group:team@g.us"), { label: "Team" });
  clock.now += 1000;
  await store.patch(`agent:${otherAgent}:main`, { label: "Work" });
  clock.now += 1000;
  await store.patch(key("old"), { archived: true });
  await store.ensure(key("global"));
  await store.ensure(key("unknown"));
  clock.now += 1000;
  await store.patch(key("pinned"), { pinned: true });
  clock.now += 1000;
  await store.ensure(key("newest"), { displayName: "Newest Chat" });
}

/** createSessionStore over the storage: list, resolve, preview, count, close. */
export function registerStoreReadChecks(fixture: ConformanceFixture): void {
  const { timeoutMs } = fixture;
  describe("SessionStore over the storage: reads", () => {
    it(
      "lists pinned first, then newest, with every filter pushed to the storage",
      async () => {
        const under = storeOver(fixture.storage());
        const { store, key, clock, agentId } = under;
        const other = uniqueNamespace().agentId;
        await seed(under, other);
        const keys = async (o: Parameters<typeof store.list>[0]) =>
          (await store.list({ agentId, ...o })).rows.map((r) => r.key);

        expect(await keys({})).toEqual([
          key("pinned"),
          key("newest"),
          key("whatsapp:group:team@g.us"),
          key("main"),
        ]);
        expect(await keys({ includeGlobal: true, includeUnknown: true })).toHaveLength(6);
        expect(await keys({ includeGlobal: true })).toContain(key("global"));
        expect(await keys({ archived: true })).toEqual([key("old")]);
        expect(await keys({ archived: "all" })).toHaveLength(5);
        expect((await store.list({ agentId: other.toUpperCase() })).rows.map((r) => r.key)).toEqual([
          `agent:${other}:main`,
        ]);
        expect(await keys({ label: " Team " })).toEqual([key("whatsapp:group:team@g.us")]);
        expect(await keys({ search: "NEWEST chat" })).toEqual([key("newest")]);
        expect(await keys({ activeMinutes: 1 })).toHaveLength(4);
        clock.now += 10 * 60_000;
        expect(await keys({ activeMinutes: 5 })).toEqual([]);

        const page = await store.list({ agentId, limit: 2, offset: 1 });
        expect(page.total).toBe(4);
        expect(page.rows.map((r) => r.key)).toEqual([key("newest"), key("whatsapp:group:team@g.us")]);
        const all = await store.list({ agentId, archived: "all", includeGlobal: true, includeUnknown: true });
        for (const row of all.rows) expect(SessionRowSchema.safeParse(row).success).toBe(true);
        expect(all.rows.find((r) => r.key === key("global"))?.kind).toBe("global");
      },
      timeoutMs,
    );

    it(
      "resolves key before sessionId before label, reports ambiguity and what it searched",
      async () => {
        const { store, key, agentId } = storeOver(fixture.storage());
        const other = uniqueNamespace().agentId;
        const label = `dup-${agentId}`;
        await store.patch(key("a"), { label: `shared-${agentId}` });
        const b = await store.patch(key("b"), { label: `unique-${agentId}` });
        await store.patch(key("x"), { label });
        await store.patch(`agent:${other}:y`, { label });

        expect(await store.resolve({ key: key("a"), sessionId: b.sessionId })).toEqual({
          ok: true,
          key: key("a"),
          agentId,
          displayName: `shared-${agentId}`,
        });
        expect(await store.resolve({ sessionId: b.sessionId, label: "ignored" })).toMatchObject({
          key: key("b"),
        });
        expect(await store.resolve({ label: ` unique-${agentId} ` })).toMatchObject({ key: key("b") });
        const ambiguous = await expectSessionError(store.resolve({ label }), "SESSION_AMBIGUOUS");
        const candidates = [
          { key: key("x"), agentId, displayName: label },
          { key: `agent:${other}:y`, agentId: other, displayName: label },
        ].sort((a, b) => a.key.localeCompare(b.key));
        expect(ambiguous.details?.candidates).toEqual(candidates);
        expect(await store.resolve({ label, agentId: other })).toMatchObject({ key: `agent:${other}:y` });

        const missing = await expectSessionError(store.resolve({ key: key("nope") }), "SESSION_NOT_FOUND");
        expect(missing.details).toEqual({ searched: { key: key("nope"), agentId: undefined } });
        await expectSessionError(store.resolve({ sessionId: "no-such-session-id" }), "SESSION_NOT_FOUND");
        await expectSessionError(store.resolve({}), "INVALID_SESSION_QUERY");
        await expectSessionError(store.resolve({ key: key("a"), agentId: other }), "SESSION_NOT_FOUND");
        expect(await store.resolve({ key: "main", agentId: other, allowMissing: true })).toEqual({
          ok: true,
          key: `agent:${other}:main`,
          agentId: other,
        });
        expect(await store.resolve({ key: "@bob/x", allowMissing: true })).toEqual({
          ok: true,
          key: "@bob/x",
          agentId,
        });
      },
      timeoutMs,
    );

    it(
      "previews the newest entries of each key with ok, empty and missing statuses",
      async () => {
        const { store, key } = storeOver(fixture.storage());
        for (let i = 0; i < 5; i += 1) {
          await store.appendTranscript("main", {
            role: "user",
            text: `message ${i} ${"x".repeat(40)}`,
            ts: i,
          });
        }
        await store.ensure(key("quiet"));
        const previews = await store.preview(["main", key("quiet"), key("ghost"), "bad\u0000key"], {
          limit: 2,
          maxChars: 20,
        });
        expect(previews).toEqual([
          {
            key: "main",
            status: "ok",
            items: [
              { role: "user", text: "message 3 xxxxxxxxx…", ts: 3 },
              { role: "user", text: "message 4 xxxxxxxxx…", ts: 4 },
            ],
          },
          { key: key("quiet"), status: "empty", items: [] },
          { key: key("ghost"), status: "missing", items: [] },
          { key: "bad\u0000key", status: "missing", items: [] },
        ]);
      },
      timeoutMs,
    );

    it(
      "counts, waits for pending writes on close, then refuses work with STORE_CLOSED",
      async () => {
        const storage = fixture.storage();
        const { store, key } = storeOver(storage);
        const before = await store.count();
        const pending = Array.from({ length: 10 }, (_, i) =>
          store.appendTranscript(key(`c${i}`), { role: "user", text: "x", ts: i }),
        );
        await store.close();
        await Promise.all(pending);
        await expectSessionError(store.get("main"), "STORE_CLOSED");
        await expectSessionError(store.patch("main", { label: "x" }), "STORE_CLOSED");
        expect(await storage.countSessions()).toBe(before + 10);
        expect(await storage.getSession(key("c9"))).toBeDefined();
      },
      timeoutMs,
    );
  });
}
