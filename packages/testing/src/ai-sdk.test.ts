import { createAnthropic } from "@ai-sdk/anthropic";
import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { APICallError, generateText, jsonSchema, type LanguageModel, streamText, tool } from "ai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FakeApi, type FakeModelServer, startFakeModelServer } from "./index.js";

// The gateway's agent runtime talks to providers through these adapters; their zod schemas are stricter
// than the official clients, so each must parse the fake's answers unchanged.
let server: FakeModelServer;

beforeAll(async () => {
  server = await startFakeModelServer({ apiKey: "sk-fake" });
});

beforeEach(() => {
  server.reset();
});

afterAll(async () => {
  await server.close();
});

const models: Array<{ label: string; api: FakeApi; model: () => LanguageModel }> = [
  {
    label: "@ai-sdk/openai chat",
    api: "openai-completions",
    model: () =>
      createOpenAI({ baseURL: server.baseUrlFor("openai-completions"), apiKey: "sk-fake" }).chat("gpt-4o"),
  },
  {
    label: "@ai-sdk/openai responses",
    api: "openai-responses",
    model: () =>
      createOpenAI({ baseURL: server.baseUrlFor("openai-responses"), apiKey: "sk-fake" }).responses(
        "gpt-4.1",
      ),
  },
  {
    label: "@ai-sdk/anthropic",
    api: "anthropic-messages",
    model: () =>
      createAnthropic({ baseURL: server.baseUrlFor("anthropic-messages"), apiKey: "sk-fake" })(
        "claude-fake-1",
      ),
  },
  {
    label: "@ai-sdk/openai-compatible",
    api: "openai-completions",
    model: () =>
      createOpenAICompatible({
        name: "local",
        baseURL: server.baseUrlFor("openai-completions"),
        apiKey: "sk-fake",
        includeUsage: true,
      }).chatModel("llama-fake"),
  },
];

const tools = {
  get_weather: tool({
    description: "Weather for a city",
    inputSchema: jsonSchema<{ city: string }>({
      type: "object",
      properties: { city: { type: "string" } },
      required: ["city"],
    }),
  }),
};

describe.each(models)("$label", ({ api, model }) => {
  it("generateText: text and usage", async () => {
    server.enqueue({ text: "Fine, thanks.", usage: { inputTokens: 15, outputTokens: 3 } });
    const result = await generateText({ model: model(), prompt: "How are you?", maxRetries: 0 });
    expect(result.text).toBe("Fine, thanks.");
    expect(result.finishReason).toBe("stop");
    expect(result.usage).toMatchObject({ inputTokens: 15, outputTokens: 3 });
    expect(server.requests[0]?.api).toBe(api);
  });

  it("generateText: tool calls", async () => {
    server.enqueue({ toolCalls: [{ id: "call_1", name: "get_weather", arguments: { city: "Lima" } }] });
    const result = await generateText({ model: model(), prompt: "Weather in Lima?", tools, maxRetries: 0 });
    expect(result.finishReason).toBe("tool-calls");
    expect(result.toolCalls).toHaveLength(1);
    expect(result.toolCalls[0]).toMatchObject({
      toolCallId: "call_1",
      toolName: "get_weather",
      input: { city: "Lima" },
    });
  });

  it("streamText: text deltas and usage", async () => {
    server.enqueue({ chunks: ["Str", "eam", "ed."], usage: { inputTokens: 8, outputTokens: 3 } });
    const result = streamText({ model: model(), prompt: "Stream please", maxRetries: 0 });
    const deltas: string[] = [];
    for await (const delta of result.textStream) deltas.push(delta);
    expect(deltas.join("")).toBe("Streamed.");
    expect(await result.finishReason).toBe("stop");
    expect(await result.usage).toMatchObject({ inputTokens: 8, outputTokens: 3 });
    expect(server.requests[0]?.stream).toBe(true);
  });

  it("streamText: streamed tool call arguments", async () => {
    server.enqueue({
      text: "One moment.",
      toolCalls: [{ id: "call_2", name: "get_weather", arguments: { city: "São Paulo" } }],
    });
    const result = streamText({ model: model(), prompt: "Weather?", tools, maxRetries: 0 });
    expect(await result.text).toBe("One moment.");
    expect(await result.finishReason).toBe("tool-calls");
    const calls = await result.toolCalls;
    expect(calls[0]).toMatchObject({
      toolCallId: "call_2",
      toolName: "get_weather",
      input: { city: "São Paulo" },
    });
  });

  it("surfaces a 429 as a retryable APICallError", async () => {
    server.enqueue({ status: 429, retryAfterSeconds: 1 });
    const error = await generateText({ model: model(), prompt: "x", maxRetries: 0 }).catch(
      (caught: unknown) => caught,
    );
    expect(APICallError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ statusCode: 429, isRetryable: true });
    expect((error as APICallError).responseHeaders?.["retry-after"]).toBe("1");
  });
});
