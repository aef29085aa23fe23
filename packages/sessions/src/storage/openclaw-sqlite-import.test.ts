import { readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { zstdCompressSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { importLegacySessionFiles } from "./legacy-import.js";
import { createMemoryStorage } from "./memory-storage.js";
import { exportOpenClawLayout } from "./openclaw-export.js";
import { importOpenClawSqliteSessions } from "./openclaw-sqlite-import.js";
import {
  hasOpenClawSqliteState,
  openOpenClawSqliteSnapshot,
  transcriptEventJson,
} from "./openclaw-sqlite-snapshot.js";
import { hashTree, unpackOpenClawStateFixture } from "./openclaw-state-fixture.test-support.js";
import { importOpenClawSessions } from "./openclaw-state-import.js";
import { createSessionStore } from "./session-store-over-port.js";

let stateDir: string;

beforeEach(async () => {
  stateDir = await unpackOpenClawStateFixture();
});

afterEach(async () => {
  await rm(dirname(stateDir), { recursive: true, force: true });
});

async function importFixture(storage = createMemoryStorage()) {
  const snapshot = await openOpenClawSqliteSnapshot(stateDir);
  if (!snapshot) throw new Error("the fixture has no OpenClaw databases");
  try {
    return { storage, result: await importOpenClawSqliteSessions({ snapshot, storage }) };
  } finally {
    await snapshot.close();
  }
}

describe("importOpenClawSqliteSessions (OpenClaw 2026.9.6's real state)", () => {
  it("imports both sessions with their transcripts, tool calls as our tool entries, and leaves every file as it was", async () => {
    const before = await hashTree(stateDir);
    expect(await hasOpenClawSqliteState(stateDir)).toBe(true);
    const { storage, result } = await importFixture();
    expect(result).toMatchObject({ imported: true, sessions: 2, transcripts: 2, skipped: [] });
    expect(await hashTree(stateDir)).toEqual(before);

    const store = createSessionStore(storage);
    const keys = (await store.list({ archived: "all" })).rows.map((row) => row.key).sort();
    expect(keys).toEqual(["agent:main:main", "agent:main:telegram:direct:12345"]);

    const main = await store.readTranscript("agent:main:main");
    expect(main.map((entry) => entry.role)).toEqual([
      "user",
      "assistant",
      "user",
      "tool",
      "tool",
      "assistant",
      "user",
      "tool",
      "tool",
      "assistant",
    ]);
    expect(main[0]).toMatchObject({ role: "user", text: "Hello, what can you do?" });
    expect(main[3]).toMatchObject({
      toolCallId: "call_1",
      toolName: "write",
      args: { path: "notes/hello.txt", content: "written by a tool call" },
    });
    expect(main[4]).toMatchObject({
      toolCallId: "call_1",
      toolName: "write",
      result: "Successfully wrote 22 bytes to notes/hello.txt",
    });
    expect(main[8]).toMatchObject({
      toolCallId: "call_2",
      toolName: "read",
      result: "written by a tool call",
    });
    expect(main[1]).toMatchObject({ model: "fake/m1", usage: { inputTokens: 5, outputTokens: 3 } });

    const telegram = await store.get("agent:main:telegram:direct:12345");
    expect(telegram).toMatchObject({ sessionId: "3c6111ce-d79d-4484-aeda-54ea74719dca", messageCount: 2 });
    expect((await store.readTranscript("agent:main:telegram:direct:12345"))[0]).toMatchObject({
      role: "user",
      text: "A message in another session",
    });
  });

  it("runs once: a second import reads nothing and changes nothing", async () => {
    const { storage } = await importFixture();
    const first = await storage.readTranscript("796ab20b-948a-4e61-8417-66cb391cceb6");
    const again = await importFixture(storage);
    expect(again.result).toMatchObject({ imported: false, sessions: 0, entries: 0 });
    expect(await storage.countSessions()).toBe(2);
    expect(await storage.readTranscript("796ab20b-948a-4e61-8417-66cb391cceb6")).toEqual(first);
  });

  it("exports the imported sessions in OpenClaw's line format and reads that export back entry for entry", async () => {
    const { storage } = await importFixture();
    const out = `${stateDir}-export`;
    try {
      await exportOpenClawLayout({ storage, dir: out });
      const copy = createMemoryStorage();
      const reread = await importLegacySessionFiles({ stateDir: out, storage: copy });
      expect(reread).toMatchObject({ sessions: 2, skipped: [] });
      for (const sessionId of [
        "796ab20b-948a-4e61-8417-66cb391cceb6",
        "3c6111ce-d79d-4484-aeda-54ea74719dca",
      ]) {
        const original = await storage.readTranscript(sessionId);
        const roundTrip = await copy.readTranscript(sessionId);
        expect(roundTrip.map(({ openclaw: _line, ...rest }) => rest)).toEqual(
          original.map(({ openclaw: _line, ...rest }) => rest),
        );
      }
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it("finds nothing in a state directory without OpenClaw's databases", async () => {
    const empty = dirname(stateDir);
    await rm(stateDir, { recursive: true, force: true });
    expect(await hasOpenClawSqliteState(empty)).toBe(false);
    expect(await openOpenClawSqliteSnapshot(empty)).toBeUndefined();
  });

  it("importOpenClawSessions copies the databases only until the import is done: a later start reads no database", async () => {
    const storage = createMemoryStorage();
    const first = await importOpenClawSessions({ stateDir, storage });
    expect(first.sqlite).toMatchObject({ imported: true, sessions: 2 });
    // Were the database opened again, this would fail: the marker alone answers.
    await writeFile(join(stateDir, "agents", "main", "agent", "openclaw-agent.sqlite"), "not a database");
    const second = await importOpenClawSessions({ stateDir, storage });
    expect(second.sqlite).toBeUndefined();
    expect(await storage.countSessions()).toBe(2);
  });

  it("reads an event OpenClaw stored compressed (event_zstd) as well as a plain one", () => {
    const event = JSON.stringify({ type: "message", message: { role: "user", content: "big" } });
    expect(transcriptEventJson({ event_json: event, event_zstd: null })).toBe(event);
    expect(transcriptEventJson({ event_json: null, event_zstd: zstdCompressSync(Buffer.from(event)) })).toBe(
      event,
    );
    expect(transcriptEventJson({ event_json: null, event_zstd: null })).toBeUndefined();
  });

  it("an unreadable OpenClaw database is reported, not fatal, and imported on a later start once readable", async () => {
    const storage = createMemoryStorage();
    const agentDb = join(stateDir, "agents", "main", "agent", "openclaw-agent.sqlite");
    const good = await readFile(agentDb);
    await writeFile(agentDb, "not a database");
    const broken = await importOpenClawSessions({ stateDir, storage });
    expect(broken.sqlite).toBeUndefined();
    expect(broken.sqliteError).toMatch(/not a database|file is not a database/i);
    expect(await storage.countSessions()).toBe(0);

    await writeFile(agentDb, good);
    const fixed = await importOpenClawSessions({ stateDir, storage });
    expect(fixed.sqlite).toMatchObject({ imported: true, sessions: 2 });
  });
});
