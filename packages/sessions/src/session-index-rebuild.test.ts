import { mkdtemp, readdir, readFile, rm, truncate, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFileSessionStore } from "./file-session-store.js";
import { inspectSessionIndexes, repairSessionIndexes } from "./session-index-repair.js";
import type { SessionStoreLogger } from "./session-store.js";

let stateDir: string;
const sessionsDir = () => join(stateDir, "agents", "main", "sessions");
const indexPath = () => join(sessionsDir(), "sessions.json");
const KEYS = ["agent:main:main", "agent:main:telegram:dm:42", "agent:main:ops-room", "agent:main:notes"];

function recordingLogger() {
  const events: Array<{ event: string; fields: Record<string, unknown> }> = [];
  const logger: SessionStoreLogger = { warn: (event, fields) => events.push({ event, fields }) };
  return { events, logger };
}

/** Four sessions with two messages each, closed so everything is on disk. */
async function seed(): Promise<Map<string, string>> {
  const store = await createFileSessionStore({ stateDir });
  for (const [i, key] of KEYS.entries()) {
    await store.appendTranscript(key, { role: "user", text: `hello ${i}`, ts: 1_000 + i });
    await store.appendTranscript(key, { role: "assistant", text: `answer ${i}`, ts: 2_000 + i });
  }
  const ids = new Map((await store.list()).rows.map((row) => [row.key, row.sessionId ?? ""]));
  await store.close();
  return ids;
}

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "openclaw-rebuild-"));
});

afterEach(async () => {
  await rm(stateDir, { recursive: true, force: true });
});

describe("rebuilding a damaged session index from the transcripts", () => {
  it("writes the session key into every transcript header", async () => {
    const ids = await seed();
    for (const key of KEYS) {
      const text = await readFile(join(sessionsDir(), `${ids.get(key)}.jsonl`), "utf8");
      expect(JSON.parse(text.split("\n")[0] ?? "")).toMatchObject({ type: "session", id: ids.get(key), key });
    }
  });

  it.each([
    ["truncated to 0 bytes", () => truncate(indexPath(), 0)],
    [
      "cut mid-entry",
      async () => truncate(indexPath(), Math.floor((await readFile(indexPath())).length / 2)),
    ],
    ["deleted", () => unlink(indexPath())],
    ["overwritten with garbage", () => writeFile(indexPath(), "\u0000\u0000not json")],
  ])("brings back every session when sessions.json is %s, and logs it", async (_what, damage) => {
    const ids = await seed();
    await damage();
    const { events, logger } = recordingLogger();

    const store = await createFileSessionStore({ stateDir, logger });
    const rows = (await store.list()).rows;

    expect(rows.map((row) => [row.key, row.sessionId]).sort()).toEqual([...ids].sort());
    expect(await store.readTranscript("agent:main:ops-room")).toMatchObject([
      { role: "user", text: "hello 2" },
      { role: "assistant", text: "answer 2" },
    ]);
    expect(rows.find((row) => row.key === "agent:main:notes")).toMatchObject({ messageCount: 2 });
    expect(events.find((e) => e.event === "sessions.index.rebuilt")?.fields).toMatchObject({
      sessions: KEYS.length,
      keysLost: 0,
    });
    await store.close();
    // Written back: the next start needs no rebuild.
    const { events: later, logger: quiet } = recordingLogger();
    const reopened = await createFileSessionStore({ stateDir, logger: quiet });
    expect(await reopened.count()).toBe(KEYS.length);
    expect(later).toEqual([]);
    await reopened.close();
  });

  it("recovers keys of transcripts written without one from the damaged index, and keeps the rest under a recovered key", async () => {
    const ids = await seed();
    // Old transcripts: headers without the key.
    for (const id of ids.values()) {
      const path = join(sessionsDir(), `${id}.jsonl`);
      const [header, ...rest] = (await readFile(path, "utf8")).split("\n");
      const { key: _key, ...old } = JSON.parse(header ?? "") as Record<string, unknown>;
      await writeFile(path, [JSON.stringify(old), ...rest].join("\n"));
    }
    // The index is cut right after the first entry's sessionId: the other three keys are gone from it.
    const text = await readFile(indexPath(), "utf8");
    const firstId = ids.get(KEYS[0] ?? "") ?? "";
    await writeFile(indexPath(), text.slice(0, text.indexOf(firstId) + firstId.length + 1));
    const { events, logger } = recordingLogger();

    const store = await createFileSessionStore({ stateDir, logger });
    const keys = (await store.list()).rows.map((row) => row.key);

    expect(keys).toContain(KEYS[0]);
    for (const key of KEYS.slice(1)) {
      expect(keys).toContain(`agent:main:recovered-${ids.get(key)}`);
    }
    expect(events.find((e) => e.event === "sessions.index.rebuilt")?.fields).toMatchObject({
      sessions: 4,
      keysFromIndexCopy: 1,
      keysLost: 3,
    });
    expect((await readdir(sessionsDir())).filter((name) => name.endsWith(".jsonl"))).toHaveLength(4);
    await store.close();
  });

  it("inspect finds a transcript the index does not name, and repair adds it back", async () => {
    const ids = await seed();
    const index = JSON.parse(await readFile(indexPath(), "utf8")) as Record<string, unknown>;
    delete index["agent:main:notes"];
    await writeFile(indexPath(), JSON.stringify(index));

    expect(await inspectSessionIndexes(stateDir)).toEqual([
      { agentId: "main", indexPath: indexPath(), state: "ok", sessions: 3, orphanTranscripts: 1 },
    ]);
    const repaired = await repairSessionIndexes(stateDir);

    expect(repaired).toEqual([
      {
        agentId: "main",
        adopted: [{ key: "agent:main:notes", sessionId: ids.get("agent:main:notes"), source: "header" }],
      },
    ]);
    expect(await inspectSessionIndexes(stateDir)).toMatchObject([
      { state: "ok", sessions: 4, orphanTranscripts: 0 },
    ]);
  });
});
