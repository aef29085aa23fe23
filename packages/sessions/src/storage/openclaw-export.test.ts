import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFileSessionStore } from "../file-session-store.js";
import type { SessionListOptions } from "../session-store.js";
import { importLegacySessionFiles } from "./legacy-import.js";
import { createMemoryStorage } from "./memory-storage.js";
import { exportOpenClawLayout } from "./openclaw-export.js";
import { createSessionStore } from "./session-store-over-port.js";

let dir: string;
let clock: number;
const now = () => clock;
const everything: SessionListOptions = {
  archived: "all",
  includeGlobal: true,
  includeUnknown: true,
  includeLastMessage: true,
};

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "openclaw-export-"));
  clock = Date.UTC(2026, 0, 2, 3, 4, 5);
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function seededStorage() {
  const storage = createMemoryStorage();
  const store = createSessionStore(storage, { clock: now });
  await store.patch("main", { label: "Home", pinned: true });
  for (let i = 0; i < 5; i += 1) {
    clock += 1000;
    await store.appendTranscript("main", {
      role: i % 2 ? "assistant" : "user",
      text: `m${i} ✓`,
      ts: i,
      extra: { i },
    });
  }
  await store.appendTranscript("agent:work:slack:channel:c1", { role: "user", text: "standup", ts: 9 });
  await store.patch("agent:work:slack:channel:c1", { archived: true });
  await store.ensure("global");
  await store.appendTranscript("agent:main:reset-me", { role: "user", text: "before reset", ts: 1 });
  await store.reset("agent:main:reset-me");
  await store.ensure("@alice/pi-main", { displayName: "Pi" });
  return { storage, store };
}

describe("exportOpenClawLayout", () => {
  it("writes sessions.json and transcripts that the file store reads back as the same sessions", async () => {
    const { storage, store } = await seededStorage();
    const result = await exportOpenClawLayout({ storage, dir, pageSize: 2 });
    expect(result).toEqual({ agents: 2, sessions: 5, transcripts: 5, entries: 6, skipped: [] });

    const files = await createFileSessionStore({ stateDir: dir, now });
    const fromFiles = await files.list(everything);
    expect(fromFiles).toEqual(await store.list(everything));
    for (const row of fromFiles.rows) {
      expect(await files.readTranscript(row.key)).toEqual(await store.readTranscript(row.key));
    }
    expect((await files.readTranscript("main"))[0]).toMatchObject({ text: "m0 ✓", extra: { i: 0 } });
    await files.close();

    const names = await readdir(join(dir, "agents", "main", "sessions"));
    expect(names.filter((name) => name.endsWith(".tmp"))).toEqual([]);
    const mainRow = await store.get("main");
    const firstLine = (
      await readFile(join(dir, "agents", "main", "sessions", `${mainRow?.sessionId}.jsonl`), "utf8")
    ).split("\n")[0];
    expect(JSON.parse(firstLine ?? "")).toMatchObject({
      type: "session",
      id: mainRow?.sessionId,
      key: "agent:main:main",
    });
  });

  it("round-trips through the import into a new storage, and a second export replaces the files", async () => {
    const { storage, store } = await seededStorage();
    await exportOpenClawLayout({ storage, dir });
    await store.patch("main", { label: "Renamed" });
    await exportOpenClawLayout({ storage, dir });

    const copy = createMemoryStorage();
    const imported = await importLegacySessionFiles({ stateDir: dir, storage: copy });
    expect(imported).toMatchObject({ sessions: 5, transcripts: 5, entries: 6, skipped: [] });
    const reopened = createSessionStore(copy, { clock: now });
    expect(await reopened.list(everything)).toEqual(await store.list(everything));
    expect((await reopened.get("main"))?.label).toBe("Renamed");
    expect(await reopened.readTranscript("main")).toEqual(await store.readTranscript("main"));
  });

  it("writes an empty export for an empty storage", async () => {
    expect(await exportOpenClawLayout({ storage: createMemoryStorage(), dir })).toEqual({
      agents: 0,
      sessions: 0,
      transcripts: 0,
      entries: 0,
      skipped: [],
    });
    expect(await readdir(dir)).toEqual([]);
  });
});
