import { newTraceContext } from "@openclaw/gateway-core";
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import { describe, expect, it } from "vitest";
import { PresetIdGenerator } from "./preset-id-generator.js";
import { RunSpanBuilder } from "./run-spans.js";

function builder(options: { maxOpenRuns?: number; maxRunAgeMs?: number; now?: () => number } = {}) {
  const exporter = new InMemorySpanExporter();
  const ids = new PresetIdGenerator();
  const provider = new TracerProvider({
    idGenerator: ids,
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  });
  const spans = new RunSpanBuilder({ tracer: provider.getTracer("test"), ids, ...options });
  return { spans, exporter };
}

const accepted = (runId: string, at: number, extra: Record<string, unknown> = {}) =>
  ({
    type: "run.accepted",
    runId,
    sessionKey: `agent:main:${runId}`,
    agentId: "main",
    channel: "telegram",
    trigger: "user",
    at,
    trace: newTraceContext(),
    ...extra,
  }) as const;

describe("RunSpanBuilder", () => {
  it("keeps at most maxOpenRuns runs open, ending the oldest as evicted", () => {
    const { spans, exporter } = builder({ maxOpenRuns: 2 });
    const t0 = Date.now();
    for (const runId of ["a", "b", "c"]) spans.handle(accepted(runId, t0));
    expect(spans.openRuns).toBe(2);
    const [evicted] = exporter.getFinishedSpans();
    expect(evicted?.attributes).toMatchObject({ "openclaw.run_id": "a", "openclaw.outcome": "evicted" });
  });

  it("ends a run that never ended after maxRunAgeMs, and forgets ended runs after their grace", () => {
    let now = 1_000_000;
    const { spans, exporter } = builder({ maxRunAgeMs: 60_000, now: () => now });
    spans.handle(accepted("stuck", now));
    spans.handle(accepted("done", now));
    spans.handle({
      type: "run.end",
      runId: "done",
      sessionKey: "k",
      agentId: "main",
      endedAt: now + 10,
      status: "ok",
    });
    now += 5 * 60_000;
    spans.handle(accepted("next", now));
    expect(spans.openRuns).toBe(1);
    const outcomes = exporter
      .getFinishedSpans()
      .map((span) => [span.attributes["openclaw.run_id"], span.attributes["openclaw.outcome"]]);
    expect(outcomes).toEqual([
      ["done", "ok"],
      ["stuck", "evicted"],
    ]);
  });

  it("draws the inbound message inside the run when the event says when it arrived", () => {
    const { spans, exporter } = builder();
    const at = Date.now();
    spans.handle(accepted("r", at, { receivedAt: at - 30 }));
    spans.endAll();
    const processed = exporter.getFinishedSpans().find((span) => span.name === "openclaw.message.processed");
    const root = exporter.getFinishedSpans().find((span) => span.name === "openclaw.run");
    expect(processed?.parentSpanContext?.spanId).toBe(root?.spanContext().spanId);
    expect(root?.startTime).toEqual(processed?.startTime);
    expect(root?.attributes["openclaw.outcome"]).toBe("shutdown");
  });

  it("gives events of a run it never saw accepted a root of their own", () => {
    const { spans, exporter } = builder();
    const at = Date.now();
    spans.handle({
      type: "tool.call",
      runId: "orphan",
      sessionKey: "k",
      agentId: "main",
      tool: "read",
      toolCallId: "c",
      startedAt: at,
      endedAt: at + 5,
      outcome: "error",
      errorCategory: "other",
    });
    spans.handle({
      type: "run.end",
      runId: "orphan",
      sessionKey: "k",
      agentId: "main",
      endedAt: at + 6,
      status: "error",
    });
    const [tool, root] = exporter.getFinishedSpans();
    expect(tool?.parentSpanContext?.spanId).toBe(root?.spanContext().spanId);
    expect(tool?.status.code).toBe(2);
    expect(root?.attributes["openclaw.outcome"]).toBe("error");
  });
});
