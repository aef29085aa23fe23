import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { DiagnosticBus, type LogRecord, newTraceContext, parseTraceparent } from "@openclaw/gateway-core";
import { type FakeOtlpCollector, type ReceivedSpan, startFakeOtlpCollector } from "@openclaw/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startOtelDiagnostics } from "./start-otel-diagnostics.js";

let collector: FakeOtlpCollector;
beforeEach(async () => {
  collector = await startFakeOtlpCollector();
});
afterEach(async () => {
  await collector.close();
});

const run = { runId: "run-1", sessionKey: "agent:main:telegram:dm:42", agentId: "main" };
const usage = { input: 120, output: 40, cacheRead: 30, cacheWrite: 0 };

/** One run with a tool call: model call (asks for the tool), the tool, model call (answers), delivery. */
function emitToolRun(bus: DiagnosticBus, trace = newTraceContext(), t0 = Date.now() - 1_000) {
  bus.emit({
    type: "run.accepted",
    ...run,
    channel: "telegram",
    accountId: "default",
    trigger: "user",
    at: t0,
    trace,
  });
  bus.emit({ type: "run.start", ...run, queuedAt: t0, startedAt: t0 + 20 });
  bus.emit({
    type: "model.call",
    ...run,
    provider: "openai",
    model: "gpt-4o-mini",
    api: "openai-completions",
    startedAt: t0 + 25,
    endedAt: t0 + 200,
    outcome: "ok",
    finishReason: "tool-calls",
    usage,
  });
  bus.emit({
    type: "tool.call",
    ...run,
    tool: "read",
    toolCallId: "call_1",
    startedAt: t0 + 201,
    endedAt: t0 + 260,
    outcome: "ok",
  });
  bus.emit({ type: "run.first_token", ...run, at: t0 + 300 });
  bus.emit({
    type: "model.call",
    ...run,
    provider: "openai",
    model: "gpt-4o-mini",
    startedAt: t0 + 261,
    endedAt: t0 + 400,
    outcome: "ok",
    finishReason: "stop",
    usage: { input: 200, output: 15, cacheRead: 0, cacheWrite: 0 },
  });
  bus.emit({
    type: "run.end",
    ...run,
    endedAt: t0 + 410,
    status: "ok",
    provider: "openai",
    model: "gpt-4o-mini",
  });
  bus.emit({
    type: "message.delivered",
    channel: "telegram",
    accountId: "default",
    runId: run.runId,
    startedAt: t0 + 411,
    endedAt: t0 + 450,
    outcome: "ok",
  });
  return { trace, t0 };
}

const named = (spans: ReceivedSpan[], name: string) => spans.filter((span) => span.name === name);

describe("startOtelDiagnostics", () => {
  it("exports one trace per run that continues the caller's traceparent, children drawn from event times", async () => {
    const bus = new DiagnosticBus();
    const otel = startOtelDiagnostics({
      config: {
        enabled: true,
        endpoint: collector.url,
        headers: { "x-api-key": "k-123" },
        serviceName: "gw-test",
        metrics: false,
      },
      diagnostics: bus,
      serviceVersion: "1.2.3",
    });
    const trace = parseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    if (!trace) throw new Error("traceparent not parsed");
    const { t0 } = emitToolRun(bus, trace);
    await otel.close();

    const spans = collector.spans;
    expect(new Set(spans.map((span) => span.traceId))).toEqual(new Set([trace.traceId]));
    const [root] = named(spans, "openclaw.run");
    expect(root).toMatchObject({
      spanId: trace.spanId,
      parentSpanId: "00f067aa0ba902b7",
      kind: 2,
      startMs: t0,
      endMs: t0 + 410,
      events: ["openclaw.first_token"],
    });
    expect(root?.attributes).toMatchObject({
      "openclaw.channel": "telegram",
      "openclaw.outcome": "ok",
      "openclaw.model": "gpt-4o-mini",
    });
    expect(root?.resource).toMatchObject({ "service.name": "gw-test", "service.version": "1.2.3" });
    const children = spans.filter((span) => span !== root);
    expect(children.map((span) => span.name).sort()).toEqual([
      "openclaw.message.delivery",
      "openclaw.model.call",
      "openclaw.model.call",
      "openclaw.queue.wait",
      "openclaw.tool.execution",
    ]);
    for (const child of children) expect(child.parentSpanId).toBe(root?.spanId);
    expect(named(spans, "openclaw.queue.wait")[0]).toMatchObject({ startMs: t0, endMs: t0 + 20 });
    const [first, second] = named(spans, "openclaw.model.call").sort((a, b) => a.startMs - b.startMs);
    expect(first).toMatchObject({ kind: 3, startMs: t0 + 25, endMs: t0 + 200 });
    expect(first?.attributes).toMatchObject({
      "gen_ai.system": "openai",
      "gen_ai.request.model": "gpt-4o-mini",
      "gen_ai.operation.name": "chat",
      "gen_ai.usage.input_tokens": 120,
      "gen_ai.usage.output_tokens": 40,
      "gen_ai.response.finish_reasons": ["tool-calls"],
    });
    expect(second?.attributes["gen_ai.usage.output_tokens"]).toBe(15);
    expect(named(spans, "openclaw.tool.execution")[0]?.attributes).toMatchObject({
      "gen_ai.tool.name": "read",
      "gen_ai.operation.name": "execute_tool",
      "gen_ai.tool.call.id": "call_1",
    });
    // No session key and no text on any span.
    expect(JSON.stringify(spans)).not.toContain(run.sessionKey);
    expect(collector.requests[0]).toMatchObject({ path: "/v1/traces" });
    expect(collector.requests[0]?.headers["x-api-key"]).toBe("k-123");
    expect(collector.requests[0]?.headers["content-type"]).toBe("application/x-protobuf");
  });

  it("starts a trace of its own with the run's preset ids when no traceparent came", async () => {
    const bus = new DiagnosticBus();
    const otel = startOtelDiagnostics({
      config: { endpoint: collector.url, metrics: false },
      diagnostics: bus,
    });
    const trace = newTraceContext();
    emitToolRun(bus, trace);
    await otel.close();
    const [root] = named(collector.spans, "openclaw.run");
    expect(root).toMatchObject({ traceId: trace.traceId, spanId: trace.spanId, parentSpanId: "" });
  });

  it("honours sampleRate 0 for new traces and the caller's sampled flag for continued ones", async () => {
    const bus = new DiagnosticBus();
    const otel = startOtelDiagnostics({
      config: { endpoint: collector.url, metrics: false, sampleRate: 0 },
      diagnostics: bus,
    });
    emitToolRun(bus, newTraceContext());
    const continued = parseTraceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    if (!continued) throw new Error("traceparent not parsed");
    emitToolRun(bus, continued);
    await otel.close();
    expect(new Set(collector.spans.map((span) => span.traceId))).toEqual(new Set([continued.traceId]));
  });

  it("uses the signal-specific endpoint over the base one", async () => {
    const other = await startFakeOtlpCollector();
    try {
      const bus = new DiagnosticBus();
      const otel = startOtelDiagnostics({
        config: { endpoint: collector.url, tracesEndpoint: `${other.url}/v1/traces`, metrics: false },
        diagnostics: bus,
      });
      emitToolRun(bus);
      await otel.close();
      expect(collector.spans).toEqual([]);
      expect(named(other.spans, "openclaw.run")).toHaveLength(1);
    } finally {
      await other.close();
    }
  });

  it("exports the core metrics with the fake's token counts", async () => {
    const bus = new DiagnosticBus();
    const otel = startOtelDiagnostics({
      config: { endpoint: collector.url, traces: false },
      diagnostics: bus,
    });
    emitToolRun(bus);
    bus.emit({
      type: "message.received",
      channel: "telegram",
      accountId: "default",
      at: Date.now(),
      outcome: "accepted",
    });
    await otel.close();
    const metric = (name: string) => collector.metrics.filter((point) => point.name === name);
    const inputTokens = metric("gen_ai.client.token.usage").find(
      (point) => point.attributes["gen_ai.token.type"] === "input",
    );
    expect(inputTokens).toMatchObject({ kind: "histogram", count: 2, value: 320 });
    expect(inputTokens?.attributes).toMatchObject({
      "gen_ai.request.model": "gpt-4o-mini",
      "gen_ai.provider.name": "openai",
    });
    expect(
      metric("openclaw.tokens").find((point) => point.attributes["openclaw.token"] === "output")?.value,
    ).toBe(55);
    expect(metric("openclaw.runs")[0]).toMatchObject({
      kind: "sum",
      value: 1,
      attributes: { "openclaw.outcome": "ok" },
    });
    expect(metric("openclaw.model_call.duration_ms")[0]?.count).toBe(2);
    expect(metric("openclaw.tool.execution.duration_ms")[0]).toMatchObject({
      count: 1,
      attributes: { "openclaw.toolName": "read" },
    });
    expect(metric("openclaw.message.received")[0]?.value).toBe(1);
    expect(metric("openclaw.message.delivery.duration_ms")[0]?.count).toBe(1);
    for (const point of collector.metrics)
      expect(Object.keys(point.attributes)).not.toContain("openclaw.run_id");
  });

  it("sends log records with their run's trace context when logs are on", async () => {
    const bus = new DiagnosticBus();
    const sinks: Array<(record: LogRecord) => void> = [];
    const otel = startOtelDiagnostics({
      config: { endpoint: collector.url, traces: false, metrics: false, logs: true },
      diagnostics: bus,
      addLogSink: (sink) => {
        sinks.push(sink);
        return () => sinks.splice(sinks.indexOf(sink), 1);
      },
    });
    const trace = newTraceContext();
    const log = (record: LogRecord) => {
      for (const sink of sinks) sink(record);
    };
    log({
      ts: new Date().toISOString(),
      level: "warn",
      msg: "agent model fallback",
      runId: "r",
      traceId: trace.traceId,
      spanId: trace.spanId,
      from: "a",
    });
    log({ ts: new Date().toISOString(), level: "info", msg: "gateway listening", port: 18789 });
    // The exporter's own complaints stay local (sent through a failing exporter they would loop).
    log({
      ts: new Date().toISOString(),
      level: "warn",
      msg: "opentelemetry export problem",
      component: "telemetry",
    });
    await otel.close();
    expect(sinks).toHaveLength(0);
    const [traced, plain] = collector.logs;
    expect(traced).toMatchObject({
      severityText: "warn",
      body: "agent model fallback",
      traceId: trace.traceId,
      spanId: trace.spanId,
      attributes: { runId: "r", from: "a" },
    });
    expect(plain).toMatchObject({ traceId: "", body: "gateway listening", attributes: { port: 18789 } });
    expect(collector.logs).toHaveLength(2);
  });

  it("reports a collector that refuses the export as a warning of the gateway's", async () => {
    // A collector that answers 400 (a non-retryable refusal), so the failure is reported at once.
    const refusing = createServer((request, response) => {
      request.resume().on("end", () => response.writeHead(400).end());
    });
    await new Promise<void>((resolve) => refusing.listen(0, "127.0.0.1", resolve));
    try {
      const warnings: Array<Record<string, unknown>> = [];
      const bus = new DiagnosticBus();
      const otel = startOtelDiagnostics({
        config: { endpoint: `http://127.0.0.1:${(refusing.address() as AddressInfo).port}`, metrics: false },
        diagnostics: bus,
        logger: { warn: (message, fields) => warnings.push({ message, ...fields }) },
      });
      emitToolRun(bus);
      await otel.close();
      expect(warnings[0]).toMatchObject({ message: "opentelemetry export problem" });
      expect(warnings[0]?.detail).toBe("Bad Request");
    } finally {
      refusing.close();
    }
  });
});
