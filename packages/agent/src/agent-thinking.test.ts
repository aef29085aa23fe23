import type { FakeApi, RecordedRequest } from "@openclaw/testing";
import { describe, expect, it } from "vitest";
import type { AgentRuntimeConfig, ModelEntry } from "./config-schema.js";
import { APIS, providerConfig, server, startRuntime, useFakeModelServer } from "./runtime-test-env.js";
import {
  ANTHROPIC_THINKING_BUDGETS,
  modelReasons,
  normalizeThinkingLevel,
  reasoningProviderOptions,
  resolveThinkingLevel,
} from "./thinking-level.js";

useFakeModelServer();

/** The reasoning setting of one request body, under the name the provider's API gives it. */
function reasoningOf(api: FakeApi, request: RecordedRequest): unknown {
  const body = request.body as Record<string, unknown>;
  switch (api) {
    case "openai-completions":
      return body.reasoning_effort;
    case "openai-responses":
      return (body.reasoning as { effort?: unknown } | undefined)?.effort;
    case "anthropic-messages":
      return body.thinking;
  }
}

/** What each API's request carries for `high`. */
const HIGH: Record<FakeApi, unknown> = {
  "openai-completions": "high",
  "openai-responses": "high",
  "anthropic-messages": { type: "enabled", budget_tokens: 16_000 },
};

async function runOnce(
  config: AgentRuntimeConfig,
  options: { thinking?: string; sessionLevel?: string; agentId?: string } = {},
): Promise<RecordedRequest> {
  const { runtime } = startRuntime(
    config,
    {},
    options.sessionLevel === undefined ? {} : { sessionThinkingLevel: async () => options.sessionLevel },
  );
  const result = await runtime.submit({
    sessionKey: "s1",
    message: "think about it",
    ...(options.thinking === undefined ? {} : { thinking: options.thinking }),
    ...(options.agentId === undefined ? {} : { agentId: options.agentId }),
  }).done;
  expect(result.status).toBe("ok");
  const [request] = await server.waitForRequests(1);
  return request as RecordedRequest;
}

const reasoner: ModelEntry = { id: "fake-model", reasoning: true };

describe.each(APIS as FakeApi[])("%s", (api) => {
  it("sends the session's thinking level to a model whose entry says it reasons", async () => {
    const request = await runOnce(providerConfig(server, api, [reasoner]), { sessionLevel: "high" });
    expect(reasoningOf(api, request)).toEqual(HIGH[api]);
  });

  it("never sends a level to a model that does not reason, whatever the level", async () => {
    for (const models of [[{ id: "gpt-4o" }], [{ id: "gpt-5-mini", reasoning: false }]]) {
      const request = await runOnce(providerConfig(server, api, models), { sessionLevel: "high" });
      expect(reasoningOf(api, request)).toBeUndefined();
      expect(request.body).not.toHaveProperty("reasoning_effort");
      expect(request.body).not.toHaveProperty("thinking");
      expect(JSON.stringify(request.body)).not.toContain("effort");
      server.reset();
    }
  });

  it("treats a known reasoning model id as reasoning when its entry does not say", async () => {
    const id = api === "anthropic-messages" ? "claude-sonnet-4-5" : "gpt-5-mini";
    const request = await runOnce(providerConfig(server, api, [{ id }]), { thinking: "high" });
    expect(reasoningOf(api, request)).toEqual(HIGH[api]);
  });

  it("sends nothing at off, the default when no layer sets a level", async () => {
    for (const options of [{}, { sessionLevel: "off" }]) {
      const request = await runOnce(providerConfig(server, api, [reasoner]), options);
      expect(reasoningOf(api, request)).toBeUndefined();
      server.reset();
    }
  });
});

describe("thinking level resolution", () => {
  const config = (agentDefault?: string, globalDefault?: string): AgentRuntimeConfig => {
    const base = providerConfig(server, "openai-completions", [reasoner]);
    return {
      ...base,
      agents: {
        defaults: {
          ...base.agents?.defaults,
          ...(globalDefault === undefined ? {} : { thinkingDefault: globalDefault }),
        },
        list: [{ id: "ops", ...(agentDefault === undefined ? {} : { thinkingDefault: agentDefault }) }],
      },
    };
  };

  it("takes the request's level over the session's, the agent's and the global default", async () => {
    const request = await runOnce(config("medium", "minimal"), {
      thinking: "low",
      sessionLevel: "high",
      agentId: "ops",
    });
    expect(request.body.reasoning_effort).toBe("low");
  });

  it("falls through a request's `default` to the session, then the agent's and the global default", async () => {
    expect(
      (
        await runOnce(config("medium", "minimal"), {
          thinking: "default",
          sessionLevel: "high",
          agentId: "ops",
        })
      ).body.reasoning_effort,
    ).toBe("high");
    server.reset();
    expect((await runOnce(config("medium", "low"), { agentId: "ops" })).body.reasoning_effort).toBe("medium");
    server.reset();
    expect((await runOnce(config(undefined, "low"), { agentId: "ops" })).body.reasoning_effort).toBe("low");
  });

  it("runs at the configured default when the session's level cannot be read", async () => {
    const { runtime } = startRuntime(
      config(undefined, "medium"),
      {},
      {
        sessionThinkingLevel: async () => {
          throw new Error("session store offline");
        },
      },
    );
    expect((await runtime.submit({ sessionKey: "s1", message: "hi" }).done).status).toBe("ok");
    const [request] = await server.waitForRequests(1);
    expect(request?.body.reasoning_effort).toBe("medium");
  });

  it("asks for the session's history, model and thinking level together, before any of them answers", async () => {
    const asked: string[] = [];
    let answer!: () => void;
    const answered = new Promise<void>((resolve) => {
      answer = resolve;
    });
    const reading =
      <T>(what: string, value: T) =>
      async () => {
        asked.push(what);
        await answered;
        return value;
      };
    const { runtime, transcripts } = startRuntime(
      config(undefined, "low"),
      {},
      { sessionModel: reading("model", undefined), sessionThinkingLevel: reading("thinking", "high") },
    );
    const read = transcripts.read.bind(transcripts);
    transcripts.read = async (sessionKey) => {
      await reading("history", undefined)();
      return read(sessionKey);
    };
    const run = runtime.submit({ sessionKey: "s1", message: "hi" });
    await expect.poll(() => [...asked].sort(), { timeout: 30_000 }).toEqual(["history", "model", "thinking"]);
    answer();
    expect((await run.done).status).toBe("ok");
    const [request] = await server.waitForRequests(1);
    expect(request?.body.reasoning_effort).toBe("high");
  });

  it("ignores a stored word that is no level and reads OpenClaw's aliases", () => {
    const layers = { agentId: "main" };
    expect(resolveThinkingLevel({ ...layers, session: "loud" }, config(undefined, "low"))).toBe("low");
    expect(resolveThinkingLevel({ ...layers, request: "None", session: "high" }, {})).toBe("off");
    expect(normalizeThinkingLevel("auto")).toBe("adaptive");
    expect(normalizeThinkingLevel("extra-high")).toBe("xhigh");
    expect(normalizeThinkingLevel("inherit")).toBeUndefined();
  });

  it("tells which models reason and reports it from resolveModel", () => {
    expect(
      ["o3", "o4-mini", "gpt-5", "openai/gpt-5.1", "claude-3-7-sonnet-latest", "claude-opus-4-1"].map((id) =>
        modelReasons(undefined, id),
      ),
    ).toEqual([true, true, true, true, true, true]);
    expect(
      ["gpt-4o", "gpt-5-chat-latest", "claude-3-5-sonnet-latest", "llama3"].map((id) =>
        modelReasons(undefined, id),
      ),
    ).toEqual([false, false, false, false]);
    expect(modelReasons({ id: "my-r1", reasoning: true }, "my-r1")).toBe(true);
    const { runtime } = startRuntime(providerConfig(server, "openai-completions", [reasoner]));
    expect(runtime.resolveModel()).toMatchObject({ ref: "fake/fake-model", reasoning: true });
  });
});

describe("reasoning provider options", () => {
  it("maps OpenClaw's levels onto OpenAI's efforts: minimal only where the model takes it, high at most", () => {
    const effort = (level: Parameters<typeof reasoningProviderOptions>[1], id: string) =>
      reasoningProviderOptions("openai-completions", level, undefined, id)?.openaiCompatible?.reasoningEffort;
    expect(effort("minimal", "gpt-5-mini")).toBe("minimal");
    expect(effort("minimal", "o3")).toBe("low");
    expect(effort("adaptive", "o3")).toBe("medium");
    expect(effort("xhigh", "gpt-5")).toBe("high");
    expect(effort("ultra", "gpt-5")).toBe("high");
  });

  it("gives Anthropic a budget that grows with the level, never under the API's 1024", () => {
    const budgets = (["minimal", "low", "medium", "high", "xhigh", "max"] as const).map(
      (level) => ANTHROPIC_THINKING_BUDGETS[level],
    );
    expect(budgets).toEqual([...budgets].sort((a, b) => a - b));
    expect(Math.min(...budgets)).toBeGreaterThanOrEqual(1024);
    expect(reasoningProviderOptions("anthropic-messages", "low", undefined, "claude-sonnet-4-5")).toEqual({
      anthropic: { thinking: { type: "enabled", budgetTokens: 4_096 } },
    });
  });

  it("keeps Anthropic's top budget under the model's output limit, which the API requires", async () => {
    // Claude Opus 4.1 writes at most 32k tokens; the SDK cuts max_tokens (answer + budget) to that.
    const models = [{ id: "claude-opus-4-1", maxTokens: 16_000 }];
    const request = await runOnce(providerConfig(server, "anthropic-messages", models), {
      thinking: "ultra",
    });
    const body = request.body as { max_tokens: number; thinking: { budget_tokens: number } };
    expect(body.thinking.budget_tokens).toBe(ANTHROPIC_THINKING_BUDGETS.ultra);
    expect(body.thinking.budget_tokens).toBeLessThan(body.max_tokens);
  });

  it("sends nothing for a provider api this runtime cannot speak", () => {
    expect(reasoningProviderOptions(undefined, "high", reasoner, "fake-model")).toBeUndefined();
  });
});
