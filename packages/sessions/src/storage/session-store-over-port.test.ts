import { expect, it } from "vitest";
import { isSessionError } from "../session-error.js";
import { createMemoryStorage, createMemoryStorageData } from "./memory-storage.js";
import { createSessionStore } from "./session-store-over-port.js";

function twoProcesses(maxConflictAttempts: number) {
  const data = createMemoryStorageData();
  const events: Array<{ event: string; fields: Record<string, unknown> }> = [];
  const logger = { warn: (event: string, fields: Record<string, unknown>) => events.push({ event, fields }) };
  const open = () => createSessionStore(createMemoryStorage({ data }), { logger, maxConflictAttempts });
  return { a: open(), b: open(), events };
}

it("retries a write another process got in first, so no field is lost", async () => {
  const { a, b, events } = twoProcesses(8);
  await a.ensure("main");
  await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      (i % 2 ? a : b).patch("main", { label: `l${i}`, [i % 2 ? "icon" : "color"]: `${i}` }),
    ),
  );
  const row = await a.get("main");
  expect(row?.icon).toBe("19");
  expect(row?.color).toBe("18");
  expect(events).toEqual([]);
});

it("gives up after maxConflictAttempts with SESSION_CONFLICT and one log line", async () => {
  const { a, b, events } = twoProcesses(1);
  await a.ensure("main");
  const outcomes = await Promise.allSettled(
    Array.from({ length: 10 }, (_, i) =>
      (i % 2 ? a : b).appendTranscript("main", { role: "user", text: `${i}`, ts: i }),
    ),
  );
  const conflicts = outcomes.filter(
    (o) => o.status === "rejected" && isSessionError(o.reason, "SESSION_CONFLICT"),
  );
  expect(conflicts.length).toBeGreaterThan(0);
  expect(conflicts.length).toBe(outcomes.filter((o) => o.status === "rejected").length);
  expect(events.filter((e) => e.event === "sessions.write.conflict")).toHaveLength(conflicts.length);
  const kept = outcomes.length - conflicts.length;
  expect((await a.readTranscript("main")).length).toBe(kept);
  expect((await b.get("main"))?.messageCount).toBe(kept);
});

it("closes the storage only when asked", async () => {
  const storage = createMemoryStorage();
  await createSessionStore(storage).close();
  expect(await storage.countSessions()).toBe(0);
  await createSessionStore(storage, { closeStorage: true }).close();
  await expect(storage.countSessions()).rejects.toMatchObject({ code: "STORE_CLOSED" });
});

/** A store over memory storage that counts its row reads. */
function countingStore(data = createMemoryStorageData(), knownRows?: number) {
  const storage = createMemoryStorage({ data });
  const reads = { getSession: 0 };
  const getSession = storage.getSession.bind(storage);
  storage.getSession = (key) => {
    reads.getSession += 1;
    return getSession(key);
  };
  const events: string[] = [];
  const logger = { warn: (event: string) => events.push(event) };
  const store = createSessionStore(storage, knownRows === undefined ? { logger } : { logger, knownRows });
  return { store, reads, events };
}

it("appends from the row it last read or wrote, without reading it again", async () => {
  const { store, reads } = countingStore();
  await store.patch("main", { label: "chat" });
  reads.getSession = 0;
  await store.appendTranscript("main", { role: "user", text: "one", ts: 1 });
  await store.appendTranscript("main", { role: "assistant", text: "two", ts: 2 });
  expect(reads.getSession).toBe(0);
  expect((await store.get("main"))?.messageCount).toBe(2);
  expect((await store.readTranscript("main")).map((e) => e.text)).toEqual(["one", "two"]);
});

it("reads the row before every append with knownRows 0", async () => {
  const { store, reads } = countingStore(undefined, 0);
  await store.patch("main", { label: "chat" });
  reads.getSession = 0;
  await store.appendTranscript("main", { role: "user", text: "one", ts: 1 });
  expect(reads.getSession).toBe(1);
});

it("retries from a fresh read at once when another process changed the remembered row", async () => {
  const data = createMemoryStorageData();
  const a = countingStore(data);
  const b = countingStore(data);
  await a.store.appendTranscript("main", { role: "user", text: "from a", ts: 1 });
  await b.store.appendTranscript("main", { role: "user", text: "from b", ts: 2 });
  const { row: reset } = await b.store.reset("main");
  await a.store.appendTranscript("main", { role: "assistant", text: "after reset", ts: 3 });
  // The stale row named the old transcript: the append went to the one the session points at now.
  expect((await a.store.readTranscript("main")).map((e) => e.text)).toEqual(["after reset"]);
  const row = await b.store.get("main");
  expect(row?.sessionId).toBe(reset.sessionId);
  expect(row?.messageCount).toBe(1);
  expect(a.events).toEqual([]);
});

it("reads the transcript the session points at now, though the remembered row names an older one", async () => {
  const data = createMemoryStorageData();
  const a = countingStore(data);
  const b = countingStore(data);
  await a.store.appendTranscript("main", { role: "user", text: "before reset", ts: 1 });
  expect((await a.store.readTranscript("main")).map((e) => e.text)).toEqual(["before reset"]);
  await b.store.reset("main");
  await b.store.appendTranscript("main", { role: "user", text: "after reset", ts: 2 });
  expect((await a.store.readTranscript("main")).map((e) => e.text)).toEqual(["after reset"]);
  expect((await a.store.readTranscript("main", { limit: 1 })).map((e) => e.text)).toEqual(["after reset"]);
});

it("reads the row once for reads asked together, and afresh for one asked once that read was sent", async () => {
  const data = createMemoryStorageData();
  const { store, reads } = countingStore(data);
  const other = countingStore(data);
  await store.patch("main", { model: "m1", thinkingLevel: "low" });
  reads.getSession = 0;
  const [transcript, first, second] = await Promise.all([
    store.readTranscript("main"),
    store.get("main"),
    store.get("main"),
  ]);
  expect(reads.getSession).toBe(1);
  expect(transcript).toEqual([]);
  expect([first?.model, second?.thinkingLevel]).toEqual(["m1", "low"]);
  // Asked while a read is on its way: the other process's write finished after that read was sent.
  const sent = store.get("main");
  await Promise.resolve();
  await other.store.patch("main", { model: "m2" });
  const later = store.get("main");
  expect((await sent)?.model).toBe("m1");
  expect((await later)?.model).toBe("m2");
  expect(reads.getSession).toBe(3);
});

it("reads the turn of an idempotency key, in the session's current transcript only", async () => {
  const store = createSessionStore(createMemoryStorage());
  const sent = { role: "user" as const, text: "hi", ts: 1, runId: "r1", idempotencyKey: "k" };
  const answer = { role: "assistant" as const, text: "hello", ts: 3, runId: "r1" };
  await store.appendTranscript("main", sent);
  await store.appendTranscript("main", {
    role: "user",
    text: "other",
    ts: 2,
    runId: "r2",
    idempotencyKey: "j",
  });
  await store.appendTranscript("main", answer);
  expect(await store.readTranscript("main", { turnOf: "k" })).toEqual([sent, answer]);
  expect(await store.readTranscript("main", { turnOf: "nowhere" })).toEqual([]);
  await store.reset("main");
  expect(await store.readTranscript("main", { turnOf: "k" })).toEqual([]);
});
