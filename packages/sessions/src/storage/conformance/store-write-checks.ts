import { describe, expect, it } from "vitest";
import { type ConformanceFixture, expectSessionError, uniqueNamespace } from "./conformance-fixture.js";
import { storeOver } from "./store-checks-support.js";

/** createSessionStore over the storage: ensure, patch, reset, delete, compact, append, as the file store does them. */
export function registerStoreWriteChecks(fixture: ConformanceFixture): void {
  const { timeoutMs } = fixture;
  describe("SessionStore over the storage: writes", () => {
    it(
      "ensure creates once; patch sets and clears fields; archived, pinned and unread come from timestamps",
      async () => {
        const { store, key, clock } = storeOver(fixture.storage());
        const row = await store.ensure("main", { displayName: "Home chat" });
        expect(row).toMatchObject({
          key: key("main"),
          isMain: true,
          messageCount: 0,
          displayName: "Home chat",
        });
        expect(await store.ensure("main")).toEqual(row);
        const patched = await store.patch("main", {
          label: " Home ",
          model: "gpt-5",
          icon: "🏠",
          pinned: true,
        });
        expect(patched).toMatchObject({
          label: "Home",
          model: "gpt-5",
          icon: "🏠",
          pinned: true,
          sessionId: row.sessionId,
        });
        clock.now += 1000;
        const cleared = await store.patch("main", { label: null, model: null, archived: true, unread: true });
        expect(cleared.label).toBeUndefined();
        expect(cleared.model).toBeUndefined();
        expect(cleared).toMatchObject({
          archived: true,
          pinned: false,
          unread: true,
          icon: "🏠",
          updatedAt: clock.now,
        });
        expect(await store.get("main")).toEqual(cleared);
        await expectSessionError(store.patch("main", { label: "x".repeat(513) }), "INVALID_SESSION_PATCH");
        await expectSessionError(store.patch("bad\nkey", { label: "x" }), "INVALID_SESSION_KEY");
      },
      timeoutMs,
    );

    it(
      "fails with SESSION_CONFLICT when expectedSessionId does not match, and creates nothing",
      async () => {
        const { store, key } = storeOver(fixture.storage());
        const row = await store.ensure("main");
        const error = await expectSessionError(
          store.patch("main", { label: "x", expectedSessionId: "other" }),
          "SESSION_CONFLICT",
        );
        expect(error.details).toMatchObject({ expectedSessionId: "other", actualSessionId: row.sessionId });
        await expectSessionError(store.patch(key("nope"), { expectedSessionId: "x" }), "SESSION_CONFLICT");
        expect(await store.get(key("nope"))).toBeUndefined();
        await expectSessionError(store.delete("main", { expectedSessionId: "x" }), "SESSION_CONFLICT");
        expect(await store.patch("main", { label: "ok", expectedSessionId: row.sessionId })).toMatchObject({
          label: "ok",
        });
      },
      timeoutMs,
    );

    it(
      "keeps every field of concurrent patches, also from a second store over another instance (another process)",
      async () => {
        const first = storeOver(fixture.storage());
        const second = storeOver(await fixture.reopen(), first.agentId);
        const patches: Array<Promise<unknown>> = [];
        for (let i = 0; i < 40; i += 1) {
          const { store } = i % 2 === 0 ? first : second;
          patches.push(
            store.patch(first.key(`burst-${i % 4}`), { [i % 8 < 4 ? "label" : "category"]: `v${i}` }),
          );
        }
        const fields = ["icon", "color", "model", "thinkingLevel", "verboseLevel", "sendPolicy"] as const;
        fields.forEach((field, i) => {
          patches.push((i % 2 === 0 ? first : second).store.patch("main", { [field]: `${field}-set` }));
        });
        await Promise.all(patches);
        const main = await first.store.get("main");
        for (const field of fields) expect(main?.[field]).toBe(`${field}-set`);
        for (let k = 0; k < 4; k += 1) {
          const row = await second.store.get(first.key(`burst-${k}`));
          expect(row?.label).toMatch(/^v\d+$/);
          expect(row?.category).toMatch(/^v\d+$/);
        }
        await second.store.close();
      },
      timeoutMs,
    );

    it(
      "appends count messages, set the preview and add up usage on the row; reads come back in call order",
      async () => {
        const { store, agentId } = storeOver(fixture.storage());
        await store.appendTranscript("main", { role: "user", text: "hello there", ts: 10 });
        await store.appendTranscript("main", {
          role: "assistant",
          text: "hi",
          ts: 11,
          usage: { inputTokens: 7, outputTokens: 3 },
        });
        await store.appendTranscript("main", { role: "tool", text: "ran", ts: 12 });
        const row = (await store.list({ agentId, includeLastMessage: true })).rows[0];
        expect(row).toMatchObject({
          messageCount: 3,
          lastActiveAt: 12,
          lastMessagePreview: "hi",
          totalTokens: 10,
        });
        await expectSessionError(
          store.appendTranscript("main", { role: "robot", text: "x", ts: 1 } as never),
          "INVALID_TRANSCRIPT_ENTRY",
        );

        await Promise.all(
          Array.from({ length: 40 }, (_, i) =>
            store.appendTranscript("main", { role: "user", text: `m${i}`, ts: i }),
          ),
        );
        const texts = (await store.readTranscript("main")).map((e) => e.text);
        expect(texts.slice(3)).toEqual(Array.from({ length: 40 }, (_, i) => `m${i}`));
        expect((await store.get("main"))?.messageCount).toBe(43);
        expect((await store.readTranscript("main", { limit: 2 })).map((e) => e.text)).toEqual(["m38", "m39"]);
      },
      timeoutMs,
    );

    it(
      "keeps every append from two stores over two instances writing the same session",
      async () => {
        const first = storeOver(fixture.storage());
        const second = storeOver(await fixture.reopen(), first.agentId);
        await first.store.ensure("main");
        await Promise.all(
          Array.from({ length: 30 }, (_, i) =>
            (i % 2 === 0 ? first : second).store.appendTranscript("main", {
              role: "user",
              text: `x${i}`,
              ts: i,
            }),
          ),
        );
        const texts = (await first.store.readTranscript("main")).map((e) => e.text);
        expect([...texts].sort()).toEqual(Array.from({ length: 30 }, (_, i) => `x${i}`).sort());
        expect((await second.store.get("main"))?.messageCount).toBe(30);
        await second.store.close();
      },
      timeoutMs,
    );

    it(
      "reset keeps the settings and starts a new sessionId; the old transcript stays under its id",
      async () => {
        const storage = fixture.storage();
        const { store, clock } = storeOver(storage);
        await store.patch("main", { label: "Home", model: "m1" });
        await store.appendTranscript("main", { role: "user", text: "before", ts: 1 });
        const before = await store.get("main");
        clock.now += 60_000;
        const { row, previousSessionId } = await store.reset("main", { reason: "new" });
        expect(previousSessionId).toBe(before?.sessionId);
        expect(row.sessionId).not.toBe(before?.sessionId);
        expect(row).toMatchObject({ label: "Home", model: "m1", messageCount: 0, lastActiveAt: null });
        expect(row.createdAt).toBe(before?.createdAt);
        expect(await store.readTranscript("main")).toEqual([]);
        expect((await storage.readTranscript(previousSessionId ?? "")).map((e) => e.text)).toEqual([
          "before",
        ]);
        await store.appendTranscript("main", { role: "user", text: "after", ts: 2 });
        expect((await store.readTranscript("main")).map((e) => e.text)).toEqual(["after"]);
        const elsewhere = uniqueNamespace();
        const fresh = await store.reset(elsewhere.key("fresh"));
        expect(fresh.previousSessionId).toBeUndefined();
        expect(fresh.row.agentId).toBe(elsewhere.agentId);
      },
      timeoutMs,
    );

    it(
      "delete removes the row and, unless told not to, its transcript",
      async () => {
        const storage = fixture.storage();
        const { store, key } = storeOver(storage);
        await store.appendTranscript(key("gone"), { role: "user", text: "bye", ts: 1 });
        await store.appendTranscript(key("kept"), { role: "user", text: "stay", ts: 1 });
        const gone = await store.get(key("gone"));
        const kept = await store.get(key("kept"));
        expect(await store.delete(key("gone"), { expectedSessionId: gone?.sessionId })).toEqual({
          deleted: true,
          archived: [],
        });
        expect(await storage.transcriptLength(gone?.sessionId ?? "")).toBe(0);
        expect(await store.delete(key("kept"), { deleteTranscript: false })).toEqual({
          deleted: true,
          archived: [],
        });
        expect(await storage.transcriptLength(kept?.sessionId ?? "")).toBe(1);
        expect(await store.delete(key("gone"))).toEqual({ deleted: false, archived: [] });
        expect(await store.get(key("gone"))).toBeUndefined();
      },
      timeoutMs,
    );

    it(
      "compact keeps the last maxLines entries behind one summary and counts what is left",
      async () => {
        const { store, key } = storeOver(fixture.storage());
        for (let i = 0; i < 10; i += 1) {
          const ts = Date.UTC(2026, 0, 1, 0, i);
          await store.appendTranscript("main", { role: i % 2 ? "assistant" : "user", text: `m${i}`, ts });
        }
        expect(await store.compact("main", { maxLines: 20 })).toEqual({
          compacted: false,
          kept: 10,
          removed: 0,
        });
        expect(await store.compact("main", { maxLines: 4 })).toEqual({
          compacted: true,
          kept: 4,
          removed: 6,
        });
        const entries = await store.readTranscript("main");
        expect(entries.map((e) => e.text).slice(1)).toEqual(["m6", "m7", "m8", "m9"]);
        expect(entries[0]).toMatchObject({
          role: "summary",
          removed: 6,
          text: "Compacted: removed 6 earlier entries (3 user, 3 assistant) from 2026-01-01T00:00:00.000Z to 2026-01-01T00:05:00.000Z.",
        });
        expect((await store.get("main"))?.messageCount).toBe(4);
        await store.appendTranscript("main", { role: "user", text: "m10", ts: 11 });
        expect(await store.compact("main", { maxLines: 2 })).toEqual({
          compacted: true,
          kept: 2,
          removed: 4,
        });
        expect((await store.readTranscript("main"))[0]).toMatchObject({ removed: 9 });
        expect(await store.compact(key("ghost"))).toEqual({ compacted: false, kept: 0, removed: 0 });
        await expectSessionError(store.compact("main", { maxLines: 0 }), "INVALID_SESSION_QUERY");
      },
      timeoutMs,
    );
  });
}
