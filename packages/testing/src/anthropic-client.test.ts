import Anthropic from "@anthropic-ai/sdk";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeModelServer, startFakeModelServer } from "./index.js";

let server: FakeModelServer;
let client: Anthropic;

beforeEach(async () => {
  server = await startFakeModelServer({ apiKey: "sk-ant-fake" });
  // The Anthropic client appends /v1 itself, so it takes the bare server URL.
  client = new Anthropic({ baseURL: server.url, apiKey: "sk-ant-fake", maxRetries: 0 });
});

afterEach(async () => {
  await server.close();
});

const params = {
  model: "claude-fake-1",
  max_tokens: 256,
  messages: [{ role: "user" as const, content: "Weather in Oslo?" }],
};
const weatherCall = { id: "toolu_weather", name: "get_weather", arguments: { city: "Oslo" } };

describe("anthropic messages", () => {
  it("create() without stream: text and usage", async () => {
    server.enqueue({ text: "Cold and clear.", usage: { inputTokens: 20, outputTokens: 4 } });
    const message = await client.messages.create(params);
    expect(message.content).toEqual([{ type: "text", text: "Cold and clear." }]);
    expect(message.stop_reason).toBe("end_turn");
    expect(message.usage).toMatchObject({ input_tokens: 20, output_tokens: 4 });
    // Depending on its version the client sends the key as x-api-key or as a bearer token; the fake takes both.
    const headers = server.requests[0]?.headers;
    expect(headers?.["x-api-key"] ?? headers?.authorization).toMatch(/sk-ant-fake$/);
    expect(server.requests[0]?.headers["anthropic-version"]).toBeDefined();
  });

  it("create() without stream: tool_use blocks", async () => {
    server.enqueue({ text: "Looking it up.", toolCalls: [weatherCall] });
    const message = await client.messages.create(params);
    expect(message.stop_reason).toBe("tool_use");
    expect(message.content[1]).toEqual({
      type: "tool_use",
      id: "toolu_weather",
      name: "get_weather",
      input: { city: "Oslo" },
    });
  });

  it("create() with stream: raw events in order", async () => {
    server.enqueue({ chunks: ["Cold ", "and ", "clear."], usage: { inputTokens: 20, outputTokens: 4 } });
    const stream = await client.messages.create({ ...params, stream: true });
    const types: string[] = [];
    const text: string[] = [];
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === "content_block_delta" && event.delta.type === "text_delta")
        text.push(event.delta.text);
    }
    expect(text).toEqual(["Cold ", "and ", "clear."]);
    expect(types[0]).toBe("message_start");
    expect(types.slice(-3)).toEqual(["content_block_stop", "message_delta", "message_stop"]);
  });

  it("messages.stream() assembles text and tool input into the final message", async () => {
    server.enqueue({
      text: "Checking.",
      toolCalls: [weatherCall, { name: "get_time", arguments: { zone: "Europe/Oslo", precise: true } }],
      usage: { inputTokens: 30, outputTokens: 12 },
    });
    const stream = client.messages.stream(params);
    const deltas: string[] = [];
    stream.on("text", (delta) => deltas.push(delta));
    const message = await stream.finalMessage();
    expect(deltas.join("")).toBe("Checking.");
    expect(message.stop_reason).toBe("tool_use");
    expect(message.usage).toMatchObject({ input_tokens: 30, output_tokens: 12 });
    expect(message.content[0]).toMatchObject({ type: "text", text: "Checking." });
    expect(message.content[1]).toMatchObject({
      type: "tool_use",
      id: "toolu_weather",
      input: { city: "Oslo" },
    });
    expect(message.content[2]).toMatchObject({
      type: "tool_use",
      id: expect.stringMatching(/^toolu_/),
      name: "get_time",
      input: { zone: "Europe/Oslo", precise: true },
    });
  });

  it("maps 429 to RateLimitError with Retry-After and the error type", async () => {
    server.enqueue({ status: 429, retryAfterSeconds: 5 });
    const error = await client.messages.create(params).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    const rateLimit = error as InstanceType<typeof Anthropic.RateLimitError>;
    expect(rateLimit.headers?.get("retry-after")).toBe("5");
    expect(rateLimit.error).toMatchObject({ type: "error", error: { type: "rate_limit_error" } });
  });

  it("maps 500 to InternalServerError and a wrong key to AuthenticationError", async () => {
    server.enqueue({ status: 500 });
    await expect(client.messages.stream(params).finalMessage()).rejects.toBeInstanceOf(
      Anthropic.InternalServerError,
    );
    const wrong = new Anthropic({ baseURL: server.url, apiKey: "nope", maxRetries: 0 });
    await expect(wrong.messages.create(params)).rejects.toBeInstanceOf(Anthropic.AuthenticationError);
  });

  it("abort ends a hanging stream after its text arrived", async () => {
    server.enqueue({ text: "half an answer", hang: true });
    const stream = client.messages.stream(params);
    stream.on("text", (_delta, snapshot) => {
      if (snapshot === "half an answer") stream.abort();
    });
    await expect(stream.finalMessage()).rejects.toBeInstanceOf(Anthropic.APIUserAbortError);
  });

  it("close() ends a hanging request with a connection error", async () => {
    server.enqueue({ hang: true, delayMs: 10 });
    const pending = client.messages.create(params).catch((caught: unknown) => caught);
    await server.waitForRequests(1);
    await server.close();
    expect(await pending).toBeInstanceOf(Anthropic.APIConnectionError);
  });
});
