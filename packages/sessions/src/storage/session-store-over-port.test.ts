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
