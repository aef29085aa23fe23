import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { registerHooks } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type FakeModelServer,
  type FakeOtlpCollector,
  type FakeTelegramServer,
  type ReceivedSpan,
  startFakeModelServer,
  startFakeOtlpCollector,
  startFakeTelegramServer,
} from "@openclaw/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type GatewayServer, startGatewayServer } from "./index.js";

// OpenTelemetry as an operator meets it: a real gateway with diagnostics.otel on, exporting to a collector on
// 127.0.0.1 that decodes the OTLP protobuf bodies; one HTTP chat turn that calls a tool, continuing a caller's trace.
const TOKEN = "t".repeat(64);
const CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const CALLER_SPAN = "00f067aa0ba902b7";

let stateDir: string;
let model: FakeModelServer;
let collector: FakeOtlpCollector;
let gateway: GatewayServer | undefined;
let telegram: FakeTelegramServer | undefined;

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "openclaw-otel-e2e-"));
  // Requests with another key are refused (401), as a provider refuses a revoked key.
  model = await startFakeModelServer({ apiKey: "k" });
  collector = await startFakeOtlpCollector();
});

afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
  await Promise.all([model.close(), collector.close(), telegram?.close()]);
  telegram = undefined;
  await rm(stateDir, { recursive: true, force: true });
});

async function start(
  otel: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Promise<GatewayServer> {
  const provider = (apiKey: string) => ({
    baseUrl: model.baseUrlFor("openai-completions"),
    apiKey,
    api: "openai-completions",
    models: [{ id: "instant" }],
  });
  const config = {
    gateway: { http: { endpoints: { chatCompletions: { enabled: true } } } },
    // The primary provider's key is refused, so the run falls back (a logged warning of the run) to the other one.
    models: { providers: { revoked: provider("revoked"), fake: provider("k") } },
    agents: { defaults: { model: { primary: "revoked/instant", fallbacks: ["fake/instant"] } } },
    diagnostics: { otel },
    ...extra,
  };
  await writeFile(join(stateDir, "openclaw.json"), JSON.stringify(config));
  gateway = await startGatewayServer(0, { stateDir, env: {}, auth: { mode: "token", token: TOKEN } });
  return gateway;
}

async function chatTurn(server: GatewayServer): Promise<Response> {
  model.enqueue(
    {
      toolCalls: [{ id: "call_agents", name: "agents_list", arguments: {} }],
      usage: { inputTokens: 111, outputTokens: 22 },
    },
    { text: "One agent: main.", usage: { inputTokens: 333, outputTokens: 44 } },
  );
  const response = await fetch(`${server.httpUrl}/v1/chat/completions`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${TOKEN}`,
      "content-type": "application/json",
      traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01`,
    },
    body: JSON.stringify({ model: "openclaw", messages: [{ role: "user", content: "which agents exist?" }] }),
  });
  return response;
}

// Every OpenTelemetry module this process resolves (Node's own loader: the SDK is not bundled into the test).
const otelModules = new Set<string>();
registerHooks({
  resolve(specifier, context, nextResolve) {
    const resolved = nextResolve(specifier, context);
    if (resolved.url.includes("/@opentelemetry/")) otelModules.add(resolved.url);
    return resolved;
  },
});

const named = (spans: ReceivedSpan[], name: string) => spans.filter((span) => span.name === name);

describe("OpenTelemetry export (diagnostics.otel)", () => {
  // First in this file: nothing has loaded the SDK yet, so an off gateway must leave `otelModules` empty.
  it("answers a fresh traceparent without a caller's, and neither loads nor exports OpenTelemetry when off", async () => {
    const server = await start({ enabled: false, endpoint: collector.url });
    model.enqueue({ text: "hi" });
    const response = await fetch(`${server.httpUrl}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "openclaw", messages: [{ role: "user", content: "hello" }] }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("traceparent")).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    await gateway?.close();
    gateway = undefined;
    expect(collector.requests).toEqual([]);
    expect([...otelModules]).toEqual([]);
  });

  it("exports one trace per chat run under the caller's traceparent, with metrics and trace-linked logs", async () => {
    const server = await start({ enabled: true, endpoint: collector.url, logs: true, serviceName: "gw-e2e" });
    // The package was imported now, and with it the SDK (which also shows the hook above sees it).
    expect([...otelModules].some((url) => url.includes("/@opentelemetry/sdk-trace/"))).toBe(true);
    const response = await chatTurn(server);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { choices: Array<{ message: { content: string } }> };
    expect(body.choices[0]?.message.content).toBe("One agent: main.");
    const answered = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/.exec(response.headers.get("traceparent") ?? "");
    expect(answered?.[1]).toBe(CALLER_TRACE);
    const runSpanId = answered?.[2];

    // Closing flushes the batches: every span, metric and log record of the run is sent before close resolves.
    await gateway?.close();
    gateway = undefined;

    const trace = collector.spans.filter((span) => span.traceId === CALLER_TRACE);
    const [root] = named(trace, "openclaw.run");
    expect(root).toMatchObject({ spanId: runSpanId, parentSpanId: CALLER_SPAN });
    expect(root?.attributes).toMatchObject({ "openclaw.channel": "http", "openclaw.outcome": "ok" });
    expect(root?.resource["service.name"]).toBe("gw-e2e");
    const children = trace.filter((span) => span !== root);
    for (const child of children) expect(child.parentSpanId).toBe(runSpanId);
    expect(named(children, "openclaw.queue.wait")).toHaveLength(1);
    const [refused, ...calls] = named(children, "openclaw.model.call").sort((a, b) => a.startMs - b.startMs);
    expect(refused?.attributes).toMatchObject({ "gen_ai.system": "revoked", "openclaw.outcome": "error" });
    expect(refused?.statusCode).toBe(2);
    expect(calls.map((call) => call.attributes["gen_ai.usage.input_tokens"])).toEqual([111, 333]);
    expect(calls.map((call) => call.attributes["gen_ai.usage.output_tokens"])).toEqual([22, 44]);
    expect(calls[0]?.attributes).toMatchObject({
      "gen_ai.system": "fake",
      "gen_ai.request.model": "instant",
      "gen_ai.operation.name": "chat",
    });
    const [tool] = named(children, "openclaw.tool.execution");
    expect(tool?.attributes).toMatchObject({
      "gen_ai.tool.name": "agents_list",
      "gen_ai.operation.name": "execute_tool",
    });
    expect(tool?.startMs).toBeGreaterThanOrEqual(calls[0]?.startMs ?? Number.POSITIVE_INFINITY);
    expect(JSON.stringify(collector.spans)).not.toContain("which agents exist?");

    const input = collector.metrics.filter(
      (point) =>
        point.name === "gen_ai.client.token.usage" && point.attributes["gen_ai.token.type"] === "input",
    );
    expect(input.reduce((sum, point) => sum + point.value, 0)).toBe(444);

    const fallback = collector.logs.find((record) => record.body === "agent model fallback");
    expect(fallback).toMatchObject({ traceId: CALLER_TRACE, spanId: runSpanId, severityText: "warn" });
    expect(collector.logs.find((record) => record.body === "gateway listening")?.traceId).toBe("");
  });

  it("draws a Telegram DM's run, its tool call and the reply's delivery into one trace", async () => {
    telegram = await startFakeTelegramServer();
    const alice = { id: 2001, first_name: "Alice", username: "alice" };
    await start(
      { enabled: true, endpoint: collector.url, metrics: false, flushIntervalMs: 100 },
      {
        channels: {
          telegram: {
            botToken: telegram.token,
            apiRoot: telegram.apiRoot,
            pollTimeoutSeconds: 1,
            allowFrom: [String(alice.id)],
          },
        },
      },
    );
    model.enqueue(
      { toolCalls: [{ id: "call_agents", name: "agents_list", arguments: {} }] },
      { text: "You have one agent." },
    );
    telegram.sendMessage({ chat: { id: alice.id, type: "private" }, from: alice, text: "which agents?" });
    await telegram.waitForSent(
      (sent) => sent.method === "sendMessage" && (sent.text ?? "").includes("one agent"),
    );
    // The delivery span closes after the reply was sent: wait for it before closing the gateway.
    const spans = await collector.waitForSpans((all) => named(all, "openclaw.message.delivery").length > 0);
    const [delivery] = named(spans, "openclaw.message.delivery");
    const root = spans.find((span) => span.spanId === delivery?.parentSpanId);
    expect(root).toMatchObject({ name: "openclaw.run", parentSpanId: "" });
    expect(root?.attributes).toMatchObject({ "openclaw.channel": "telegram", "openclaw.trigger": "user" });
    expect(delivery?.attributes).toMatchObject({ "openclaw.channel": "telegram", "openclaw.outcome": "ok" });
    const trace = spans.filter((span) => span.traceId === root?.traceId);
    expect(named(trace, "openclaw.tool.execution")[0]?.parentSpanId).toBe(root?.spanId);
    expect(named(trace, "openclaw.model.call").map((call) => call.attributes["gen_ai.system"])).toContain(
      "fake",
    );
    // The inbound message, from its arrival to the run's acceptance, opens the trace.
    const [inbound] = named(trace, "openclaw.message.processed");
    expect(inbound?.parentSpanId).toBe(root?.spanId);
    expect(inbound?.startMs).toBe(root?.startMs);
    expect(named(trace, "openclaw.queue.wait")[0]?.parentSpanId).toBe(root?.spanId);
    expect(JSON.stringify(spans)).not.toContain("which agents?");
  });
});
