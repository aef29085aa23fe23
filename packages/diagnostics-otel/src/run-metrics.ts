import type { DiagnosticEvent } from "@openclaw/gateway-core";
import type { Attributes, Meter } from "@opentelemetry/api";

/**
 * The core counters over OTLP, the same the Prometheus endpoint shows: runs, queue wait, model calls and their
 * tokens (`gen_ai.client.token.usage`), tool executions, messages in and out. Attributes are bounded values only
 * (channel, provider, model, tool, outcome): never a run id, session key or text.
 */
export function createRunMetrics(meter: Meter): (event: DiagnosticEvent) => void {
  const runs = meter.createCounter("openclaw.runs", { description: "Agent runs that ended, by outcome" });
  const queueWait = meter.createHistogram("openclaw.queue.wait_ms", {
    description: "Time a run waited behind its session lane and the concurrency limit",
    unit: "ms",
  });
  const modelCalls = meter.createHistogram("openclaw.model_call.duration_ms", {
    description: "Model provider requests (one per step of the tool loop)",
    unit: "ms",
  });
  const tokenUsage = meter.createHistogram("gen_ai.client.token.usage", {
    description: "Tokens per model request",
    unit: "{token}",
  });
  const tokens = meter.createCounter("openclaw.tokens", { description: "Tokens by kind", unit: "{token}" });
  const tools = meter.createHistogram("openclaw.tool.execution.duration_ms", {
    description: "Tool executions",
    unit: "ms",
  });
  const received = meter.createCounter("openclaw.message.received", {
    description: "Inbound channel messages, by whether access policy let them through",
  });
  const delivered = meter.createHistogram("openclaw.message.delivery.duration_ms", {
    description: "Outbound replies handed to a channel",
    unit: "ms",
  });

  return (event) => {
    switch (event.type) {
      case "run.end":
        runs.add(1, {
          "openclaw.outcome": event.status,
          ...(event.provider ? { "openclaw.provider": event.provider } : {}),
          ...(event.model ? { "openclaw.model": event.model } : {}),
        });
        return;
      case "run.start":
        queueWait.record(Math.max(0, event.startedAt - event.queuedAt));
        return;
      case "model.call": {
        const model: Attributes = { "openclaw.provider": event.provider, "openclaw.model": event.model };
        modelCalls.record(event.endedAt - event.startedAt, { ...model, "openclaw.outcome": event.outcome });
        const genAi = {
          "gen_ai.provider.name": event.provider,
          "gen_ai.operation.name": "chat",
          "gen_ai.request.model": event.model,
        };
        tokenUsage.record(event.usage.input, { ...genAi, "gen_ai.token.type": "input" });
        tokenUsage.record(event.usage.output, { ...genAi, "gen_ai.token.type": "output" });
        for (const [kind, count] of [
          ["input", event.usage.input],
          ["output", event.usage.output],
          ["cache_read", event.usage.cacheRead],
          ["cache_write", event.usage.cacheWrite],
        ] as const) {
          if (count > 0) tokens.add(count, { ...model, "openclaw.token": kind });
        }
        return;
      }
      case "tool.call":
        tools.record(event.endedAt - event.startedAt, {
          "openclaw.toolName": event.tool,
          "openclaw.outcome": event.outcome,
        });
        return;
      case "message.received":
        received.add(1, { "openclaw.channel": event.channel, "openclaw.outcome": event.outcome });
        return;
      case "message.delivered":
        delivered.record(event.endedAt - event.startedAt, {
          "openclaw.channel": event.channel,
          "openclaw.outcome": event.outcome,
        });
        return;
      default:
        return;
    }
  };
}
