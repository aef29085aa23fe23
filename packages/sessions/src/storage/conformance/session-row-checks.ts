import { describe, expect, it } from "vitest";
import {
  type ConformanceFixture,
  expectSessionError,
  newSession,
  nextWrite,
  sessionEntry,
  uniqueNamespace,
} from "./conformance-fixture.js";

/** get / put / versions / conflicts / delete / count: one session row at a time. */
export function registerSessionRowChecks(fixture: ConformanceFixture): void {
  const { timeoutMs } = fixture;
  describe("session rows", () => {
    it(
      "puts a new row at version 1, reads it back, and every write adds one to the version",
      async () => {
        const storage = fixture.storage();
        const ns = uniqueNamespace();
        const key = ns.key("main");
        expect(await storage.getSession(key)).toBeUndefined();
        const write = newSession(ns.agentId, key, { label: "Home" });
        const created = await storage.putSession(write);
        expect(created).toEqual({ key, agentId: ns.agentId, entry: write.entry, version: 1 });
        expect(await storage.getSession(key)).toEqual(created);
        const updated = await storage.putSession(nextWrite(created, { label: "Away", updatedAt: 2_000 }));
        expect(updated.version).toBe(2);
        expect(await storage.getSession(key)).toEqual(updated);
        expect(updated.entry).toMatchObject({ label: "Away", updatedAt: 2_000 });
      },
      timeoutMs,
    );

    it(
      "fails with SESSION_CONFLICT on expectedVersion 0 for an existing row and on a wrong version, changing nothing",
      async () => {
        const storage = fixture.storage();
        const ns = uniqueNamespace();
        const key = ns.key("contested");
        const created = await storage.putSession(newSession(ns.agentId, key, { label: "first" }));
        await expectSessionError(
          storage.putSession(newSession(ns.agentId, key, { label: "again" })),
          "SESSION_CONFLICT",
        );
        await expectSessionError(
          storage.putSession({ ...nextWrite(created, { label: "stale" }), expectedVersion: 7 }),
          "SESSION_CONFLICT",
        );
        await expectSessionError(
          storage.putSession({ ...newSession(ns.agentId, ns.key("ghost")), expectedVersion: 1 }),
          "SESSION_CONFLICT",
        );
        expect(await storage.getSession(key)).toEqual(created);
        expect(await storage.getSession(ns.key("ghost"))).toBeUndefined();
      },
      timeoutMs,
    );

    it(
      "returns fields it does not index exactly as written (nested values, null, unicode)",
      async () => {
        const storage = fixture.storage();
        const ns = uniqueNamespace();
        const key = ns.key("whatsapp:group:team@g.us");
        const entry = sessionEntry({
          displayName: 'Équipe 🚀 \u2028 "quoted"',
          lastActiveAt: null,
          skillsSnapshot: {
            prompt: "x".repeat(5_000),
            skills: [{ name: "a", enabled: true }, { name: "b" }],
          },
          deliveryContext: { channel: "whatsapp", to: "+100", threadId: null },
          abortedLastRun: false,
          zero: 0,
          nested: [[1, 2.5, -3], { deep: { deeper: "yes" } }],
        });
        await storage.putSession({ key, agentId: ns.agentId, entry, expectedVersion: 0 });
        const read = await storage.getSession(key);
        expect(read?.entry).toEqual(entry);
        expect(Object.keys(read?.entry ?? {}).sort()).toEqual(Object.keys(entry).sort());
      },
      timeoutMs,
    );

    it(
      "hands out copies: changing a returned or written object does not change the stored row",
      async () => {
        const storage = fixture.storage();
        const ns = uniqueNamespace();
        const write = newSession(ns.agentId, ns.key("copy"), { label: "kept" });
        const created = await storage.putSession(write);
        write.entry.label = "mutated after put";
        created.entry.label = "mutated result";
        const read = await storage.getSession(ns.key("copy"));
        expect(read?.entry.label).toBe("kept");
        if (read) read.entry.label = "mutated read";
        expect((await storage.getSession(ns.key("copy")))?.entry.label).toBe("kept");
      },
      timeoutMs,
    );

    it(
      "deletes a row: false when missing, SESSION_CONFLICT on a wrong expectedVersion, transcript kept unless asked",
      async () => {
        const storage = fixture.storage();
        const ns = uniqueNamespace();
        expect(await storage.deleteSession(ns.key("none"))).toBe(false);
        const keep = await storage.putSession(newSession(ns.agentId, ns.key("keep")));
        const drop = await storage.putSession(newSession(ns.agentId, ns.key("drop")));
        const line = { role: "user" as const, text: "hello", ts: 1 };
        await storage.appendTranscript(keep.entry.sessionId, [line]);
        await storage.appendTranscript(drop.entry.sessionId, [line]);

        await expectSessionError(storage.deleteSession(keep.key, { expectedVersion: 5 }), "SESSION_CONFLICT");
        expect(await storage.getSession(keep.key)).toEqual(keep);

        expect(await storage.deleteSession(keep.key, { expectedVersion: keep.version })).toBe(true);
        expect(await storage.getSession(keep.key)).toBeUndefined();
        expect(await storage.readTranscript(keep.entry.sessionId)).toEqual([line]);

        expect(await storage.deleteSession(drop.key, { deleteTranscript: true })).toBe(true);
        expect(await storage.getSession(drop.key)).toBeUndefined();
        expect(await storage.readTranscript(drop.entry.sessionId)).toEqual([]);
        expect(await storage.transcriptLength(drop.entry.sessionId)).toBe(0);
        expect(await storage.deleteSession(drop.key)).toBe(false);

        const again = await storage.putSession(newSession(ns.agentId, keep.key));
        expect(again.version).toBe(1);
      },
      timeoutMs,
    );

    it(
      "counts sessions: one more per new row, one less per delete",
      async () => {
        const storage = fixture.storage();
        const ns = uniqueNamespace();
        const before = await storage.countSessions();
        for (const rest of ["a", "b", "c"]) await storage.putSession(newSession(ns.agentId, ns.key(rest)));
        expect(await storage.countSessions()).toBe(before + 3);
        await storage.deleteSession(ns.key("b"));
        expect(await storage.countSessions()).toBe(before + 2);
        const a = await storage.getSession(ns.key("a"));
        if (a) await storage.putSession(nextWrite(a, { label: "no new row" }));
        expect(await storage.countSessions()).toBe(before + 2);
      },
      timeoutMs,
    );
  });
}
