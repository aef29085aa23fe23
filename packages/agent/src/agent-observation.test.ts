import type { FakeApi } from "@openclaw/testing";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { observedTokens } from "./model-call-observation.js";
import type { AgentObservation } from "./observation.js";
import { APIS, providerConfig, server, startRuntime, useFakeModelServer } from "./runtime-test-env.js";
import type { AgentTool } from "./types.js";

useFakeModelServer();

const failingTool: AgentTool = {
  name: "explode",
  description: "Always fails",
  parameters: z.object({}),
  async execute() {
    throw new Error("boom");
  },
};

const lookupTool: AgentTool = {
  name: "lookup",
  description: "Looks a value up",
  parameters: z.object({ q: z.string() }),
  async execute() {
    return { found: true };
  },
};

describe.each(APIS as FakeApi[])("%s observations", (api) => {
  it("reports the run, each provider request with its tokens, and each tool execution", async () => {
    const seen: AgentObservation[] = [];
    const { runtime } = startRuntime(providerConfig(server, api), {}, { observe: (o) => seen.push(o) });
    runtime.tools.register(lookupTool);
    server.enqueue(
      {
        toolCalls: [{ id: "call_1", name: "lookup", arguments: { q: "x" } }],
        usage: { inputTokens: 40, outputTokens: 5 },
      },
      { text: "found it", usage: { inputTokens: 60, outputTokens: 9 } },
    );
    const handle = runtime.submit({ sessionKey: "agent:ops:main", message: "look" });
    const result = await handle.done;
    expect(result.status).toBe("ok");

    expect(seen.map((o) => o.type)).toEqual([
      "run.start",
      // The SDK ends a step after its tools ran, so the request is reported after the tool (timed up to its end).
      "tool.call",
      "model.call",
      "run.first_token",
      "model.call",
      "run.end",
    ]);
    const calls = seen.filter((o) => o.type === "model.call");
    expect(calls.map((c) => [c.provider, c.model, c.outcome, c.usage.input, c.usage.output])).toEqual([
      ["fake", "fake-model", "ok", 40, 5],
      ["fake", "fake-model", "ok", 60, 9],
    ]);
    expect(calls[0]?.finishReason).toBe("tool-calls");
    for (const call of calls) expect(call.endedAt).toBeGreaterThanOrEqual(call.startedAt);
    const tool = seen.find((o) => o.type === "tool.call");
    expect(tool).toMatchObject({ tool: "lookup", toolCallId: "call_1", outcome: "ok", agentId: "ops" });
    const start = seen.find((o) => o.type === "run.start");
    expect(start?.type === "run.start" && start.startedAt >= start.queuedAt).toBe(true);
    expect(seen.at(-1)).toMatchObject({
      type: "run.end",
      status: "ok",
      provider: "fake",
      model: "fake-model",
    });
    expect(new Set(seen.map((o) => o.runId))).toEqual(new Set([handle.runId]));
  });
});

describe("observations of failures", () => {
  it("reports a failing tool as an error and a failed provider request with its category", async () => {
    const seen: AgentObservation[] = [];
    const { runtime } = startRuntime(
      providerConfig(server, "openai-completions"),
      {},
      { observe: (o) => seen.push(o), retry: { maxRetries: 0 } },
    );
    runtime.tools.register(failingTool);
    server.enqueue({ toolCalls: [{ id: "call_x", name: "explode", arguments: {} }] }, { status: 429 });
    const result = await runtime.submit({ sessionKey: "agent:main:main", message: "go" }).done;
    expect(result.status).toBe("error");

    expect(seen.find((o) => o.type === "tool.call")).toMatchObject({ outcome: "error", tool: "explode" });
    const calls = seen.filter((o) => o.type === "model.call");
    expect(calls.map((c) => c.outcome)).toEqual(["ok", "error"]);
    expect(calls[1]).toMatchObject({ errorCategory: "rate_limit", usage: { input: 0, output: 0 } });
    expect(seen.at(-1)).toMatchObject({ type: "run.end", status: "error" });
  });

  it("splits cached input from the rest so each kind is priced once", () => {
    expect(
      observedTokens({
        inputTokens: 100,
        inputTokenDetails: { noCacheTokens: undefined, cacheReadTokens: 70, cacheWriteTokens: 10 },
        outputTokens: 3,
        outputTokenDetails: { textTokens: 3, reasoningTokens: undefined },
        totalTokens: 103,
      }),
    ).toEqual({ input: 20, output: 3, cacheRead: 70, cacheWrite: 10 });
  });
});
