import { type FakeApi, lastUserText, startFakeModelServer } from "@openclaw/testing";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { NO_PROVIDER_MESSAGE } from "./agent-error.js";
import {
  API_KEY,
  APIS,
  nextEvent,
  providerConfig,
  server,
  startRuntime,
  useFakeModelServer,
} from "./runtime-test-env.js";
import type { TranscriptEntry } from "./types.js";

useFakeModelServer();

describe.each(APIS as FakeApi[])("%s", (api) => {
  it("streams deltas, then the final text, usage and transcript", async () => {
    const { runtime, transcripts, eventsOf } = startRuntime(providerConfig(server, api));
    server.enqueue({ chunks: ["Hel", "lo ", "world"], usage: { inputTokens: 11, outputTokens: 3 } });

    const handle = runtime.submit({ sessionKey: "s1", message: "hi" });
    const result = await handle.done;

    expect(result).toMatchObject({ status: "ok", text: "Hello world", model: "fake/fake-model" });
    expect(result.usage).toEqual({ inputTokens: 11, outputTokens: 3, totalTokens: 14, toolCalls: 0 });
    const events = eventsOf(handle.runId);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i));
    expect(events.filter((e) => e.stream === "assistant").map((e) => e.data.delta)).toEqual([
      "Hel",
      "lo ",
      "world",
    ]);
    expect(events.filter((e) => e.stream === "assistant").at(-1)?.data.text).toBe("Hello world");
    expect(events[0]?.data).toMatchObject({ phase: "start", model: "fake/fake-model" });
    expect(events.at(-1)?.data).toMatchObject({ phase: "end", status: "ok" });
    expect(transcripts.entries.get("s1")).toMatchObject([
      { role: "user", text: "hi", runId: handle.runId },
      {
        role: "assistant",
        text: "Hello world",
        usage: { inputTokens: 11, outputTokens: 3 },
        model: "fake/fake-model",
      },
    ]);
    const [request] = server.requests;
    expect(request?.stream).toBe(true);
    expect(lastUserText(request as NonNullable<typeof request>)).toBe("hi");
  });

  it("runs a tool and feeds its result back to the model", async () => {
    const { runtime, transcripts, eventsOf } = startRuntime(providerConfig(server, api));
    const calls: unknown[] = [];
    runtime.tools.register({
      name: "get_weather",
      description: "Weather for a city",
      parameters: z.object({ city: z.string() }),
      async execute(args, ctx) {
        calls.push({ args, sessionKey: ctx.sessionKey, runId: ctx.runId });
        return { forecast: "sunny" };
      },
    });
    server.enqueue(
      { toolCalls: [{ id: "call_1", name: "get_weather", arguments: { city: "Paris" } }] },
      { text: "Sunny in Paris" },
    );

    const handle = runtime.submit({ sessionKey: "s-tool", message: "weather?" });
    const result = await handle.done;

    expect(result).toMatchObject({ status: "ok", text: "Sunny in Paris" });
    expect(calls).toEqual([{ args: { city: "Paris" }, sessionKey: "s-tool", runId: handle.runId }]);
    const toolEvents = eventsOf(handle.runId).filter((e) => e.stream === "tool");
    expect(toolEvents.map((e) => e.data)).toMatchObject([
      { phase: "start", toolCallId: "call_1", name: "get_weather", args: { city: "Paris" } },
      { phase: "result", toolCallId: "call_1", name: "get_weather", result: { forecast: "sunny" } },
    ]);
    expect(server.requests).toHaveLength(2);
    expect(JSON.stringify(server.requests[1]?.body)).toContain("sunny");
    expect(transcripts.entries.get("s-tool")?.map((e) => [e.role, e.toolName])).toEqual([
      ["user", undefined],
      ["tool", "get_weather"],
      ["tool", "get_weather"],
      ["assistant", undefined],
    ]);
  });
});

describe("run control", () => {
  it("aborts mid-stream, keeping what streamed in the transcript", async () => {
    const { runtime, transcripts } = startRuntime(providerConfig(server, "openai-completions"));
    server.enqueue({ chunks: ["partial ", "answer"], hang: true });

    const handle = runtime.submit({ sessionKey: "s-abort", message: "go" });
    await nextEvent(runtime, (e) => e.stream === "assistant" && e.data.text === "partial answer");
    expect(runtime.isActive("s-abort")).toBe(true);
    expect(runtime.abort({ sessionKey: "s-abort" })).toBe(1);
    const result = await handle.done;

    expect(result).toMatchObject({ status: "aborted", text: "partial answer" });
    expect(runtime.isActive("s-abort")).toBe(false);
    expect(runtime.getRun(handle.runId)).toMatchObject({ status: "done", result: { status: "aborted" } });
    expect(transcripts.entries.get("s-abort")).toMatchObject([
      { role: "user", text: "go" },
      { role: "assistant", text: "partial answer", isError: true },
    ]);
  });

  it("runs two messages to one session in order, the second seeing the first", async () => {
    const { runtime, events } = startRuntime(providerConfig(server, "anthropic-messages"));
    server.enqueue({ text: "first answer", delayMs: 50 }, { text: "second answer" });

    const first = runtime.submit({ sessionKey: "s-order", message: "one" });
    const second = runtime.submit({ sessionKey: "s-order", message: "two" });
    expect(runtime.getRun(second.runId)?.status).toBe("queued");
    const [a, b] = await Promise.all([first.done, second.done]);

    expect([a.text, b.text]).toEqual(["first answer", "second answer"]);
    const order = events
      .filter((e) => e.stream === "lifecycle")
      .map((e) => `${e.runId === first.runId ? "1" : "2"}:${e.data.phase}`);
    expect(order).toEqual(["2:queued", "1:start", "1:end", "2:start", "2:end"]);
    const secondRequest = JSON.stringify(server.requests[1]?.body);
    expect(secondRequest).toContain("first answer");
    expect(lastUserText(server.requests[1] as NonNullable<(typeof server.requests)[1]>)).toBe("two");
  });

  it("runs different sessions concurrently", async () => {
    const { runtime } = startRuntime(providerConfig(server, "openai-completions"));
    server.setDefaultReply((request) =>
      lastUserText(request) === "slow" ? { text: "never", hang: true } : { text: "quick" },
    );

    const slow = runtime.submit({ sessionKey: "s-a", message: "slow" });
    const quick = await runtime.submit({ sessionKey: "s-b", message: "fast" }).done;

    expect(quick.text).toBe("quick");
    expect(runtime.getRun(slow.runId)?.status).toBe("running");
    runtime.abort({ runId: slow.runId });
    expect((await slow.done).status).toBe("aborted");
  });

  it("collects queued messages into one turn", async () => {
    const { runtime, transcripts } = startRuntime(providerConfig(server, "openai-completions"));
    server.enqueue({ text: "busy", delayMs: 50 }, { text: "both seen" });

    const first = runtime.submit({ sessionKey: "s-col", message: "start" });
    const a = runtime.submit({ sessionKey: "s-col", message: "alpha", queueMode: "collect" });
    const b = runtime.submit({ sessionKey: "s-col", message: "beta", queueMode: "collect" });
    expect(b.runId).toBe(a.runId);
    await first.done;
    const result = await b.done;

    expect(result.text).toBe("both seen");
    expect(server.requests).toHaveLength(2);
    expect(lastUserText(server.requests[1] as NonNullable<(typeof server.requests)[1]>)).toBe(
      "alpha\n\nbeta",
    );
    expect(
      transcripts.entries
        .get("s-col")
        ?.filter((e) => e.role === "user")
        .map((e) => e.text),
    ).toEqual(["start", "alpha", "beta"]);
  });

  it("aborts queued runs without calling the model", async () => {
    const { runtime } = startRuntime(providerConfig(server, "openai-completions"));
    server.enqueue({ text: "x", hang: true });
    const active = runtime.submit({ sessionKey: "s-q", message: "one" });
    const queued = runtime.submit({ sessionKey: "s-q", message: "two" });

    expect(runtime.abort({ sessionKey: "s-q" })).toBe(2);
    expect((await queued.done).status).toBe("aborted");
    expect((await active.done).status).toBe("aborted");
    expect(server.requests.length).toBeLessThanOrEqual(1);
  });

  it("fails with TIMEOUT when the run outlives its timeout", async () => {
    const { runtime, transcripts } = startRuntime(providerConfig(server, "openai-responses"));
    server.enqueue({ text: "slow", hang: true });

    const result = await runtime.submit({ sessionKey: "s-time", message: "hello", timeoutMs: 150 }).done;

    expect(result).toMatchObject({ status: "error", error: { code: "TIMEOUT" } });
    expect(transcripts.entries.get("s-time")?.[0]).toMatchObject({ role: "user", text: "hello" });
  });

  it("close() ends active and queued runs and refuses new ones", async () => {
    const { runtime } = startRuntime(providerConfig(server, "openai-completions"));
    server.enqueue({ text: "x", hang: true });
    const active = runtime.submit({ sessionKey: "s-close", message: "one" });
    const queued = runtime.submit({ sessionKey: "s-close", message: "two" });
    await server.waitForRequests(1);

    await runtime.close();

    expect((await active.done).error?.code).toBe("QUEUE_CLOSED");
    expect((await queued.done).error?.code).toBe("QUEUE_CLOSED");
    const late = await runtime.submit({ sessionKey: "s-close", message: "three" }).done;
    expect(late.error?.code).toBe("QUEUE_CLOSED");
  });
});

describe("retries and fallbacks", () => {
  it("retries a 429, honouring Retry-After, before any token streamed", async () => {
    const { runtime } = startRuntime(providerConfig(server, "openai-completions"));
    server.enqueue({ status: 429, retryAfterSeconds: 1 }, { text: "after the wait" });

    const result = await runtime.submit({ sessionKey: "s-429", message: "hi" }).done;

    expect(result).toMatchObject({ status: "ok", text: "after the wait" });
    const [first, second] = server.requests;
    expect((second?.receivedAt ?? 0) - (first?.receivedAt ?? 0)).toBeGreaterThanOrEqual(900);
  });

  it("runs a session of agent:<id>:... with that agent's model when the request names no agent", async () => {
    const config = providerConfig(server, "openai-completions", [{ id: "fast" }, { id: "slow" }]);
    config.agents = { defaults: { model: "fake/fast" }, list: [{ id: "ops", model: "fake/slow" }] };
    const { runtime } = startRuntime(config);
    server.setDefaultReply(() => ({ text: "ok" }));

    const result = await runtime.submit({ sessionKey: "agent:ops:main", message: "hi" }).done;

    expect(result).toMatchObject({ status: "ok", model: "fake/slow" });
    expect(server.requests.map((r) => r.model)).toEqual(["slow"]);
  });

  it("falls back to the next model when the primary keeps failing", async () => {
    const config = providerConfig(server, "openai-completions", [{ id: "primary" }, { id: "backup" }]);
    config.agents = { defaults: { model: { primary: "fake/primary", fallbacks: ["fake/backup"] } } };
    const { runtime, eventsOf } = startRuntime(config);
    server.setDefaultReply((request) =>
      request.model === "primary" ? { status: 500 } : { text: "from backup" },
    );

    const handle = runtime.submit({ sessionKey: "s-fb", message: "hi" });
    const result = await handle.done;

    expect(result).toMatchObject({ status: "ok", text: "from backup", model: "fake/backup" });
    expect(server.requests.map((r) => r.model)).toEqual(["primary", "primary", "primary", "backup"]);
    const fallback = eventsOf(handle.runId).find((e) => e.data.phase === "fallback");
    expect(fallback?.data).toMatchObject({ model: "fake/backup", from: "fake/primary" });
  });

  it("reports a provider error without leaking the API key", async () => {
    const guarded = await startFakeModelServer({ apiKey: "the-right-key" });
    try {
      const { runtime } = startRuntime(providerConfig(guarded, "openai-responses"));
      const result = await runtime.submit({ sessionKey: "s-auth", message: "hi" }).done;

      expect(result).toMatchObject({ status: "error", error: { code: "PROVIDER_ERROR" } });
      expect(JSON.stringify(result)).not.toContain(API_KEY);
      expect(guarded.requests).toHaveLength(1);
    } finally {
      await guarded.close();
    }
  });
});

describe("configuration", () => {
  it("fails fast with NO_PROVIDER_CONFIGURED and keeps the user message", async () => {
    const { runtime, transcripts, eventsOf } = startRuntime({});

    const handle = runtime.submit({ sessionKey: "s-none", message: "anyone?" });
    const result = await handle.done;

    expect(result).toMatchObject({
      status: "error",
      error: { code: "NO_PROVIDER_CONFIGURED", message: NO_PROVIDER_MESSAGE },
    });
    expect(eventsOf(handle.runId).map((e) => e.stream)).toEqual(["lifecycle", "error", "lifecycle"]);
    expect(transcripts.entries.get("s-none")).toMatchObject([{ role: "user", text: "anyone?" }]);
    expect(() => runtime.resolveModel()).toThrow(expect.objectContaining({ code: "NO_PROVIDER_CONFIGURED" }));
  });

  it("assumes an openai provider when only OPENAI_API_KEY is set", () => {
    const { runtime } = startRuntime({}, { OPENAI_API_KEY: "sk-from-env-123456" });

    expect(runtime.resolveModel()).toEqual({
      provider: "openai",
      model: "gpt-5-mini",
      ref: "openai/gpt-5-mini",
      reasoning: true,
    });
    expect(runtime.listModels()).toEqual([
      { id: "gpt-5-mini", name: "gpt-5-mini", provider: "openai", available: true },
    ]);
  });

  it("lists configured models and flags a hosted api without a key", () => {
    const { runtime } = startRuntime({
      models: {
        providers: {
          local: {
            baseUrl: "http://127.0.0.1:1/v1",
            api: "openai-completions",
            models: [{ id: "llama", contextWindow: 8192 }],
          },
          claude: {
            baseUrl: "http://127.0.0.1:1/v1",
            api: "anthropic-messages",
            apiKey: `\${MISSING_KEY}`,
            models: [{ id: "c" }],
          },
        },
      },
    });

    expect(runtime.listModels()).toEqual([
      { id: "llama", name: "llama", provider: "local", contextWindow: 8192, available: true },
      { id: "c", name: "c", provider: "claude", available: false, unavailableReason: "missing-auth" },
    ]);
    expect(() => runtime.resolveModel("local/nope")).toThrow(
      expect.objectContaining({ code: "MODEL_NOT_FOUND" }),
    );
  });

  it("trims old turns to fit a tiny context window", async () => {
    const { runtime, transcripts } = startRuntime(
      providerConfig(server, "openai-completions", [{ id: "tiny", contextWindow: 400 }]),
    );
    const history: TranscriptEntry[] = [];
    for (let i = 0; i < 30; i++) {
      history.push({ role: "user", text: `question ${i} ${"x".repeat(80)}`, ts: i });
      history.push({ role: "assistant", text: `answer ${i} ${"y".repeat(80)}`, ts: i });
    }
    transcripts.entries.set("s-trim", history);
    server.enqueue({ text: "fits" });

    const result = await runtime.submit({ sessionKey: "s-trim", message: "latest" }).done;

    expect(result).toMatchObject({ status: "ok", text: "fits" });
    const body = JSON.stringify(server.requests[0]?.body);
    expect(body).toContain("answer 29");
    expect(body).not.toContain("question 0 ");
    expect(body).toMatch(/\d+ earlier turns were dropped/);
    expect(body.length).toBeLessThan(400 * 4 * 2);
  });

  it("uses the agent's system prompt plus the request's, and ephemeral history without a transcript", async () => {
    const config = providerConfig(server, "openai-completions");
    config.agents = {
      ...config.agents,
      list: [{ id: "helper", systemPrompt: "You are the helper." }],
    };
    const { runtime, transcripts } = startRuntime(config);
    server.enqueue({ text: "stateless" });

    const result = await runtime.submit({
      sessionKey: "s-eph",
      agentId: "helper",
      message: "now",
      systemPrompt: "Be brief.",
      ephemeral: { history: [{ role: "user", text: "earlier", ts: 1 }] },
    }).done;

    expect(result.text).toBe("stateless");
    const body = JSON.stringify(server.requests[0]?.body);
    expect(body).toContain("You are the helper.\\n\\nBe brief.");
    expect(body).toContain("earlier");
    expect(transcripts.entries.has("s-eph")).toBe(false);
  });
});
