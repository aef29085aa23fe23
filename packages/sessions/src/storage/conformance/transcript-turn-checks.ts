import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { TranscriptEntry } from "../../transcript-file.js";
import { selectTurnEntries } from "../transcript-turn.js";
import type { ConformanceFixture } from "./conformance-fixture.js";

let ts = 1_000;
function entry(role: TranscriptEntry["role"], runId?: string, idempotencyKey?: string): TranscriptEntry {
  ts += 1;
  return {
    role,
    text: `${role} ${runId ?? "-"} ${idempotencyKey ?? "-"}`,
    ts,
    ...(runId === undefined ? {} : { runId }),
    ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
  };
}

/** A transcript with two sends of one key, resumed runs, look-alike run ids and keys with SQL wildcards. */
function turnsTranscript(): TranscriptEntry[] {
  return [
    entry("user", "r1", "k1"),
    entry("tool", "r1"),
    entry("user", "r2", "k2"),
    entry("assistant", "r1"),
    entry("assistant", "r2"),
    entry("user", undefined, "k1"),
    entry("assistant", "r1:resume-1"),
    entry("assistant", "r10"),
    entry("assistant", "r1x:resume-1"),
    { ...entry("tool", "r1:resume-2"), text: "\u0000 \u001b[0m \ud800 bytes a tool printed" },
    entry("user", "run_%1", "50%_off ✓"),
    entry("assistant", "runX%1"),
    entry("assistant", "run_%1:resume-1"),
    entry("assistant", "r1:resume-2"),
    entry("tool", "r4", "k4"),
    entry("summary"),
    entry("user", "r3", "k1"),
    entry("assistant", "r3"),
  ];
}

/** `readTranscript(sessionId, { turnOf })`: what a keyed retry needs, agreeing with a full read and a filter. */
export function registerTranscriptTurnChecks(fixture: ConformanceFixture): void {
  const { timeoutMs } = fixture;
  describe("transcript turn of an idempotency key", () => {
    it(
      "reads the user entries of the key and every entry of their runs and resumes, oldest first",
      async () => {
        const storage = fixture.storage();
        const sessionId = randomUUID();
        const transcript = turnsTranscript();
        await storage.appendTranscript(sessionId, transcript.slice(0, 7));
        await storage.appendTranscript(sessionId, transcript.slice(7));
        await storage.appendTranscript(randomUUID(), [entry("user", "r9", "k1"), entry("assistant", "r9")]);
        const runsOf = (key: string) =>
          storage.readTranscript(sessionId, { turnOf: key }).then((entries) => entries.map((e) => e.runId));
        expect(await runsOf("k1")).toEqual([
          "r1",
          "r1",
          "r1",
          "r1:resume-1",
          "r1:resume-2",
          "r1:resume-2",
          "r3",
          "r3",
        ]);
        expect(await runsOf("50%_off ✓")).toEqual(["run_%1", "run_%1:resume-1"]);
        expect(await runsOf("k2")).toEqual(["r2", "r2"]);
        const full = await storage.readTranscript(sessionId);
        for (const key of ["k1", "k2", "50%_off ✓", "k4", "k", "missing", ""]) {
          expect(await storage.readTranscript(sessionId, { turnOf: key })).toEqual(
            selectTurnEntries(full, key),
          );
        }
      },
      timeoutMs,
    );

    it(
      "reads nothing for a key no user entry carries, nor from a missing or replaced transcript",
      async () => {
        const storage = fixture.storage();
        const sessionId = randomUUID();
        expect(await storage.readTranscript(sessionId, { turnOf: "k1" })).toEqual([]);
        await storage.appendTranscript(sessionId, turnsTranscript());
        expect(await storage.readTranscript(sessionId, { turnOf: "k4" })).toEqual([]);
        expect(await storage.readTranscript(sessionId, { turnOf: "nowhere" })).toEqual([]);
        const kept = [entry("user", "r5", "k5"), entry("assistant", "r5")];
        await storage.replaceTranscript(sessionId, kept);
        expect(await storage.readTranscript(sessionId, { turnOf: "k1" })).toEqual([]);
        expect(await storage.readTranscript(sessionId, { turnOf: "k5" })).toEqual(kept);
      },
      timeoutMs,
    );
  });
}
