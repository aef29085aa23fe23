import { appendFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SessionRowSchema } from "@openclaw/protocol";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFileSessionStore, type FileSessionStore } from "./file-session-store.js";
import { isSessionError, type SessionErrorCode } from "./session-error.js";
import { buildGroupSessionKey, buildPeerSessionKey } from "./session-key.js";
import type { SessionStore, SessionStoreLogger } from "./session-store.js";

let stateDir: string;
let clock: number;
const now = () => clock;
const open = (logger?: SessionStoreLogger) =>
  createFileSessionStore({ stateDir, now, ...(logger ? { logger } : {}) }) as Promise<FileSessionStore>;
const sessionsDir = (agentId = "main") => join(stateDir, "agents", agentId, "sessions");
const readIndex = async (agentId = "main") =>
  JSON.parse(await readFile(join(sessionsDir(agentId), "sessions.json"), "utf8")) as Record<
    string,
    Record<string, unknown>
  >;

async function expectSessionError(promise: Promise<unknown>, code: SessionErrorCode) {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(isSessionError(error, code), `expected ${code}, got ${String(error)}`).toBe(true);
  return error as { details?: Record<string, unknown>; message: string };
}

function recordingLogger() {
  const events: Array<{ event: string; fields: Record<string, unknown> }> = [];
  const logger: SessionStoreLogger = { warn: (event, fields) => events.push({ event, fields }) };
  return { events, logger };
}

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "openclaw-sessions-"));
  clock = Date.UTC(2026, 0, 2, 3, 4, 5);
});

afterEach(async () => {
  await rm(stateDir, { recursive: true, force: true });
});

describe("rows and on-disk layout", () => {
  it("creates a session under agents/<agentId>/sessions/sessions.json with a valid row", async () => {
    const store = await open();
    const key = buildPeerSessionKey({
      channel: "telegram",
      accountId: "b2",
      peerId: "42",
      dmScope: "per-account-channel-peer",
    });
    const row = await store.ensure(key, { displayName: "Alice" });

    expect(SessionRowSchema.parse(row)).toEqual(row);
    expect(row).toMatchObject({
      key,
      kind: "direct",
      agentId: "main",
      channel: "telegram",
      accountId: "b2",
      chatType: "direct",
      displayName: "Alice",
      createdAt: clock,
      updatedAt: clock,
      messageCount: 0,
      lastActiveAt: null,
      isMain: false,
    });
    expect(row.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(store.indexPath).toBe(join(sessionsDir(), "sessions.json"));
    expect((await readIndex())[key]).toMatchObject({ sessionId: row.sessionId, displayName: "Alice" });
    await store.close();
  });

  it("puts each agent's sessions in its own index and free-form keys with the default agent", async () => {
    const store = await open();
    await store.ensure("agent:work:main");
    await store.ensure("@alice/pi-main");
    await store.ensure("main");
    expect(Object.keys(await readIndex("work"))).toEqual(["agent:work:main"]);
    expect(Object.keys(await readIndex("main")).sort()).toEqual(["@alice/pi-main", "agent:main:main"]);
    expect(await store.get("MAIN")).toMatchObject({ key: "agent:main:main", isMain: true });
    expect(await store.get("@alice/pi-main")).toMatchObject({ agentId: "main", kind: "direct" });
    expect(await store.count()).toBe(3);
    await store.close();
  });

  it("returns the same session from ensure and survives a reopen", async () => {
    const store = await open();
    const first = await store.ensure("agent:main:discord:channel:9");
    const writes = store.indexWriteCount;
    const again = await store.ensure("agent:main:discord:channel:9", { label: "ignored" });
    expect(store.indexWriteCount).toBe(writes);
    expect(again.sessionId).toBe(first.sessionId);
    expect(again.label).toBeUndefined();
    expect(first).toMatchObject({ kind: "group", chatType: "channel", channel: "discord" });
    await store.close();

    const reopened = await open();
    expect(await reopened.get("agent:main:discord:channel:9")).toEqual(first);
    await reopened.close();
  });

  it("keeps fields another writer added to an entry", async () => {
    await mkdir(sessionsDir(), { recursive: true });
    const foreign = { sessionId: "legacy-1", updatedAt: 5, providerOverride: "anthropic", chatType: "room" };
    await writeFile(
      join(sessionsDir(), "sessions.json"),
      JSON.stringify({ "agent:main:slack:channel:c1": foreign }),
    );
    const store = await open();
    expect(await store.get("agent:main:slack:channel:c1")).toMatchObject({
      sessionId: "legacy-1",
      chatType: "channel",
      createdAt: 5,
      messageCount: 0,
    });
    await store.patch("agent:main:slack:channel:c1", { label: "Team" });
    expect((await readIndex())["agent:main:slack:channel:c1"]).toMatchObject({
      providerOverride: "anthropic",
      label: "Team",
    });
    await store.close();
  });
});

describe("patch", () => {
  it("creates the session, sets fields and clears them with null", async () => {
    const store = await open();
    const row = await store.patch("main", { label: "Home", model: "gpt-5", verboseLevel: "on", icon: "🏠" });
    expect(row).toMatchObject({
      key: "agent:main:main",
      label: "Home",
      model: "gpt-5",
      verboseLevel: "on",
      icon: "🏠",
    });

    clock += 1000;
    const cleared = await store.patch("main", { label: null, model: null, thinkingLevel: "high" });
    expect(cleared.label).toBeUndefined();
    expect(cleared.model).toBeUndefined();
    expect(cleared).toMatchObject({
      thinkingLevel: "high",
      icon: "🏠",
      updatedAt: clock,
      sessionId: row.sessionId,
    });
    expect((await readIndex())["agent:main:main"]).not.toHaveProperty("label");
    await store.close();
  });

  it("derives archived, pinned and unread from timestamps, and archiving clears the pin", async () => {
    const store = await open();
    expect(await store.patch("main", { pinned: true, unread: true })).toMatchObject({
      pinned: true,
      unread: true,
    });
    expect(await store.patch("main", { archived: true })).toMatchObject({ archived: true, pinned: false });
    const read = await store.patch("main", { archived: false, unread: false });
    expect(read).toMatchObject({ archived: false, unread: false });
    expect((await readIndex())["agent:main:main"]).toMatchObject({ lastReadAt: clock });
    await store.close();
  });

  it("fails with SESSION_CONFLICT when expectedSessionId does not match", async () => {
    const store = await open();
    const row = await store.ensure("main");
    const error = await expectSessionError(
      store.patch("main", { label: "x", expectedSessionId: "other" }),
      "SESSION_CONFLICT",
    );
    expect(error.details).toMatchObject({ expectedSessionId: "other", actualSessionId: row.sessionId });
    await expectSessionError(store.patch("agent:main:nope", { expectedSessionId: "x" }), "SESSION_CONFLICT");
    expect(await store.get("agent:main:nope")).toBeUndefined();
    expect(await store.patch("main", { label: "ok", expectedSessionId: row.sessionId })).toMatchObject({
      label: "ok",
    });
    await store.close();
  });

  it("rejects invalid fields and keys", async () => {
    const store = await open();
    await expectSessionError(store.patch("main", { label: "x".repeat(513) }), "INVALID_SESSION_PATCH");
    await expectSessionError(
      store.patch("main", { pinned: "yes" as unknown as boolean }),
      "INVALID_SESSION_PATCH",
    );
    await expectSessionError(store.patch("bad\nkey", { label: "x" }), "INVALID_SESSION_KEY");
    expect(await store.count()).toBe(0);
    await store.close();
  });

  it("keeps every field of many concurrent patches and batches the index writes", async () => {
    const store = await open();
    const writesBefore = store.indexWriteCount;
    const patches: Array<Promise<unknown>> = [];
    for (let i = 0; i < 500; i += 1) {
      patches.push(store.patch(`agent:main:burst-${i % 50}`, { [i < 250 ? "label" : "category"]: `v${i}` }));
    }
    patches.push(
      store.patch("main", { icon: "a" }),
      store.patch("main", { color: "b" }),
      store.patch("main", { model: "c" }),
    );
    await Promise.all(patches);
    expect(store.indexWriteCount - writesBefore).toBeLessThan(50);
    await store.close();

    const reopened = await open();
    for (let k = 0; k < 50; k += 1) {
      expect(await reopened.get(`agent:main:burst-${k}`)).toMatchObject({
        label: `v${200 + k}`,
        category: `v${450 + k}`,
      });
    }
    expect(await reopened.get("main")).toMatchObject({ icon: "a", color: "b", model: "c" });
    await reopened.close();
  });
});

describe("transcripts", () => {
  it("serves reads from memory that always match the file, under concurrent appends", async () => {
    const store = await open();
    await store.appendTranscript("main", { role: "user", text: "first", ts: 0 });
    const work: Promise<unknown>[] = [];
    for (let i = 1; i <= 60; i += 1) {
      work.push(store.appendTranscript("main", { role: i % 2 ? "assistant" : "user", text: `m${i}`, ts: i }));
      if (i % 7 === 0) work.push(store.readTranscript("main"));
    }
    await Promise.all(work);
    const cached = await store.readTranscript("main");
    await store.close();
    const fresh = await open();
    const fromDisk = await fresh.readTranscript("main");
    expect(cached).toEqual(fromDisk);
    expect(fromDisk).toHaveLength(61);
    expect(await fresh.get("main")).toMatchObject({ messageCount: 61 });
    await fresh.close();
  });

  it("adds up the token usage recorded on entries on the session row", async () => {
    const store = await open();
    await store.appendTranscript("main", { role: "user", text: "hi", ts: 1 });
    await store.appendTranscript("main", {
      role: "assistant",
      text: "a",
      ts: 2,
      usage: { inputTokens: 10, outputTokens: 4 },
    });
    await store.appendTranscript("main", {
      role: "assistant",
      text: "b",
      ts: 3,
      usage: { inputTokens: 12, outputTokens: 6 },
    });
    expect(await store.get("main")).toMatchObject({ inputTokens: 22, outputTokens: 10, totalTokens: 32 });
    await store.close();
    const reopened = await open();
    expect(await reopened.get("main")).toMatchObject({ inputTokens: 22, outputTokens: 10, totalTokens: 32 });
    await reopened.close();
  });

  it("appends one JSON line per entry after a session header and counts messages", async () => {
    const store = await open();
    await store.appendTranscript("main", { role: "user", text: "hello", ts: 1 });
    await store.appendTranscript("main", { role: "assistant", text: "hi there", ts: 2, model: "m" });
    const row = await store.get("main");
    expect(row).toMatchObject({ messageCount: 2, lastActiveAt: 2 });
    const lines = (await readFile(join(sessionsDir(), `${row?.sessionId}.jsonl`), "utf8")).split("\n");
    expect(JSON.parse(lines[0] ?? "")).toMatchObject({ type: "session", id: row?.sessionId });
    expect(lines.slice(1)).toEqual([
      '{"role":"user","text":"hello","ts":1}',
      '{"role":"assistant","text":"hi there","ts":2,"model":"m"}',
      "",
    ]);
    expect(await store.readTranscript("main")).toEqual([
      { role: "user", text: "hello", ts: 1 },
      { role: "assistant", text: "hi there", ts: 2, model: "m" },
    ]);
    expect(await store.readTranscript("main", { limit: 1 })).toEqual([
      { role: "assistant", text: "hi there", ts: 2, model: "m" },
    ]);
    expect(await store.readTranscript("agent:main:none")).toEqual([]);
    expect((await store.list({ includeLastMessage: true })).rows[0]?.lastMessagePreview).toBe("hi there");
    await store.close();
  });

  it("rejects malformed entries", async () => {
    const store = await open();
    const bad = [
      { role: "robot", text: "x", ts: 1 },
      { role: "user", text: 5, ts: 1 },
      { role: "user", text: "x", ts: Number.NaN },
    ];
    for (const entry of bad) {
      await expectSessionError(store.appendTranscript("main", entry as never), "INVALID_TRANSCRIPT_ENTRY");
    }
    await store.close();
  });

  it("keeps every one of many concurrent appends, in call order", async () => {
    const store = await open();
    await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        store.appendTranscript("main", { role: "user", text: `m${i}`, ts: i }),
      ),
    );
    const entries = await store.readTranscript("main");
    expect(entries.map((e) => e.text)).toEqual(Array.from({ length: 200 }, (_, i) => `m${i}`));
    expect((await store.get("main"))?.messageCount).toBe(200);
    await store.close();
  });

  it("ignores a torn last line and starts the next append on a fresh line", async () => {
    const store = await open();
    await store.appendTranscript("main", { role: "user", text: "one", ts: 1 });
    await store.appendTranscript("main", { role: "assistant", text: "two", ts: 2 });
    const sessionId = (await store.get("main"))?.sessionId;
    await store.close();
    const file = join(sessionsDir(), `${sessionId}.jsonl`);
    await appendFile(file, '{"role":"user","text":"thr');

    const reopened = await open();
    expect((await reopened.readTranscript("main")).map((e) => e.text)).toEqual(["one", "two"]);
    await reopened.appendTranscript("main", { role: "user", text: "three", ts: 3 });
    expect((await reopened.readTranscript("main")).map((e) => e.text)).toEqual(["one", "two", "three"]);
    const lines = (await readFile(file, "utf8")).split("\n");
    expect(lines.slice(-3)).toEqual([
      '{"role":"user","text":"thr',
      '{"role":"user","text":"three","ts":3}',
      "",
    ]);
    await reopened.close();
  });

  it("previews the newest entries of each key with ok, empty and missing statuses", async () => {
    const store = await open();
    for (let i = 0; i < 5; i += 1)
      await store.appendTranscript("main", { role: "user", text: `message ${i} ${"x".repeat(40)}`, ts: i });
    await store.ensure("agent:main:quiet");
    const previews = await store.preview(["main", "agent:main:quiet", "agent:main:ghost", "bad\u0000key"], {
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
      { key: "agent:main:quiet", status: "empty", items: [] },
      { key: "agent:main:ghost", status: "missing", items: [] },
      { key: "bad\u0000key", status: "missing", items: [] },
    ]);
    await store.close();
  });
});

describe("reset, delete and compact", () => {
  it("reset keeps settings, starts a new sessionId and archives the old transcript", async () => {
    const store = await open();
    await store.patch("main", { label: "Home", model: "m1" });
    await store.appendTranscript("main", { role: "user", text: "before", ts: 1 });
    const before = await store.get("main");
    clock += 60_000;

    const { row, previousSessionId } = await store.reset("main", { reason: "new" });
    expect(previousSessionId).toBe(before?.sessionId);
    expect(row.sessionId).not.toBe(before?.sessionId);
    expect(row).toMatchObject({
      label: "Home",
      model: "m1",
      messageCount: 0,
      lastActiveAt: null,
      createdAt: before?.createdAt,
    });
    expect(await store.readTranscript("main")).toEqual([]);
    const files = await readdir(sessionsDir());
    expect(files).toContain(`${previousSessionId}.jsonl.reset.2026-01-02T03-05-05.000Z`);
    expect(files).not.toContain(`${previousSessionId}.jsonl`);

    await store.appendTranscript("main", { role: "user", text: "after", ts: 2 });
    expect((await store.readTranscript("main")).map((e) => e.text)).toEqual(["after"]);
    await store.close();
    expect((await (await open()).get("main"))?.sessionId).toBe(row.sessionId);
  });

  it("reset of a missing key creates it", async () => {
    const store = await open();
    const { row, previousSessionId } = await store.reset("agent:main:fresh");
    expect(previousSessionId).toBeUndefined();
    expect(await store.get("agent:main:fresh")).toEqual(row);
    await store.close();
  });

  it("delete removes the entry durably and archives the transcript", async () => {
    const store = await open();
    await store.appendTranscript("agent:main:gone", { role: "user", text: "bye", ts: 1 });
    const { sessionId } = (await store.get("agent:main:gone")) ?? {};
    await expectSessionError(
      store.delete("agent:main:gone", { expectedSessionId: "nope" }),
      "SESSION_CONFLICT",
    );

    const result = await store.delete("agent:main:gone", { expectedSessionId: sessionId });
    const archivedPath = join(sessionsDir(), `${sessionId}.jsonl.deleted.2026-01-02T03-04-05.000Z`);
    expect(result).toEqual({ deleted: true, archived: [archivedPath] });
    expect(await readFile(archivedPath, "utf8")).toContain('"bye"');
    expect(await store.delete("agent:main:gone")).toEqual({ deleted: false, archived: [] });
    await store.close();
    expect(await (await open()).get("agent:main:gone")).toBeUndefined();
  });

  it("delete with deleteTranscript false leaves the transcript where it is", async () => {
    const store = await open();
    await store.appendTranscript("agent:main:keep", { role: "user", text: "x", ts: 1 });
    const { sessionId } = (await store.get("agent:main:keep")) ?? {};
    expect(await store.delete("agent:main:keep", { deleteTranscript: false })).toEqual({
      deleted: true,
      archived: [],
    });
    expect(await readdir(sessionsDir())).toContain(`${sessionId}.jsonl`);
    await store.close();
  });

  it("compact keeps the last maxLines entries behind one summary", async () => {
    const store = await open();
    for (let i = 0; i < 10; i += 1) {
      await store.appendTranscript("main", {
        role: i % 2 ? "assistant" : "user",
        text: `m${i}`,
        ts: Date.UTC(2026, 0, 1, 0, i),
      });
    }
    expect(await store.compact("main", { maxLines: 20 })).toEqual({ compacted: false, kept: 10, removed: 0 });
    expect(await store.compact("main", { maxLines: 4 })).toEqual({ compacted: true, kept: 4, removed: 6 });

    const entries = await store.readTranscript("main");
    expect(entries.map((e) => e.text).slice(1)).toEqual(["m6", "m7", "m8", "m9"]);
    expect(entries[0]).toMatchObject({
      role: "summary",
      removed: 6,
      text: "Compacted: removed 6 earlier entries (3 user, 3 assistant) from 2026-01-01T00:00:00.000Z to 2026-01-01T00:05:00.000Z.",
    });
    expect((await store.get("main"))?.messageCount).toBe(4);

    await store.appendTranscript("main", { role: "user", text: "m10", ts: 11 });
    expect(await store.compact("main", { maxLines: 2 })).toEqual({ compacted: true, kept: 2, removed: 4 });
    const again = await store.readTranscript("main");
    expect(again.map((e) => e.role)).toEqual(["summary", "assistant", "user"]);
    expect(again[0]).toMatchObject({ removed: 9 });
    expect(await store.compact("agent:main:ghost")).toEqual({ compacted: false, kept: 0, removed: 0 });
    await expectSessionError(store.compact("main", { maxLines: 0 }), "INVALID_SESSION_QUERY");
    await store.close();
  });
});

describe("list", () => {
  async function seed(store: SessionStore) {
    await store.patch("main", { label: "Home" });
    clock += 1000;
    await store.patch(buildGroupSessionKey({ channel: "whatsapp", id: "team@g.us" }), { label: "Team" });
    clock += 1000;
    await store.patch("agent:work:main", { label: "Work" });
    clock += 1000;
    await store.patch("agent:main:old", { archived: true });
    await store.ensure("global");
    await store.ensure("unknown");
    clock += 1000;
    await store.patch("agent:main:pinned", { pinned: true });
    clock += 1000;
    await store.ensure("agent:main:newest", { displayName: "Newest Chat" });
  }

  it("orders pinned first, then newest, and filters", async () => {
    const store = await open();
    await seed(store);
    const keys = async (o: Parameters<SessionStore["list"]>[0]) =>
      (await store.list(o)).rows.map((r) => r.key);

    expect(await keys({})).toEqual([
      "agent:main:pinned",
      "agent:main:newest",
      "agent:work:main",
      "agent:main:whatsapp:group:team@g.us",
      "agent:main:main",
    ]);
    expect(await keys({ includeGlobal: true, includeUnknown: true })).toHaveLength(7);
    expect(await keys({ archived: true })).toEqual(["agent:main:old"]);
    expect(await keys({ archived: "all" })).toHaveLength(6);
    expect(await keys({ agentId: "Work" })).toEqual(["agent:work:main"]);
    expect(await keys({ label: "Team" })).toEqual(["agent:main:whatsapp:group:team@g.us"]);
    expect(await keys({ search: "newest chat" })).toEqual(["agent:main:newest"]);
    expect(await keys({ activeMinutes: 1 })).toHaveLength(5);
    clock += 10 * 60_000;
    expect(await keys({ activeMinutes: 5 })).toEqual([]);

    const page = await store.list({ limit: 2, offset: 1 });
    expect(page.total).toBe(5);
    expect(page.rows.map((r) => r.key)).toEqual(["agent:main:newest", "agent:work:main"]);
    for (const row of (await store.list({ archived: "all", includeGlobal: true, includeUnknown: true }))
      .rows) {
      expect(SessionRowSchema.safeParse(row).success).toBe(true);
    }
    const global = (await store.list({ includeGlobal: true })).rows.find((r) => r.key === "global");
    expect(global?.kind).toBe("global");
    await store.close();
  });
});

describe("resolve", () => {
  it("prefers key over sessionId over label", async () => {
    const store = await open();
    const a = await store.patch("agent:main:a", { label: "shared" });
    const b = await store.patch("agent:main:b", { label: "unique" });

    expect(await store.resolve({ key: "agent:main:a", sessionId: b.sessionId, label: "unique" })).toEqual({
      ok: true,
      key: "agent:main:a",
      agentId: "main",
      displayName: "shared",
    });
    expect(await store.resolve({ sessionId: b.sessionId, label: "shared" })).toMatchObject({
      key: "agent:main:b",
    });
    expect(await store.resolve({ label: " unique " })).toMatchObject({ key: "agent:main:b" });
    expect(a.key).toBe("agent:main:a");
    await store.close();
  });

  it("reports an ambiguous label with its candidates", async () => {
    const store = await open();
    await store.patch("agent:main:x", { label: "dup" });
    await store.patch("agent:work:y", { label: "dup" });
    const error = await expectSessionError(store.resolve({ label: "dup" }), "SESSION_AMBIGUOUS");
    expect(error.details?.candidates).toEqual([
      { key: "agent:main:x", agentId: "main", displayName: "dup" },
      { key: "agent:work:y", agentId: "work", displayName: "dup" },
    ]);
    expect(error.message).toContain("agent:main:x, agent:work:y");
    expect(await store.resolve({ label: "dup", agentId: "work" })).toMatchObject({ key: "agent:work:y" });
    await store.close();
  });

  it("resolves free-form keys such as @alice/pi-main and main", async () => {
    const store = await open();
    await store.ensure("@alice/pi-main", { displayName: "Pi" });
    expect(await store.resolve({ key: "@alice/pi-main" })).toEqual({
      ok: true,
      key: "@alice/pi-main",
      agentId: "main",
      displayName: "Pi",
    });
    await store.ensure("main");
    expect(await store.resolve({ key: "main" })).toMatchObject({ key: "agent:main:main" });
    await store.close();
  });

  it("names what it searched when nothing matches, and honours allowMissing", async () => {
    const store = await open();
    const byKey = await expectSessionError(store.resolve({ key: "agent:main:nope" }), "SESSION_NOT_FOUND");
    expect(byKey.details).toEqual({ searched: { key: "agent:main:nope", agentId: undefined } });
    const byLabel = await expectSessionError(
      store.resolve({ label: "ghost", agentId: "ops" }),
      "SESSION_NOT_FOUND",
    );
    expect(byLabel.details).toEqual({ searched: { label: "ghost", agentId: "ops" } });
    await expectSessionError(store.resolve({ sessionId: "abc" }), "SESSION_NOT_FOUND");
    await expectSessionError(store.resolve({}), "INVALID_SESSION_QUERY");

    expect(await store.resolve({ key: "main", agentId: "ops", allowMissing: true })).toEqual({
      ok: true,
      key: "agent:ops:main",
      agentId: "ops",
    });
    expect(await store.resolve({ key: "@bob/x", allowMissing: true })).toEqual({
      ok: true,
      key: "@bob/x",
      agentId: "main",
    });

    await store.ensure("agent:work:main");
    await expectSessionError(store.resolve({ key: "agent:work:main", agentId: "main" }), "SESSION_NOT_FOUND");
    await store.close();
  });
});

describe("recovery and lifecycle", () => {
  it("moves an unparseable index aside, logs it and rebuilds it from the transcripts (none here)", async () => {
    await mkdir(sessionsDir(), { recursive: true });
    await writeFile(join(sessionsDir(), "sessions.json"), '{"agent:main:main": {"sessionId": "a", "upd');
    const { events, logger } = recordingLogger();
    const store = await open(logger);

    expect(await store.count()).toBe(0);
    expect(events).toEqual([
      expect.objectContaining({
        event: "sessions.index.corrupt",
        fields: expect.objectContaining({
          movedTo: join(sessionsDir(), "sessions.json.corrupt-2026-01-02T03-04-05.000Z"),
        }),
      }),
      expect.objectContaining({
        event: "sessions.index.rebuilt",
        fields: expect.objectContaining({ sessions: 0, keysLost: 0 }),
      }),
    ]);
    expect(await readdir(sessionsDir())).toEqual(["sessions.json.corrupt-2026-01-02T03-04-05.000Z"]);
    await store.patch("main", { label: "fresh" });
    expect(Object.keys(await readIndex())).toEqual(["agent:main:main"]);
    await store.close();
  });

  it("drops invalid entries but keeps a copy of the file", async () => {
    await mkdir(sessionsDir(), { recursive: true });
    const index = {
      "agent:main:good": { sessionId: "s-good", updatedAt: 1 },
      "agent:main:bad": { sessionId: "../../escape", updatedAt: 1 },
      "agent:main:worse": "not an entry",
    };
    await writeFile(join(sessionsDir(), "sessions.json"), JSON.stringify(index));
    const { events, logger } = recordingLogger();
    const store = await open(logger);

    expect(await store.count()).toBe(1);
    expect(events[0]).toMatchObject({ event: "sessions.index.entries_dropped", fields: { dropped: 2 } });
    const copy = JSON.parse(
      await readFile(join(sessionsDir(), "sessions.json.corrupt-2026-01-02T03-04-05.000Z"), "utf8"),
    );
    expect(copy).toEqual(index);
    await store.close();
  });

  it("removes temp files left by a crash mid-write", async () => {
    await mkdir(sessionsDir(), { recursive: true });
    await writeFile(join(sessionsDir(), "sessions.json.4242.0123456789ab.tmp"), "{");
    const store = await open();
    expect(await readdir(sessionsDir())).toEqual([]);
    await store.close();
  });

  it("ignores agent directories whose names are not agent ids", async () => {
    await mkdir(join(stateDir, "agents", "Not An Id", "sessions"), { recursive: true });
    await writeFile(join(stateDir, "agents", "Not An Id", "sessions", "sessions.json"), "{}");
    const store = await open();
    expect(await store.count()).toBe(0);
    await store.close();
  });

  it("close waits for pending writes, then refuses work", async () => {
    const store = await open();
    const pending = Array.from({ length: 20 }, (_, i) => store.patch(`agent:main:c${i}`, { label: `c${i}` }));
    await store.close();
    expect(Object.keys(await readIndex())).toHaveLength(20);
    await Promise.all(pending);
    await expectSessionError(store.get("main"), "STORE_CLOSED");
    await expectSessionError(store.patch("main", {}), "STORE_CLOSED");
  });
});
