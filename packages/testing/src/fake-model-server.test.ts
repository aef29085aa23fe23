import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeModelServer, FakeModelServerError, lastUserText, startFakeModelServer } from "./index.js";

/** Wire JSON, loosely typed the way `JSON.parse` types it: tests pick fields out of provider payloads. */
type Wire = ReturnType<typeof JSON.parse>;

let server: FakeModelServer;

const jsonOf = async (response: Response): Promise<Wire> => JSON.parse(await response.text());

beforeEach(async () => {
  server = await startFakeModelServer();
});

afterEach(async () => {
  await server.close();
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

const chatBody = (text: string, extra: object = {}) => ({
  model: "gpt-test",
  messages: [
    { role: "system", content: "be brief" },
    { role: "user", content: text },
  ],
  ...extra,
});

/** Reads an SSE body into its frames: `{ event?, data }` with data parsed unless it is `[DONE]`. */
async function readFrames(response: Response): Promise<Array<{ event?: string; data: unknown }>> {
  const text = await response.text();
  return text
    .split("\n\n")
    .filter((block) => block.trim() !== "")
    .map((block) => {
      const lines = block.split("\n");
      const event = lines.find((line) => line.startsWith("event: "))?.slice(7);
      const data = lines.find((line) => line.startsWith("data: "))?.slice(6) ?? "";
      return { ...(event && { event }), data: data === "[DONE]" ? data : JSON.parse(data) };
    });
}

describe("startFakeModelServer", () => {
  it("listens on loopback and gives one /v1 base URL for every API", () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.baseUrlFor("openai-completions")).toBe(`${server.url}/v1`);
    expect(server.baseUrlFor("openai-responses")).toBe(`${server.url}/v1`);
    expect(server.baseUrlFor("anthropic-messages")).toBe(`${server.url}/v1`);
  });

  it("echoes the last user text by default and records the request", async () => {
    const response = await post("/v1/chat/completions", chatBody("hello there"), { "x-trace": "t1" });
    expect(response.status).toBe(200);
    const json = await jsonOf(response);
    expect(json.choices[0].message.content).toBe("You said: hello there");
    const [request] = await server.waitForRequests(1);
    expect(request).toMatchObject({
      api: "openai-completions",
      path: "/v1/chat/completions",
      model: "gpt-test",
      stream: false,
    });
    expect(request?.headers["x-trace"]).toBe("t1");
    expect(request?.body.messages[1].content).toBe("hello there");
    expect(request?.receivedAt).toBeGreaterThan(0);
  });

  it("serves queued replies first in, first out across APIs, then the default", async () => {
    server.enqueue({ text: "one" }, { text: "two" });
    server.setDefaultReply({ text: "fallback" });
    const first = await jsonOf(await post("/v1/messages", { model: "claude-test", messages: [] }));
    const second = await jsonOf(await post("/v1/responses", { model: "gpt-test", input: "hi" }));
    const third = await jsonOf(await post("/v1/chat/completions", chatBody("x")));
    expect(first.content[0].text).toBe("one");
    expect(second.output[0].content[0].text).toBe("two");
    expect(third.choices[0].message.content).toBe("fallback");
    expect(server.requests.map((request) => request.api)).toEqual([
      "anthropic-messages",
      "openai-responses",
      "openai-completions",
    ]);
  });

  it("passes the recorded request to a default reply function", async () => {
    server.setDefaultReply((request) => ({
      text: `${request.api}:${request.model}:${lastUserText(request)}`,
    }));
    const json = await jsonOf(
      await post("/v1/responses", {
        model: "gpt-r",
        input: [{ role: "user", content: [{ type: "input_text", text: "ping" }] }],
      }),
    );
    expect(json.output[0].content[0].text).toBe("openai-responses:gpt-r:ping");
  });

  it("reset forgets requests and queued replies and restores the echo", async () => {
    server.enqueue({ text: "queued" });
    server.setDefaultReply({ text: "custom" });
    await post("/v1/chat/completions", chatBody("a"));
    server.reset();
    expect(server.requests).toHaveLength(0);
    server.enqueue();
    const json = await jsonOf(await post("/v1/chat/completions", chatBody("after reset")));
    expect(json.choices[0].message.content).toBe("You said: after reset");
  });

  it("keeps a body that is not JSON as text instead of refusing it", async () => {
    const response = await post("/v1/chat/completions", "not json{");
    expect(response.status).toBe(200);
    expect(server.requests[0]?.body).toBe("not json{");
    expect(server.requests[0]?.model).toBe("");
  });

  it("answers an unknown route with 404 JSON", async () => {
    const response = await post("/v1/nope", {});
    expect(response.status).toBe(404);
    expect(await jsonOf(response)).toEqual({
      error: {
        message: "Invalid URL (POST /v1/nope)",
        type: "invalid_request_error",
        param: null,
        code: null,
      },
    });
    expect((await fetch(`${server.url}/v1/chat/completions`)).status).toBe(404);
    expect(server.requests).toHaveLength(0);
  });

  it("lists models in OpenAI's list shape, including models seen in requests", async () => {
    await post("/v1/chat/completions", chatBody("x"));
    const json = await jsonOf(await fetch(`${server.url}/v1/models`));
    expect(json.object).toBe("list");
    expect(json.data.map((model: { id: string }) => model.id)).toEqual(["fake-model", "gpt-test"]);
    expect(json.data[0]).toEqual({
      id: "fake-model",
      object: "model",
      created: 0,
      owned_by: "openclaw-testing",
    });
  });

  it("waitForRequests resolves when the requests arrive", async () => {
    const waiting = server.waitForRequests(2);
    await post("/v1/chat/completions", chatBody("a"));
    await post("/v1/chat/completions", chatBody("b"));
    expect((await waiting).map((request) => lastUserText(request))).toEqual(["a", "b"]);
  });

  it("waitForRequests rejects with a typed error after its timeout", async () => {
    const error = await server.waitForRequests(1, 20).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FakeModelServerError);
    expect(error).toMatchObject({ code: "WAIT_TIMEOUT" });
    expect((error as Error).message).toContain(`${server.url}/v1`);
  });
});

describe("API key", () => {
  it("refuses requests without the key in each provider's error shape", async () => {
    const keyed = await startFakeModelServer({ apiKey: "sk-test" });
    try {
      const url = (path: string) => `${keyed.url}${path}`;
      const init = (headers: Record<string, string>) => ({
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify(chatBody("hi")),
      });
      const openai = await fetch(url("/v1/chat/completions"), init({ authorization: "Bearer wrong" }));
      expect(openai.status).toBe(401);
      expect((await jsonOf(openai)).error).toMatchObject({
        type: "invalid_request_error",
        code: "invalid_api_key",
      });
      const anthropic = await fetch(url("/v1/messages"), init({}));
      expect(anthropic.status).toBe(401);
      expect(await jsonOf(anthropic)).toMatchObject({
        type: "error",
        error: { type: "authentication_error" },
      });
      expect((await fetch(url("/v1/models"))).status).toBe(401);
      expect(
        (await fetch(url("/v1/chat/completions"), init({ authorization: "Bearer sk-test" }))).status,
      ).toBe(200);
      expect((await fetch(url("/v1/messages"), init({ "x-api-key": "sk-test" }))).status).toBe(200);
      expect(keyed.requests).toHaveLength(4);
    } finally {
      await keyed.close();
    }
  });
});

describe("errors, delays and hangs", () => {
  it("answers 429 with Retry-After in each provider's shape", async () => {
    server.enqueue({ status: 429, retryAfterSeconds: 7 }, { status: 429, retryAfterSeconds: 3 });
    const openai = await post("/v1/responses", { model: "m", input: "x" });
    expect(openai.status).toBe(429);
    expect(openai.headers.get("retry-after")).toBe("7");
    expect((await jsonOf(openai)).error).toMatchObject({ type: "requests", code: "rate_limit_exceeded" });
    const anthropic = await post("/v1/messages", { model: "m", messages: [] });
    expect(anthropic.status).toBe(429);
    expect(anthropic.headers.get("retry-after")).toBe("3");
    expect((await jsonOf(anthropic)).error.type).toBe("rate_limit_error");
  });

  it("answers 500 in each provider's shape, even for a streaming request", async () => {
    server.enqueue({ status: 500 }, { status: 500 }, { status: 529 });
    const chat = await post("/v1/chat/completions", chatBody("x", { stream: true }));
    expect(chat.status).toBe(500);
    expect((await jsonOf(chat)).error.type).toBe("server_error");
    const anthropic = await post("/v1/messages", { model: "m", stream: true, messages: [] });
    expect(anthropic.status).toBe(500);
    expect((await jsonOf(anthropic)).error.type).toBe("api_error");
    const overloaded = await post("/v1/messages", { model: "m", messages: [] });
    expect((await jsonOf(overloaded)).error.type).toBe("overloaded_error");
  });

  it("waits delayMs before the headers", async () => {
    server.enqueue({ text: "late", delayMs: 150 });
    const started = performance.now();
    const response = await post("/v1/chat/completions", chatBody("x"));
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect((await jsonOf(response)).choices[0].message.content).toBe("late");
  });

  it("waits chunkDelayMs between streamed events", async () => {
    server.enqueue({ chunks: ["a", "b", "c"], chunkDelayMs: 40 });
    const started = performance.now();
    const frames = await readFrames(await post("/v1/chat/completions", chatBody("x", { stream: true })));
    // role chunk, three content chunks, finish chunk and [DONE]: five gaps.
    expect(frames).toHaveLength(6);
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
  });

  it("a hanging stream sends its content but never finishes, until the client cancels", async () => {
    server.enqueue({ text: "partial answer", hang: true });
    const response = await post("/v1/messages", { model: "m", stream: true, messages: [] });
    expect(response.status).toBe(200);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let seen = "";
    while (!seen.includes("answer")) {
      const { value } = await reader.read();
      seen += new TextDecoder().decode(value);
    }
    expect(seen).not.toContain("message_stop");
    await reader.cancel();
  });

  it("close() ends hanging responses, streamed or not", async () => {
    server.enqueue({ hang: true }, { hang: true, text: "stalled" });
    const plain = post("/v1/chat/completions", chatBody("x"));
    const streamed = await post("/v1/responses", { model: "m", input: "x", stream: true });
    expect(streamed.status).toBe(200);
    const streamedBody = streamed.text();
    await server.waitForRequests(2);
    await server.close();
    await expect(plain).rejects.toThrow();
    await expect(streamedBody).rejects.toThrow();
  });

  it("an aborted delayed request frees its exchange", async () => {
    server.enqueue({ text: "never seen", delayMs: 60_000 });
    const controller = new AbortController();
    const pending = fetch(`${server.url}/v1/chat/completions`, {
      method: "POST",
      body: JSON.stringify(chatBody("x")),
      signal: controller.signal,
    });
    await server.waitForRequests(1);
    controller.abort();
    await expect(pending).rejects.toThrow();
    const json = await jsonOf(await post("/v1/chat/completions", chatBody("next")));
    expect(json.choices[0].message.content).toBe("You said: next");
  });
});

describe("wire formats", () => {
  it("chat completions streams tool call deltas and a usage chunk when asked", async () => {
    server.enqueue({
      toolCalls: [{ id: "call_1", name: "get_weather", arguments: { city: "Paris", days: 3 } }],
      usage: { inputTokens: 11, outputTokens: 7 },
    });
    const frames = await readFrames(
      await post(
        "/v1/chat/completions",
        chatBody("x", { stream: true, stream_options: { include_usage: true } }),
      ),
    );
    const chunks = frames.slice(0, -1).map((frame) => frame.data as Wire);
    expect(frames.at(-1)?.data).toBe("[DONE]");
    const args = chunks
      .flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? [])
      .map((call: { function: { arguments: string } }) => call.function.arguments)
      .join("");
    expect(JSON.parse(args)).toEqual({ city: "Paris", days: 3 });
    expect(chunks[0]?.choices[0].delta.tool_calls[0]).toEqual({
      index: 0,
      id: "call_1",
      type: "function",
      function: { name: "get_weather", arguments: "" },
    });
    expect(chunks.at(-2)?.choices[0].finish_reason).toBe("tool_calls");
    expect(chunks.at(-1)?.choices).toEqual([]);
    expect(chunks.at(-1)?.usage).toMatchObject({ prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 });
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
  });

  it("chat completions sends no usage chunk unless include_usage is set", async () => {
    const frames = await readFrames(await post("/v1/chat/completions", chatBody("hi", { stream: true })));
    expect(frames.some((frame) => typeof frame.data === "object" && "usage" in (frame.data as object))).toBe(
      false,
    );
  });

  it("responses streams named events with increasing sequence numbers", async () => {
    server.enqueue({ text: "Hi there", toolCalls: [{ name: "lookup", arguments: { q: "x" } }] });
    const frames = await readFrames(await post("/v1/responses", { model: "m", input: "x", stream: true }));
    expect(frames.every((frame) => frame.event === (frame.data as { type: string }).type)).toBe(true);
    expect(frames.map((frame) => (frame.data as { sequence_number: number }).sequence_number)).toEqual(
      frames.map((_, index) => index),
    );
    const completed = frames.at(-1)?.data as Wire;
    expect(completed.type).toBe("response.completed");
    expect(completed.response.output.map((item: { type: string }) => item.type)).toEqual([
      "message",
      "function_call",
    ]);
  });

  it("anthropic streams an empty input_json_delta first, then the arguments", async () => {
    server.enqueue({ toolCalls: [{ id: "toolu_1", name: "lookup", arguments: { q: "x" } }] });
    const frames = await readFrames(await post("/v1/messages", { model: "m", stream: true, messages: [] }));
    const deltas = frames
      .filter((frame) => frame.event === "content_block_delta")
      .map((frame) => (frame.data as { delta: { partial_json: string } }).delta.partial_json);
    expect(deltas[0]).toBe("");
    expect(JSON.parse(deltas.join(""))).toEqual({ q: "x" });
    const messageDelta = frames.find((frame) => frame.event === "message_delta")?.data as Wire;
    expect(messageDelta.delta.stop_reason).toBe("tool_use");
  });

  it("estimates usage from the request and reply when none is given", async () => {
    server.enqueue({ text: "x".repeat(40) });
    const json = await jsonOf(await post("/v1/messages", { model: "m", messages: [] }));
    expect(json.usage.output_tokens).toBe(10);
    expect(json.usage.input_tokens).toBeGreaterThan(0);
  });
});
