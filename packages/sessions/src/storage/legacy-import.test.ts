import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFileSessionStore } from "../file-session-store.js";
import { importLegacySessionFiles, LEGACY_IMPORT_KEY, LEGACY_IMPORT_TABLE } from "./legacy-import.js";
import { createMemoryStorage, createMemoryStorageData } from "./memory-storage.js";
import { createSessionStore } from "./session-store-over-port.js";
import type { SessionStorage } from "./storage-port.js";

let stateDir: string;
let clock: number;
const now = () => clock;
const sessionsDir = (agentId: string) => join(stateDir, "agents", agentId, "sessions");

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "openclaw-legacy-import-"));
  clock = Date.UTC(2026, 0, 2, 3, 4, 5);
});

afterEach(async () => {
  await rm(stateDir, { recursive: true, force: true });
});

/** Every file under the state dir with a hash of its bytes: the import must leave this exactly as it was. */
async function snapshot(): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of await readdir(stateDir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files[relative(stateDir, path)] = createHash("sha256")
      .update(await readFile(path))
      .digest("hex");
  }
  return files;
}

/** Our own layout, written by the file store itself: two sessions, one of them reset once. */
async function seedFileStore(): Promise<void> {
  const store = await createFileSessionStore({ stateDir, now });
  await store.patch("main", { label: "Home", model: "m1", pinned: true });
  await store.appendTranscript("main", { role: "user", text: "hello", ts: 1 });
  await store.appendTranscript("main", {
    role: "assistant",
    text: "hi",
    ts: 2,
    usage: { inputTokens: 5, outputTokens: 2 },
  });
  clock += 1000;
  await store.appendTranscript("agent:main:telegram:direct:42", { role: "user", text: "old", ts: 3 });
  await store.reset("agent:main:telegram:direct:42");
  await store.appendTranscript("agent:main:telegram:direct:42", { role: "user", text: "new", ts: 4 });
  await store.patch("agent:main:archived", { archived: true });
  await store.close();
}

/** OpenClaw's own shapes: a pretty-printed index with fields we do not know, and message-typed transcript lines. */
async function seedOpenClawAgent(): Promise<void> {
  const dir = sessionsDir("ops");
  await mkdir(dir, { recursive: true });
  const index = {
    "agent:ops:main": {
      sessionId: "oc-1",
      updatedAt: 1_700_000_000_000,
      sessionFile: join(dir, "oc-1.jsonl"),
      chatType: "direct",
      thinkingLevel: "high",
      skillsSnapshot: { prompt: "skills", skills: [{ name: "web" }] },
    },
    "Agent:OPS:Cron:Nightly": { sessionId: "oc-2", updatedAt: 1_700_000_100_000 },
    "agent:ops:broken": { updatedAt: "yesterday" },
  };
  await writeFile(join(dir, "sessions.json"), JSON.stringify(index, null, 2));
  const lines = [
    { type: "session", version: 3, id: "oc-1", timestamp: "2023-11-14T22:13:20.000Z", cwd: "/work" },
    {
      type: "message",
      id: "a1",
      parentId: null,
      timestamp: "2023-11-14T22:13:21.000Z",
      message: {
        role: "user",
        content: [{ type: "text", text: "what is up" }],
        timestamp: 1_700_000_001_000,
      },
    },
    { type: "model_change", id: "a2", provider: "openai", modelId: "gpt-5" },
    {
      type: "message",
      id: "a3",
      parentId: "a1",
      timestamp: "2023-11-14T22:13:22.000Z",
      message: {
        role: "assistant",
        content: [
          { type: "thinking", thinking: "hmm" },
          { type: "text", text: "not much" },
          { type: "toolCall", id: "t1", name: "read", arguments: {} },
        ],
        usage: { input: 10, output: 4 },
      },
    },
    {
      type: "message",
      id: "a4",
      parentId: "a3",
      timestamp: "2023-11-14T22:13:23.000Z",
      message: { role: "toolResult", toolCallId: "t1", content: "file body" },
    },
    { type: "compaction", id: "a5", summary: "earlier talk", timestamp: "2023-11-14T22:13:24.000Z" },
  ];
  const text = lines.map((line) => JSON.stringify(line)).join("\n");
  await writeFile(join(dir, "oc-1.jsonl"), `${text}\n{"type":"message","id":"torn`);
  // An earlier sessionId of some session (OpenClaw leaves these after a daily reset): history, not a session.
  await writeFile(
    join(dir, "oc-old.jsonl"),
    `${JSON.stringify({ type: "session", id: "oc-old" })}\n${JSON.stringify({ role: "user", text: "long ago", ts: 5 })}\n`,
  );
}

describe("importLegacySessionFiles", () => {
  it("imports every session and transcript, leaves the files untouched, and runs only once", async () => {
    await seedFileStore();
    await seedOpenClawAgent();
    const before = await snapshot();
    const storage = createMemoryStorage();
    const logged: string[] = [];
    const logger = {
      info: (event: string) => logged.push(event),
      warn: (event: string) => logged.push(event),
    };

    const result = await importLegacySessionFiles({ stateDir, storage, logger, now });
    expect(result).toMatchObject({
      imported: true,
      sessions: 5,
      transcripts: 4,
      entries: 9,
      ignoredLines: 2,
    });
    expect(result.skipped).toEqual([
      {
        path: join(sessionsDir("ops"), "sessions.json"),
        reason: expect.stringContaining('"agent:ops:broken"'),
      },
    ]);
    expect(logged).toContain("sessions.legacy_import.done");
    expect(await snapshot()).toEqual(before);

    const files = await createFileSessionStore({ stateDir, now, logger: { warn() {} } });
    const ported = createSessionStore(storage, { clock: now });
    const everything = { archived: "all", includeLastMessage: true } as const;
    expect((await ported.list({ ...everything, agentId: "main" })).rows).toEqual(
      (await files.list({ ...everything, agentId: "main" })).rows,
    );
    for (const key of ["main", "agent:main:telegram:direct:42"]) {
      expect(await ported.readTranscript(key)).toEqual(await files.readTranscript(key));
    }
    await files.close();

    const ops = await ported.get("agent:ops:main");
    expect(ops).toMatchObject({ sessionId: "oc-1", thinkingLevel: "high", messageCount: 4, agentId: "ops" });
    expect((await storage.getSession("agent:ops:main"))?.entry).toMatchObject({
      skillsSnapshot: { prompt: "skills", skills: [{ name: "web" }] },
      lastMessagePreview: "not much",
    });
    const transcript = await ported.readTranscript("agent:ops:main");
    expect(transcript.map(({ role, text, ts }) => ({ role, text, ts }))).toEqual([
      { role: "user", text: "what is up", ts: 1_700_000_001_000 },
      { role: "assistant", text: "not much", ts: Date.parse("2023-11-14T22:13:22.000Z") },
      { role: "tool", text: "call read", ts: Date.parse("2023-11-14T22:13:22.000Z") },
      { role: "tool", text: "result tool", ts: Date.parse("2023-11-14T22:13:23.000Z") },
      { role: "summary", text: "earlier talk", ts: Date.parse("2023-11-14T22:13:24.000Z") },
    ]);
    expect(transcript[1]?.openclaw).toMatchObject({ id: "a3", message: { usage: { input: 10, output: 4 } } });
    // The tool call of the same OpenClaw message is its own entry, in the shape our agent writes tool calls.
    expect(transcript[2]).toMatchObject({ toolCallId: "t1", toolName: "read", args: {}, openclawPart: true });
    expect(transcript[3]).toMatchObject({ toolCallId: "t1", result: "file body" });
    expect(await ported.get("agent:ops:cron:nightly")).toMatchObject({ sessionId: "oc-2", messageCount: 0 });
    expect((await storage.readTranscript("oc-old")).map((e) => e.text)).toEqual(["long ago"]);
    expect(await storage.findSessions({ sessionId: "oc-old" }, { limit: 5 })).toEqual([]);

    const marker = await storage.table(LEGACY_IMPORT_TABLE).get(LEGACY_IMPORT_KEY);
    expect(marker?.value).toMatchObject({ sessions: 5, transcripts: 4, entries: 9, skipped: 1, stateDir });
    const again = await importLegacySessionFiles({ stateDir, storage });
    expect(again).toEqual({
      imported: false,
      sessions: 0,
      transcripts: 0,
      entries: 0,
      ignoredLines: 0,
      skipped: [],
    });
    expect(await storage.countSessions()).toBe(5);
    expect(await storage.transcriptLength("oc-1")).toBe(5);
  });

  it("rebuilds the sessions of an unreadable index from their transcripts", async () => {
    const dir = sessionsDir("main");
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "sessions.json"), '{"agent:main:main": {"sessionId": "s-1", "upd');
    const header = {
      type: "session",
      version: 1,
      id: "s-1",
      key: "agent:main:main",
      timestamp: "2026-01-01T00:00:00.000Z",
    };
    await writeFile(
      join(dir, "s-1.jsonl"),
      `${JSON.stringify(header)}\n${JSON.stringify({ role: "user", text: "saved", ts: 7 })}\n`,
    );
    await writeFile(
      join(dir, "s-2.jsonl"),
      `${JSON.stringify({ role: "user", text: "no header", ts: 8 })}\n`,
    );
    const storage = createMemoryStorage();

    const result = await importLegacySessionFiles({ stateDir, storage });
    expect(result).toMatchObject({ sessions: 2, transcripts: 2, entries: 2 });
    expect(result.skipped[0]?.reason).toContain("not valid JSON");
    expect(await storage.getSession("agent:main:main")).toMatchObject({
      entry: { sessionId: "s-1", messageCount: 1, createdAt: Date.parse("2026-01-01T00:00:00.000Z") },
    });
    expect(await storage.getSession("agent:main:recovered-s-2")).toMatchObject({
      entry: { sessionId: "s-2" },
    });
  });

  it("reads every line when the storage takes its time to clear the transcript first (a real engine does)", async () => {
    const dir = sessionsDir("main");
    await mkdir(dir, { recursive: true });
    await writeFile(
      join(dir, "sessions.json"),
      JSON.stringify({ "agent:main:main": { sessionId: "slow", updatedAt: 1 } }),
    );
    await writeFile(
      join(dir, "slow.jsonl"),
      `${JSON.stringify({ role: "user", text: "first", ts: 1 })}\n${JSON.stringify({ role: "assistant", text: "second", ts: 2 })}\n`,
    );
    const storage = createMemoryStorage();
    const deleteTranscript = storage.deleteTranscript.bind(storage);
    storage.deleteTranscript = async (sessionId) => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      await deleteTranscript(sessionId);
    };

    const result = await importLegacySessionFiles({ stateDir, storage });
    expect(result).toMatchObject({ sessions: 1, entries: 2 });
    expect((await storage.readTranscript("slow")).map((entry) => entry.text)).toEqual(["first", "second"]);
  });

  it("streams a large transcript in batches and finishes an import that was interrupted", async () => {
    const dir = sessionsDir("main");
    await mkdir(dir, { recursive: true });
    const index: Record<string, unknown> = {};
    for (let s = 0; s < 3; s += 1) {
      index[`agent:main:s${s}`] = { sessionId: `big-${s}`, updatedAt: 1000 + s };
      const lines = Array.from({ length: 1200 }, (_, i) =>
        JSON.stringify({ role: "user", text: `m${i}`, ts: i }),
      );
      await writeFile(join(dir, `big-${s}.jsonl`), `${lines.join("\n")}\n`);
    }
    await writeFile(join(dir, "sessions.json"), JSON.stringify(index));

    const data = createMemoryStorageData();
    const appendSizes: number[] = [];
    let rowsAllowed = 1;
    const failing = new Proxy(createMemoryStorage({ data }), {
      get(target, name, receiver) {
        if (name === "appendTranscript") {
          return (sessionId: string, entries: unknown[]) => {
            appendSizes.push(entries.length);
            return target.appendTranscript(sessionId, entries as never);
          };
        }
        if (name === "putSession") {
          return (write: never) => {
            if (rowsAllowed === 0) return Promise.reject(new Error("power cut"));
            rowsAllowed -= 1;
            return target.putSession(write);
          };
        }
        return Reflect.get(target, name, receiver);
      },
    }) as SessionStorage;

    await expect(importLegacySessionFiles({ stateDir, storage: failing })).rejects.toThrow("power cut");
    expect(appendSizes.slice(0, 3)).toEqual([500, 500, 200]);
    expect(await failing.table(LEGACY_IMPORT_TABLE).get(LEGACY_IMPORT_KEY)).toBeUndefined();

    const storage = createMemoryStorage({ data });
    const result = await importLegacySessionFiles({ stateDir, storage });
    expect(result).toMatchObject({ imported: true, sessions: 2, skipped: [] });
    expect(await storage.countSessions()).toBe(3);
    for (let s = 0; s < 3; s += 1) {
      expect(await storage.transcriptLength(`big-${s}`)).toBe(1200);
      expect((await storage.getSession(`agent:main:s${s}`))?.entry.messageCount).toBe(1200);
    }
  });

  it("records nothing when there is no legacy state (a new install's start writes nothing), so files that appear later are imported", async () => {
    const storage = createMemoryStorage();
    expect(await importLegacySessionFiles({ stateDir, storage })).toMatchObject({
      imported: false,
      sessions: 0,
    });
    expect(await storage.table("meta").list()).toEqual([]);
    await seedFileStore();
    const later = await importLegacySessionFiles({ stateDir, storage });
    expect(later.imported).toBe(true);
    expect(later.sessions).toBeGreaterThan(0);
    expect(await storage.countSessions()).toBe(later.sessions);
  });
});
