import { createMemoryStorage, createMemoryStorageData, type MemoryStorageData } from "@openclaw/sessions";
import { beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { IDEMPOTENCY_TABLE, SharedIdempotencyKeys } from "./shared-idempotency-keys.js";

const RunRef = z.object({ runId: z.string() });
type RunRef = z.infer<typeof RunRef>;

let data: MemoryStorageData;
let now: number;

beforeEach(() => {
  data = createMemoryStorageData();
  now = 1_000_000;
});

/** One instance's view: its own storage handle over the shared data. */
function keysOf(namespace = "chat", ttlMs = 60_000): SharedIdempotencyKeys<RunRef> {
  return new SharedIdempotencyKeys({
    storage: createMemoryStorage({ data }),
    namespace,
    schema: RunRef,
    ttlMs,
    now: () => now,
    pruneEveryMs: Number.POSITIVE_INFINITY,
  });
}

describe("SharedIdempotencyKeys", () => {
  it("lets the first claim of a key win across instances and answers later ones with its value", async () => {
    const a = keysOf();
    const b = keysOf();
    expect(await a.claim("agent:main:main\u0000retry-1", { runId: "run-a" })).toEqual({ claimed: true });
    expect(await b.claim("agent:main:main\u0000retry-1", { runId: "run-b" })).toEqual({
      claimed: false,
      value: { runId: "run-a" },
    });
    expect(await b.get("agent:main:main\u0000retry-1")).toEqual({ runId: "run-a" });
    // Another key, and the same key in another namespace, are independent.
    expect(await b.claim("agent:main:main\u0000retry-2", { runId: "run-b" })).toEqual({ claimed: true });
    expect(await keysOf("hooks").claim("agent:main:main\u0000retry-1", { runId: "h" })).toEqual({
      claimed: true,
    });
  });

  it("ignores an expired key, lets exactly one of two instances take it over, and prunes expired rows", async () => {
    const a = keysOf();
    const b = keysOf();
    await a.claim("k", { runId: "first" });
    now += 60_001;
    expect(await b.get("k")).toBeUndefined();
    const results = await Promise.all([a.claim("k", { runId: "a2" }), b.claim("k", { runId: "b2" })]);
    expect(results.filter((result) => result.claimed)).toHaveLength(1);
    const winner = results[0]?.claimed ? "a2" : "b2";
    expect(results.find((result) => !result.claimed)).toEqual({ claimed: false, value: { runId: winner } });
    expect(await a.get("k")).toEqual({ runId: winner });

    await a.claim("old", { runId: "x" });
    now += 60_001;
    await b.claim("fresh", { runId: "y" });
    expect(await a.prune()).toBe(2);
    const left = await createMemoryStorage({ data }).table(IDEMPOTENCY_TABLE).list();
    expect(left).toHaveLength(1);
    expect(JSON.stringify(left)).not.toContain("fresh");
  });

  it("frees a released key for a retry, and refuses a value too large to remember", async () => {
    const a = keysOf();
    const b = keysOf();
    await a.claim("k", { runId: "failed" });
    await a.release("k");
    expect(await b.claim("k", { runId: "retry" })).toEqual({ claimed: true });
    await expect(a.claim("big", { runId: "x".repeat(20_000) })).rejects.toMatchObject({
      code: "IDEMPOTENCY_VALUE_TOO_LARGE",
    });
    expect(() => keysOf("Bad Namespace")).toThrow(/namespace/);
  });

  it("counts a key as seen when the stored value cannot be read by this version", async () => {
    const writer = new SharedIdempotencyKeys({
      storage: createMemoryStorage({ data }),
      namespace: "chat",
      schema: z.object({ other: z.number() }),
      now: () => now,
    });
    await writer.claim("k", { other: 1 });
    expect(await keysOf().claim("k", { runId: "r" })).toEqual({ claimed: false, value: undefined });
  });
});
