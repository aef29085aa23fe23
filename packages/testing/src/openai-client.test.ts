import OpenAI from "openai";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeModelServer, startFakeModelServer } from "./index.js";

// The official client must accept every answer the fake gives: it is the parser most users' code goes through.
let server: FakeModelServer;
let client: OpenAI;

beforeEach(async () => {
  server = await startFakeModelServer({ apiKey: "sk-fake" });
  client = new OpenAI({ baseURL: server.baseUrlFor("openai-completions"), apiKey: "sk-fake", maxRetries: 0 });
});

afterEach(async () => {
  await server.close();
});

const weatherCall = { id: "call_weather", name: "get_weather", arguments: { city: "Paris", unit: "c" } };
const messages = [{ role: "user" as const, content: "What is the weather in Paris?" }];

describe("openai chat.completions", () => {
  it("create() without stream: text and usage", async () => {
    server.enqueue({ text: "Sunny, 21 degrees.", usage: { inputTokens: 12, outputTokens: 5 } });
    const completion = await client.chat.completions.create({ model: "gpt-4o-mini", messages });
    expect(completion.choices[0]?.message.content).toBe("Sunny, 21 degrees.");
    expect(completion.choices[0]?.finish_reason).toBe("stop");
    expect(completion.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 5, total_tokens: 17 });
    expect(server.requests[0]?.headers.authorization).toBe("Bearer sk-fake");
  });

  it("create() without stream: tool calls", async () => {
    server.enqueue({ toolCalls: [weatherCall] });
    const completion = await client.chat.completions.create({ model: "gpt-4o-mini", messages });
    const choice = completion.choices[0];
    expect(choice?.finish_reason).toBe("tool_calls");
    expect(choice?.message.content).toBeNull();
    expect(choice?.message.tool_calls).toEqual([
      {
        id: "call_weather",
        type: "function",
        function: { name: "get_weather", arguments: JSON.stringify(weatherCall.arguments) },
      },
    ]);
  });

  it("create() with stream: text chunks and the usage chunk", async () => {
    server.enqueue({ chunks: ["Sun", "ny ", "today."], usage: { inputTokens: 9, outputTokens: 3 } });
    const stream = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    const pieces: string[] = [];
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      const content = chunk.choices[0]?.delta.content;
      if (content) pieces.push(content);
      if (chunk.usage) usage = chunk.usage;
    }
    expect(pieces).toEqual(["Sun", "ny ", "today."]);
    expect(usage).toMatchObject({ prompt_tokens: 9, completion_tokens: 3 });
    expect(server.requests[0]?.stream).toBe(true);
  });

  it("stream() helper accumulates streamed tool calls", async () => {
    server.enqueue({
      text: "Let me check.",
      toolCalls: [weatherCall, { name: "get_time", arguments: { zone: "Europe/Paris" } }],
    });
    const final = await client.chat.completions
      .stream({ model: "gpt-4o-mini", messages })
      .finalChatCompletion();
    const message = final.choices[0]?.message;
    expect(message?.content).toBe("Let me check.");
    expect(final.choices[0]?.finish_reason).toBe("tool_calls");
    const calls = (message?.tool_calls ?? []).map((call) =>
      call.type === "function"
        ? { id: call.id, name: call.function.name, args: JSON.parse(call.function.arguments) }
        : call,
    );
    expect(calls[0]).toEqual({ id: "call_weather", name: "get_weather", args: { city: "Paris", unit: "c" } });
    expect(calls[1]).toMatchObject({
      id: expect.stringMatching(/^call_/),
      name: "get_time",
      args: { zone: "Europe/Paris" },
    });
  });
});

describe("openai responses", () => {
  it("create() without stream: text, output_text and usage", async () => {
    server.enqueue({ text: "Hello from responses.", usage: { inputTokens: 4, outputTokens: 6 } });
    const response = await client.responses.create({
      model: "gpt-4.1",
      input: "hi",
      instructions: "be nice",
    });
    expect(response.output_text).toBe("Hello from responses.");
    expect(response.status).toBe("completed");
    expect(response.instructions).toBe("be nice");
    expect(response.usage).toMatchObject({ input_tokens: 4, output_tokens: 6, total_tokens: 10 });
  });

  it("create() without stream: function calls", async () => {
    server.enqueue({ toolCalls: [weatherCall] });
    const response = await client.responses.create({ model: "gpt-4.1", input: "weather?" });
    const call = response.output.find((item) => item.type === "function_call");
    expect(call).toMatchObject({ call_id: "call_weather", name: "get_weather", status: "completed" });
    expect(JSON.parse(call?.type === "function_call" ? call.arguments : "")).toEqual(weatherCall.arguments);
  });

  it("create() with stream: text deltas then response.completed with usage", async () => {
    server.enqueue({ chunks: ["Hel", "lo"], usage: { inputTokens: 2, outputTokens: 2 } });
    const stream = await client.responses.create({ model: "gpt-4.1", input: "hi", stream: true });
    const deltas: string[] = [];
    let completed: OpenAI.Responses.Response | undefined;
    for await (const event of stream) {
      if (event.type === "response.output_text.delta") deltas.push(event.delta);
      if (event.type === "response.completed") completed = event.response;
    }
    expect(deltas).toEqual(["Hel", "lo"]);
    expect(completed?.usage?.total_tokens).toBe(4);
  });

  it("stream() helper builds the final response with text and a function call", async () => {
    server.enqueue({ text: "Checking.", toolCalls: [weatherCall] });
    const final = await client.responses.stream({ model: "gpt-4.1", input: "weather?" }).finalResponse();
    expect(final.output_text).toBe("Checking.");
    const call = final.output.find((item) => item.type === "function_call");
    expect(call?.type === "function_call" && JSON.parse(call.arguments)).toEqual(weatherCall.arguments);
  });
});

describe("openai errors", () => {
  it("maps 429 to RateLimitError with the Retry-After header", async () => {
    server.enqueue({ status: 429, retryAfterSeconds: 2 });
    const error = await client.chat.completions
      .create({ model: "m", messages })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).headers.get("retry-after")).toBe("2");
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).code).toBe("rate_limit_exceeded");
  });

  it("maps 500 to InternalServerError, for a stream too", async () => {
    server.enqueue({ status: 500 });
    const error = await client.responses
      .create({ model: "m", input: "x", stream: true })
      .catch((caught) => caught);
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
  });

  it("maps a wrong key to AuthenticationError", async () => {
    const wrong = new OpenAI({
      baseURL: server.baseUrlFor("openai-responses"),
      apiKey: "sk-wrong",
      maxRetries: 0,
    });
    const error = await wrong.responses.create({ model: "m", input: "x" }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it("retries a 429 on its own and then succeeds", async () => {
    server.enqueue({ status: 429, retryAfterSeconds: 0 }, { text: "after retry" });
    const retrying = new OpenAI({
      baseURL: server.baseUrlFor("openai-completions"),
      apiKey: "sk-fake",
      maxRetries: 1,
    });
    const completion = await retrying.chat.completions.create({ model: "m", messages });
    expect(completion.choices[0]?.message.content).toBe("after retry");
    expect(server.requests).toHaveLength(2);
  });

  it("an abort ends a hanging stream, and a timeout ends a hanging request", async () => {
    server.enqueue({ text: "stalling", hang: true }, { hang: true });
    const controller = new AbortController();
    const stream = await client.chat.completions.create(
      { model: "m", messages, stream: true },
      { signal: controller.signal },
    );
    const seen: string[] = [];
    const finishReasons: unknown[] = [];
    // The client ends the iteration quietly on abort; reaching the line after the loop is the proof.
    for await (const chunk of stream) {
      seen.push(chunk.choices[0]?.delta.content ?? "");
      finishReasons.push(chunk.choices[0]?.finish_reason);
      if (seen.join("").includes("stalling")) controller.abort();
    }
    expect(seen.join("")).toBe("stalling");
    expect(finishReasons.every((reason) => reason === null)).toBe(true);
    const timedOut = await client.chat.completions
      .create({ model: "m", messages }, { timeout: 100 })
      .catch((caught: unknown) => caught);
    expect(timedOut).toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
  });
});
