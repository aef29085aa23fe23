import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { TranscriptEntry } from "../../transcript-file.js";
import {
  type ConformanceFixture,
  expectSessionError,
  newSession,
  nextWrite,
  uniqueNamespace,
} from "./conformance-fixture.js";
import { registerTranscriptTurnChecks } from "./transcript-turn-checks.js";

function lines(from: number, count: number): TranscriptEntry[] {
  return Array.from({ length: count }, (_, i) => ({
    role: (from + i) % 2 === 0 ? "user" : "assistant",
    text: `line ${from + i}`,
    ts: 1_000 + from + i,
  }));
}

/** Transcript append, ranged read, replace, delete, length, and the row written in the same call. */
export function registerTranscriptChecks(fixture: ConformanceFixture): void {
  const { timeoutMs } = fixture;
  describe("transcripts", () => {
    it(
      "appends many entries in one call and over many calls, and reads them oldest first",
      async () => {
        const storage = fixture.storage();
        const sessionId = randomUUID();
        expect(await storage.readTranscript(sessionId)).toEqual([]);
        expect(await storage.transcriptLength(sessionId)).toBe(0);
        expect(await storage.appendTranscript(sessionId, lines(0, 120))).toBeUndefined();
        for (let i = 120; i < 130; i += 1) await storage.appendTranscript(sessionId, lines(i, 1));
        expect(await storage.readTranscript(sessionId)).toEqual(lines(0, 130));
        expect(await storage.transcriptLength(sessionId)).toBe(130);
        expect(await storage.readTranscript(randomUUID())).toEqual([]);
      },
      timeoutMs,
    );

    it(
      "reads the last N entries oldest first; N beyond the length reads all, 0 reads none",
      async () => {
        const storage = fixture.storage();
        const sessionId = randomUUID();
        await storage.appendTranscript(sessionId, lines(0, 30));
        expect(await storage.readTranscript(sessionId, { limit: 3 })).toEqual(lines(27, 3));
        expect(await storage.readTranscript(sessionId, { limit: 1 })).toEqual(lines(29, 1));
        expect(await storage.readTranscript(sessionId, { limit: 500 })).toEqual(lines(0, 30));
        expect(await storage.readTranscript(sessionId, { limit: 0 })).toEqual([]);
      },
      timeoutMs,
    );

    it(
      "keeps every field of an entry as written (usage, tool ids, nested values, unicode)",
      async () => {
        const storage = fixture.storage();
        const sessionId = randomUUID();
        const entry: TranscriptEntry = {
          role: "tool",
          text: 'résultat ✓ \u2028 line\nbreak "quoted" \\ back',
          ts: 1_700_000_000_123.5,
          toolCallId: "call_1",
          usage: { inputTokens: 12, outputTokens: 3 },
          content: [
            { type: "text", text: "x" },
            { type: "image", data: null },
          ],
        };
        await storage.appendTranscript(sessionId, [entry]);
        expect(await storage.readTranscript(sessionId)).toEqual([entry]);
      },
      timeoutMs,
    );

    it(
      "keeps transcripts apart by sessionId",
      async () => {
        const storage = fixture.storage();
        const a = randomUUID();
        const b = randomUUID();
        await storage.appendTranscript(a, lines(0, 2));
        await storage.appendTranscript(b, lines(10, 1));
        await storage.appendTranscript(a, lines(2, 1));
        expect(await storage.readTranscript(a)).toEqual(lines(0, 3));
        expect(await storage.readTranscript(b)).toEqual(lines(10, 1));
      },
      timeoutMs,
    );

    it(
      "replaces a whole transcript, and deletes one (length 0 after; a missing one deletes quietly)",
      async () => {
        const storage = fixture.storage();
        const sessionId = randomUUID();
        await storage.appendTranscript(sessionId, lines(0, 10));
        await storage.replaceTranscript(sessionId, lines(100, 2));
        expect(await storage.readTranscript(sessionId)).toEqual(lines(100, 2));
        await storage.appendTranscript(sessionId, lines(102, 1));
        expect(await storage.readTranscript(sessionId)).toEqual(lines(100, 3));
        await storage.replaceTranscript(sessionId, []);
        expect(await storage.transcriptLength(sessionId)).toBe(0);
        await storage.appendTranscript(sessionId, lines(0, 4));
        await storage.deleteTranscript(sessionId);
        expect(await storage.readTranscript(sessionId)).toEqual([]);
        expect(await storage.transcriptLength(sessionId)).toBe(0);
        await storage.deleteTranscript(randomUUID());
      },
      timeoutMs,
    );

    it(
      "appends with the session row in one call: both land, or on a conflicting row neither does",
      async () => {
        const storage = fixture.storage();
        const ns = uniqueNamespace();
        const write = newSession(ns.agentId, ns.key("main"), { messageCount: 1 });
        const { sessionId } = write.entry;
        const created = await storage.appendTranscript(sessionId, lines(0, 1), write);
        expect(created).toEqual({ key: write.key, agentId: ns.agentId, entry: write.entry, version: 1 });
        expect(await storage.getSession(write.key)).toEqual(created);
        if (!created) return;

        const second = await storage.appendTranscript(
          sessionId,
          lines(1, 1),
          nextWrite(created, { messageCount: 2 }),
        );
        expect(second?.version).toBe(2);
        expect(second?.entry.messageCount).toBe(2);

        await expectSessionError(
          storage.appendTranscript(sessionId, lines(2, 5), nextWrite(created, { messageCount: 99 })),
          "SESSION_CONFLICT",
        );
        await expectSessionError(
          storage.appendTranscript(randomUUID(), lines(0, 1), newSession(ns.agentId, ns.key("main"))),
          "SESSION_CONFLICT",
        );
        expect(await storage.readTranscript(sessionId)).toEqual(lines(0, 2));
        expect(await storage.getSession(write.key)).toEqual(second);
      },
      timeoutMs,
    );

    it(
      "replaces with the session row in one call: on a conflicting row the transcript stays as it was",
      async () => {
        const storage = fixture.storage();
        const ns = uniqueNamespace();
        const created = await storage.putSession(newSession(ns.agentId, ns.key("main")));
        const { sessionId } = created.entry;
        await storage.appendTranscript(sessionId, lines(0, 6));
        await expectSessionError(
          storage.replaceTranscript(sessionId, lines(50, 1), {
            ...nextWrite(created, {}),
            expectedVersion: 9,
          }),
          "SESSION_CONFLICT",
        );
        expect(await storage.readTranscript(sessionId)).toEqual(lines(0, 6));
        const replaced = await storage.replaceTranscript(
          sessionId,
          lines(4, 2),
          nextWrite(created, { compactionCount: 1 }),
        );
        expect(replaced).toMatchObject({ version: 2, entry: { compactionCount: 1 } });
        expect(await storage.readTranscript(sessionId)).toEqual(lines(4, 2));
      },
      timeoutMs,
    );
  });
  registerTranscriptTurnChecks(fixture);
}
