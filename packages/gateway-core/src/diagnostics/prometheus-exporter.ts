import { monitorEventLoopDelay, PerformanceObserver } from "node:perf_hooks";
import type { Counter, Gauge, Histogram } from "prom-client";

type PromClient = typeof import("prom-client");

import { type ModelPrice, modelPrice, tokenCost } from "@openclaw/agent";
import type { DiagnosticBus, DiagnosticEvent, RunTrigger } from "./diagnostic-events.js";
import { boundedLabel, MAX_PROMETHEUS_SERIES, SeriesBudget } from "./metric-series-budget.js";
import { DURATION_BUCKETS, defineMetrics, type GatewayMetrics } from "./prometheus-metrics.js";
import { RpcMetrics } from "./rpc-metrics.js";

/** Content type of the text exposition format 0.0.4. */
export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/** Runs whose end has not been seen, kept for their labels; past this the oldest are forgotten. */
const MAX_TRACKED_RUNS = 10_000;

export interface PrometheusExporterOptions {
  bus: DiagnosticBus;
  version: string;
  /** The process's identity (as `system.info`); in a cluster, the instance id. */
  instanceId: string;
  /** `models` of the current config, for prices. */
  models: () => Parameters<typeof modelPrice>[0];
  /** Each configured channel account and whether it is connected, read at scrape time. */
  channelAccounts?: () => readonly { channel: string; accountId: string; connected: boolean }[];
  /** Adds the process metrics (CPU, memory, heap, event-loop lag) of prom-client under `openclaw_`. Default true. */
  processMetrics?: boolean;
  seriesCap?: number;
}

export interface PrometheusExporter {
  readonly contentType: string;
  /** The exposition text of every metric. */
  render(): Promise<string>;
  /** Unsubscribes from the bus and stops the event-loop and GC observers. */
  close(): void;
}

interface RunLabels {
  channel: string;
  trigger: RunTrigger | "unknown";
  acceptedAt: number;
}

const UNKNOWN_RUN: RunLabels = { channel: "unknown", trigger: "unknown", acceptedAt: 0 };

/**
 * The Prometheus exporter: its own prom-client registry, fed from the diagnostic bus. Loaded with `import()` only
 * when the route is enabled, so a gateway that is not scraped never loads prom-client.
 */
export async function startPrometheusExporter(o: PrometheusExporterOptions): Promise<PrometheusExporter> {
  const imported = await import("prom-client");
  // A bundler (the `openclaw` CLI is one bundle) may hand the CommonJS module over as `default` only.
  const client = (
    "Registry" in imported ? imported : (imported as { default: typeof imported }).default
  ) as PromClient;
  const registry = new client.Registry();
  const m = defineMetrics(client, registry);
  const budget = new SeriesBudget(o.seriesCap ?? MAX_PROMETHEUS_SERIES, () => m.seriesDropped.inc());
  const rpc = new RpcMetrics(DURATION_BUCKETS);
  const record = createRecorder(m, rpc, budget, o);

  // The process id is a UUID, which the label policy refuses elsewhere: here it is the point (one series per process).
  const identity = { process_instance_id: o.instanceId, version: boundedLabel(o.version) };
  if (budget.admit("openclaw_gateway_build_info", identity)) m.buildInfo.set(identity, 1);
  if (o.processMetrics !== false) client.collectDefaultMetrics({ register: registry, prefix: "openclaw_" });
  const stopRuntime = observeRuntime(m, budget);
  const unsubscribe = o.bus.subscribe(record);

  return {
    contentType: PROMETHEUS_CONTENT_TYPE,
    render() {
      sampleAtScrape(m, budget, o);
      return registry.metrics().then((text) => `${text.endsWith("\n") ? text : `${text}\n`}${rpc.render()}`);
    },
    close() {
      unsubscribe();
      stopRuntime();
    },
  };
}

/** Updates one series unless the cap refuses it. */
function inc<L extends string>(
  budget: SeriesBudget,
  metric: Counter<L> | Gauge<L>,
  labels: Record<L, string>,
  value = 1,
): void {
  if (budget.admit((metric as unknown as { name: string }).name, labels)) metric.inc(labels, value);
}

function observe<L extends string>(
  budget: SeriesBudget,
  metric: Histogram<L>,
  labels: Record<L, string>,
  value: number,
): void {
  if (budget.admit((metric as unknown as { name: string }).name, labels)) metric.observe(labels, value);
}

const seconds = (from: number, to: number) => Math.max(0, to - from) / 1000;

function createRecorder(
  m: GatewayMetrics,
  rpc: RpcMetrics,
  budget: SeriesBudget,
  o: PrometheusExporterOptions,
) {
  const runs = new Map<string, RunLabels>();
  const runOf = (runId: string) => runs.get(runId) ?? UNKNOWN_RUN;
  const prices = new Map<string, ModelPrice | undefined>();
  let pricedModels: unknown;
  const priceOf = (provider: string, model: string): ModelPrice | undefined => {
    const models = o.models();
    // Prices are cached per config object: a reload swaps the object.
    if (models !== pricedModels) {
      prices.clear();
      pricedModels = models;
    }
    const key = `${provider}/${model}`;
    if (!prices.has(key)) prices.set(key, modelPrice(models, provider, model));
    return prices.get(key);
  };

  const rpcSeries = new Map<string, { labels: { method: string }; admitted: boolean }>();
  const rpcSeriesOf = (method: string) => {
    const labels = { method: boundedLabel(method) };
    // Both are asked, so a method refused at the cap counts once per metric, as for every other series.
    const counted = budget.admit("openclaw_gateway_rpc_requests_total", labels);
    const timed = budget.admit("openclaw_gateway_rpc_handler_seconds", labels);
    const series = { labels, admitted: counted && timed };
    // Method names are bounded by the registry ("unknown" for the rest), so this map is too.
    rpcSeries.set(method, series);
    return series;
  };

  return (event: DiagnosticEvent): void => {
    switch (event.type) {
      case "run.accepted": {
        if (runs.size >= MAX_TRACKED_RUNS) runs.delete(runs.keys().next().value as string);
        runs.set(event.runId, {
          channel: boundedLabel(event.channel),
          trigger: event.trigger,
          acceptedAt: event.at,
        });
        inc(budget, m.turnCreated, {
          agent: boundedLabel(event.agentId),
          channel: boundedLabel(event.channel),
          trigger: event.trigger,
        });
        return;
      }
      case "run.start":
        observe(
          budget,
          m.queueWait,
          { lane: runOf(event.runId).trigger },
          seconds(event.queuedAt, event.startedAt),
        );
        return;
      case "run.first_token": {
        const run = runs.get(event.runId);
        if (run)
          observe(
            budget,
            m.firstToken,
            { channel: run.channel, trigger: run.trigger },
            seconds(run.acceptedAt, event.at),
          );
        return;
      }
      case "run.end": {
        const run = runOf(event.runId);
        runs.delete(event.runId);
        const labels = {
          channel: run.channel,
          model: boundedLabel(event.model, "none"),
          outcome: event.status,
          provider: boundedLabel(event.provider, "none"),
          trigger: run.trigger,
        };
        inc(budget, m.runCompleted, labels);
        if (run.acceptedAt > 0)
          observe(budget, m.runDuration, labels, seconds(run.acceptedAt, event.endedAt));
        return;
      }
      case "model.call": {
        const provider = boundedLabel(event.provider);
        const model = boundedLabel(event.model);
        const labels = {
          api: boundedLabel(event.api, "none"),
          error_category: boundedLabel(event.errorCategory, "none"),
          model,
          observation_unit: "request",
          outcome: event.outcome,
          provider,
        };
        inc(budget, m.modelCalls, labels);
        observe(budget, m.modelCallDuration, labels, seconds(event.startedAt, event.endedAt));
        const agent = boundedLabel(event.agentId);
        const { channel } = runOf(event.runId);
        const { usage } = event;
        for (const [tokenType, count] of [
          ["input", usage.input],
          ["output", usage.output],
          ["cache_read", usage.cacheRead],
          ["cache_write", usage.cacheWrite],
        ] as const) {
          if (count <= 0) continue;
          inc(budget, m.modelTokens, { agent, channel, model, provider, token_type: tokenType }, count);
          observe(budget, m.tokenUsage, { model, provider, token_type: tokenType }, count);
        }
        const price = priceOf(event.provider, event.model);
        if (price)
          inc(budget, m.modelCost, { agent, channel, model, provider }, tokenCost(price, usage).total);
        return;
      }
      case "tool.call": {
        const labels = {
          error_category: boundedLabel(event.errorCategory, "none"),
          outcome: event.outcome,
          tool: boundedLabel(event.tool, "other"),
        };
        inc(budget, m.toolExecutions, labels);
        observe(budget, m.toolDuration, labels, seconds(event.startedAt, event.endedAt));
        return;
      }
      case "rpc.request": {
        // The hottest event (every WS request): its label object and cap verdicts are kept per method.
        // A refused series counts as dropped on every update (its first refusal was counted by the budget).
        const known = rpcSeries.get(event.method);
        const series = known ?? rpcSeriesOf(event.method);
        if (series.admitted) rpc.record(series.labels.method, seconds(event.startedAt, event.endedAt));
        else if (known) m.seriesDropped.inc();
        if (!event.ok)
          inc(budget, m.rpcErrors, { code: boundedLabel(event.errorCode), method: series.labels.method });
        return;
      }
      case "handshake":
        inc(budget, m.handshakes, { outcome: event.outcome });
        if (event.outcome === "auth_failed" || event.outcome === "locked_out") {
          inc(budget, m.authFailures, { outcome: event.outcome, surface: "ws" });
        }
        return;
      case "http.auth_failure":
        inc(budget, m.authFailures, { outcome: event.outcome, surface: "http" });
        return;
      case "connection.open":
      case "connection.close": {
        const labels = { role: boundedLabel(event.role) };
        if (!budget.admit("openclaw_gateway_connections_open", labels)) return;
        if (event.type === "connection.open") m.connectionsOpen.inc(labels);
        else m.connectionsOpen.dec(labels);
        return;
      }
      case "message.received":
        inc(budget, m.messagesReceived, {
          account: boundedLabel(event.accountId),
          channel: boundedLabel(event.channel),
          outcome: event.outcome,
        });
        return;
      case "message.delivered": {
        const labels = {
          account: boundedLabel(event.accountId),
          channel: boundedLabel(event.channel),
          error_category: boundedLabel(event.errorCategory, "none"),
          outcome: event.outcome,
        };
        inc(budget, m.deliveries, labels);
        observe(budget, m.deliveryDuration, labels, seconds(event.startedAt, event.endedAt));
        return;
      }
      case "channel.state":
        if (event.state === "reconnecting") {
          inc(budget, m.channelReconnects, {
            account: boundedLabel(event.accountId),
            channel: boundedLabel(event.channel),
          });
        }
        return;
      case "cron.run":
        inc(budget, m.cronRuns, { outcome: event.outcome });
        observe(budget, m.cronDuration, { outcome: event.outcome }, seconds(event.startedAt, event.endedAt));
        return;
      case "storage.op":
        observe(
          budget,
          m.storageOps,
          { op: boundedLabel(event.op, "other"), outcome: event.ok ? "ok" : "error" },
          seconds(event.startedAt, event.endedAt),
        );
        return;
      default:
        return;
    }
  };
}

/** Gauges read when Prometheus scrapes: memory, and each channel account's connection. */
function sampleAtScrape(m: GatewayMetrics, budget: SeriesBudget, o: PrometheusExporterOptions): void {
  const memory = process.memoryUsage();
  for (const [kind, bytes] of [
    ["rss", memory.rss],
    ["heap_total", memory.heapTotal],
    ["heap_used", memory.heapUsed],
    ["external", memory.external],
    ["array_buffers", memory.arrayBuffers],
  ] as const) {
    if (budget.admit("openclaw_memory_bytes", { kind })) m.memory.set({ kind }, bytes);
  }
  if (!o.channelAccounts) return;
  for (const account of o.channelAccounts()) {
    const labels = { account: boundedLabel(account.accountId), channel: boundedLabel(account.channel) };
    if (budget.admit("openclaw_channel_connected", labels))
      m.channelConnected.set(labels, account.connected ? 1 : 0);
  }
}

/** The event-loop delay of each one-second window and each GC pause; returns the stop function. */
function observeRuntime(m: GatewayMetrics, budget: SeriesBudget): () => void {
  const delay = monitorEventLoopDelay({ resolution: 20 });
  delay.enable();
  const window = setInterval(() => {
    if (delay.count > 0) observe(budget, m.eventLoopDelayMax, {}, delay.max / 1e9);
    delay.reset();
  }, 1000);
  window.unref();
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) observe(budget, m.gcDuration, {}, entry.duration / 1000);
  });
  gc.observe({ entryTypes: ["gc"] });
  return () => {
    clearInterval(window);
    delay.disable();
    gc.disconnect();
  };
}
