import { afterEach, describe, expect, it } from "vitest";
import { DiagnosticBus } from "./diagnostic-events.js";
import { type PrometheusExporter, startPrometheusExporter } from "./prometheus-exporter.js";
import { traceContextFrom } from "./trace-context.js";

const RUN = { runId: "run-1", sessionKey: "agent:main:telegram:direct:42", agentId: "main" };
const MODELS = {
  providers: {
    fake: { models: [{ id: "instant", cost: { input: 2, output: 10, cacheRead: 0.5, cacheWrite: 0 } }] },
  },
};

let exporter: PrometheusExporter | undefined;
afterEach(() => exporter?.close());

/** The value of one sample line, by its exact series text. */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe("Prometheus exporter", () => {
  it("turns one run's events into runs, model calls, tokens, cost, tool and timing series", async () => {
    const bus = new DiagnosticBus();
    exporter = await startPrometheusExporter({
      bus,
      version: "1.0.0",
      instanceId: "i-1",
      models: () => MODELS,
      processMetrics: false,
    });
    bus.emit({
      type: "run.accepted",
      ...RUN,
      channel: "telegram",
      accountId: "default",
      trigger: "user",
      at: 1_000,
      trace: traceContextFrom(undefined),
    });
    bus.emit({ type: "run.start", ...RUN, queuedAt: 1_000, startedAt: 1_250 });
    const call = {
      type: "model.call" as const,
      ...RUN,
      provider: "fake",
      model: "instant",
      api: "openai-completions",
      outcome: "ok" as const,
    };
    bus.emit({
      ...call,
      startedAt: 1_300,
      endedAt: 1_800,
      finishReason: "tool-calls",
      usage: { input: 100, output: 10, cacheRead: 400, cacheWrite: 0 },
    });
    bus.emit({
      type: "tool.call",
      ...RUN,
      tool: "write",
      toolCallId: "c1",
      startedAt: 1_800,
      endedAt: 1_900,
      outcome: "ok",
    });
    bus.emit({
      ...call,
      startedAt: 1_900,
      endedAt: 2_400,
      usage: { input: 50, output: 20, cacheRead: 0, cacheWrite: 0 },
    });
    bus.emit({ type: "run.first_token", ...RUN, at: 2_000 });
    bus.emit({ type: "run.end", ...RUN, endedAt: 3_000, status: "ok", provider: "fake", model: "instant" });

    const text = await exporter.render();
    const run = 'channel="telegram",model="instant",outcome="ok",provider="fake",trigger="user"';
    expect(sample(text, `openclaw_run_completed_total{${run}}`)).toBe(1);
    expect(sample(text, `openclaw_run_duration_seconds_count{${run}}`)).toBe(1);
    expect(sample(text, `openclaw_run_duration_seconds_sum{${run}}`)).toBe(2);
    expect(sample(text, 'openclaw_run_first_token_seconds_sum{channel="telegram",trigger="user"}')).toBe(1);
    expect(sample(text, 'openclaw_queue_lane_wait_seconds_sum{lane="user"}')).toBe(0.25);
    const modelCall =
      'api="openai-completions",error_category="none",model="instant",observation_unit="request",outcome="ok",provider="fake"';
    expect(sample(text, `openclaw_model_call_total{${modelCall}}`)).toBe(2);
    expect(sample(text, `openclaw_model_call_duration_seconds_sum{${modelCall}}`)).toBe(1);
    const tokens = 'agent="main",channel="telegram",model="instant",provider="fake"';
    expect(sample(text, `openclaw_model_tokens_total{${tokens},token_type="input"}`)).toBe(150);
    expect(sample(text, `openclaw_model_tokens_total{${tokens},token_type="output"}`)).toBe(30);
    expect(sample(text, `openclaw_model_tokens_total{${tokens},token_type="cache_read"}`)).toBe(400);
    expect(
      sample(
        text,
        'openclaw_gen_ai_client_token_usage_count{model="instant",provider="fake",token_type="input"}',
      ),
    ).toBe(2);
    // (150 x 2 + 30 x 10 + 400 x 0.5) per million tokens.
    expect(sample(text, `openclaw_model_cost_usd_total{${tokens}}`)).toBeCloseTo(800 / 1e6, 12);
    expect(
      sample(text, 'openclaw_tool_execution_total{error_category="none",outcome="ok",tool="write"}'),
    ).toBe(1);
    expect(text).not.toContain("agent:main:telegram");
    expect(text).not.toContain("run-1");
  });

  it("adds no cost for a model without a configured price, and counts connections and channel state", async () => {
    const bus = new DiagnosticBus();
    exporter = await startPrometheusExporter({
      bus,
      version: "1.0.0",
      instanceId: "i-1",
      models: () => MODELS,
      channelAccounts: () => [{ channel: "slack", accountId: "work", connected: false }],
      processMetrics: false,
    });
    bus.emit({
      type: "model.call",
      ...RUN,
      provider: "other",
      model: "free",
      startedAt: 0,
      endedAt: 1,
      outcome: "ok",
      usage: { input: 5, output: 5, cacheRead: 0, cacheWrite: 0 },
    });
    bus.emit({ type: "connection.open", role: "operator" });
    bus.emit({ type: "connection.open", role: "operator" });
    bus.emit({ type: "connection.close", role: "operator" });
    bus.emit({ type: "handshake", outcome: "auth_failed" });
    bus.emit({ type: "http.auth_failure", outcome: "locked_out" });
    bus.emit({ type: "channel.state", channel: "slack", accountId: "work", state: "reconnecting" });
    const text = await exporter.render();
    expect(text).not.toMatch(/^openclaw_model_cost_usd_total\{/m);
    expect(sample(text, 'openclaw_gateway_connections_open{role="operator"}')).toBe(1);
    expect(sample(text, 'openclaw_gateway_auth_failures_total{outcome="auth_failed",surface="ws"}')).toBe(1);
    expect(sample(text, 'openclaw_gateway_auth_failures_total{outcome="locked_out",surface="http"}')).toBe(1);
    expect(sample(text, 'openclaw_channel_reconnects_total{account="work",channel="slack"}')).toBe(1);
    expect(sample(text, 'openclaw_channel_connected{account="work",channel="slack"}')).toBe(0);
  });
});
