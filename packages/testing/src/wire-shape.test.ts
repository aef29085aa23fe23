import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeModelServer, type FakeReply, startFakeModelServer } from "./index.js";

// Reference streams in each provider's documented wire shape live in __fixtures__/. The fake's stream for the
// same content must use the same events, in the same order, with the same fields (values aside).
let server: FakeModelServer;

beforeAll(async () => {
  server = await startFakeModelServer();
});

afterAll(async () => {
  await server.close();
});

interface Frame {
  event: string;
  data: unknown;
}

function parseFrames(text: string): Frame[] {
  return text
    .split("\n\n")
    .filter((block) => block.trim() !== "")
    .map((block) => {
      const lines = block.split("\n");
      const data = lines.find((line) => line.startsWith("data: "))?.slice(6) ?? "";
      const event = lines.find((line) => line.startsWith("event: "))?.slice(7) ?? "data";
      return { event, data: data === "[DONE]" ? data : JSON.parse(data) };
    });
}

/** Every field path in a payload (`choices[].delta.tool_calls[].function.name`), values left out. */
function fieldPaths(value: unknown, prefix = ""): string[] {
  if (Array.isArray(value))
    return [`${prefix}[]`, ...value.flatMap((item) => fieldPaths(item, `${prefix}[]`))];
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return [path, ...fieldPaths(child, path)];
  });
}

function shapeByEvent(frames: Frame[]): Record<string, string[]> {
  const shapes: Record<string, Set<string>> = {};
  for (const frame of frames) {
    const paths = shapes[frame.event] ?? new Set<string>();
    shapes[frame.event] = paths;
    for (const path of fieldPaths(frame.data)) paths.add(path);
  }
  return Object.fromEntries(Object.entries(shapes).map(([event, paths]) => [event, [...paths].sort()]));
}

/** The order of events with runs of the same event collapsed, so the number of deltas does not matter. */
function eventOrder(frames: Frame[]): string[] {
  return frames.map((frame) => frame.event).filter((event, index, all) => event !== all[index - 1]);
}

const cases: Array<{ fixture: string; path: string; body: object; reply: FakeReply }> = [
  {
    fixture: "openai-chat-tool-call.chunks.txt",
    path: "/v1/chat/completions",
    body: { model: "gpt-4o-mini", stream: true, stream_options: { include_usage: true }, messages: [] },
    reply: { toolCalls: [{ name: "get_weather", arguments: { city: "Paris" } }] },
  },
  {
    fixture: "openai-responses-text.sse.txt",
    path: "/v1/responses",
    body: { model: "gpt-4.1", stream: true, input: "Hi" },
    reply: { chunks: ["Hi", " there!"] },
  },
  {
    fixture: "anthropic-messages-tool-use.sse.txt",
    path: "/v1/messages",
    body: { model: "claude-sonnet-4-5", stream: true, max_tokens: 1024, messages: [] },
    reply: {
      chunks: ["Okay, let me check", " the weather."],
      toolCalls: [{ name: "get_weather", arguments: { location: "San Francisco, CA" } }],
    },
  },
];

describe.each(cases)("$fixture", ({ fixture, path, body, reply }) => {
  it("matches the fake's stream for the same content", async () => {
    const reference = parseFrames(
      await readFile(new URL(`./__fixtures__/${fixture}`, import.meta.url), "utf8"),
    );
    server.enqueue(reply);
    const response = await fetch(`${server.url}${path}`, { method: "POST", body: JSON.stringify(body) });
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const fake = parseFrames(await response.text());
    expect(eventOrder(fake)).toEqual(eventOrder(reference));
    expect(shapeByEvent(fake)).toEqual(shapeByEvent(reference));
    expect(fieldPaths(fake[0]?.data).sort()).toEqual(fieldPaths(reference[0]?.data).sort());
  });
});
