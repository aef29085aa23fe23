import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { SessionStorage } from "../storage-port.js";
import {
  type ConformanceFixture,
  expectSessionError,
  newSession,
  nextWrite,
  uniqueNamespace,
} from "./conformance-fixture.js";

/** Close and reopen, calls after close, and concurrent writers. */
export function registerLifecycleChecks(fixture: ConformanceFixture): void {
  const { timeoutMs } = fixture;
  describe("lifecycle", () => {
    it(
      "names its driver and location",
      () => {
        const storage = fixture.storage();
        expect(typeof storage.driver === "string" && storage.driver.length > 0).toBe(true);
        expect(typeof storage.location === "string" && storage.location.length > 0).toBe(true);
      },
      timeoutMs,
    );

    it(
      "keeps sessions, transcripts and tables across close and reopen",
      async () => {
        const ns = uniqueNamespace();
        const first = await fixture.reopen();
        const session = await first.putSession(newSession(ns.agentId, ns.key("main"), { label: "durable" }));
        await first.appendTranscript(session.entry.sessionId, [{ role: "user", text: "remember me", ts: 1 }]);
        const record = await first.table(ns.table).put("k", { v: 1 });
        await first.close();

        const second = await fixture.reopen();
        expect(await second.getSession(session.key)).toEqual(session);
        expect(await second.readTranscript(session.entry.sessionId)).toEqual([
          { role: "user", text: "remember me", ts: 1 },
        ]);
        expect(await second.table(ns.table).get("k")).toEqual(record);
        expect((await second.putSession(nextWrite(session, { label: "again" }))).version).toBe(2);
        await second.close();
        expect((await fixture.storage().getSession(session.key))?.version).toBe(2);
      },
      timeoutMs,
    );

    it(
      "fails every call after close with SessionError STORE_CLOSED; close twice is fine",
      async () => {
        const ns = uniqueNamespace();
        const storage = await fixture.reopen();
        const table = storage.table(ns.table);
        await storage.close();
        await storage.close();
        const sessionId = randomUUID();
        const calls: Array<[string, (s: SessionStorage) => Promise<unknown>]> = [
          ["getSession", (s) => s.getSession(ns.key("main"))],
          ["putSession", (s) => s.putSession(newSession(ns.agentId, ns.key("main")))],
          ["deleteSession", (s) => s.deleteSession(ns.key("main"))],
          ["listSessions", (s) => s.listSessions({ archived: false, excludeKinds: [], offset: 0 })],
          ["findSessions", (s) => s.findSessions({ sessionId }, { limit: 1 })],
          ["countSessions", (s) => s.countSessions()],
          ["appendTranscript", (s) => s.appendTranscript(sessionId, [{ role: "user", text: "x", ts: 1 }])],
          ["readTranscript", (s) => s.readTranscript(sessionId)],
          ["replaceTranscript", (s) => s.replaceTranscript(sessionId, [])],
          ["deleteTranscript", (s) => s.deleteTranscript(sessionId)],
          ["transcriptLength", (s) => s.transcriptLength(sessionId)],
          ["table.get", () => table.get("k")],
          ["table.put", () => table.put("k", 1)],
          ["table.list", () => table.list()],
        ];
        for (const [, call] of calls) {
          await expectSessionError((async () => call(storage))(), "STORE_CLOSED");
        }
      },
      timeoutMs,
    );
  });

  describe("concurrency", () => {
    it(
      "keeps all of 50 parallel appends to one transcript, and each caller's appends in its order",
      async () => {
        const storage = fixture.storage();
        const sessionId = randomUUID();
        const resolved: string[] = [];
        const chain = async (writer: number) => {
          for (let i = 0; i < 10; i += 1) {
            const text = `w${writer}-${i}`;
            await storage.appendTranscript(sessionId, [{ role: "user", text, ts: i }]);
            resolved.push(text);
          }
        };
        await Promise.all([0, 1, 2, 3, 4].map(chain));
        const texts = (await storage.readTranscript(sessionId)).map((entry) => entry.text);
        expect(texts).toHaveLength(50);
        expect(new Set(texts)).toEqual(new Set(resolved));
        for (let writer = 0; writer < 5; writer += 1) {
          const mine = texts.filter((text) => text.startsWith(`w${writer}-`));
          expect(mine).toEqual(Array.from({ length: 10 }, (_, i) => `w${writer}-${i}`));
        }
        expect(await storage.transcriptLength(sessionId)).toBe(50);

        const burst = randomUUID();
        const parallel = Array.from({ length: 50 }, (_, i) =>
          storage.appendTranscript(burst, [{ role: "assistant", text: `p${i}`, ts: i }]),
        );
        await Promise.all(parallel);
        const burstTexts = (await storage.readTranscript(burst)).map((entry) => entry.text);
        expect([...burstTexts].sort()).toEqual(Array.from({ length: 50 }, (_, i) => `p${i}`).sort());
      },
      timeoutMs,
    );

    it(
      "lets exactly one of many parallel optimistic writers win, on a session, an append and a table",
      async () => {
        const storage = fixture.storage();
        const ns = uniqueNamespace();
        const created = await storage.putSession(newSession(ns.agentId, ns.key("main")));
        const writers = Array.from({ length: 12 }, (_, i) =>
          storage.putSession(nextWrite(created, { label: `w${i}` })),
        );
        const outcomes = await Promise.allSettled(writers);
        const winners = outcomes.flatMap((o) => (o.status === "fulfilled" ? [o.value] : []));
        expect(winners).toHaveLength(1);
        for (const o of outcomes) {
          if (o.status === "rejected") expect((o.reason as { code?: string }).code).toBe("SESSION_CONFLICT");
        }
        const after = await storage.getSession(created.key);
        expect(after).toEqual(winners[0]);
        expect(after?.version).toBe(2);

        const sessionId = after?.entry.sessionId ?? "";
        const appends = await Promise.allSettled(
          Array.from({ length: 8 }, (_, i) =>
            after
              ? storage.appendTranscript(
                  sessionId,
                  [{ role: "user", text: `a${i}`, ts: i }],
                  nextWrite(after, {}),
                )
              : Promise.reject(new Error("no session")),
          ),
        );
        expect(appends.filter((o) => o.status === "fulfilled")).toHaveLength(1);
        expect(await storage.transcriptLength(sessionId)).toBe(1);

        const table = storage.table<number>(ns.table);
        const creators = await Promise.allSettled(
          Array.from({ length: 8 }, (_, i) => table.put("lock", i, 0)),
        );
        expect(creators.filter((o) => o.status === "fulfilled")).toHaveLength(1);
        expect((await table.get("lock"))?.version).toBe(1);
      },
      timeoutMs,
    );
  });
}
