import type { Counter, Gauge, Histogram, Registry } from "prom-client";

type PromClient = typeof import("prom-client");

/** Seconds: from a fast RPC (5 ms) to a long agent run (10 min). */
export const DURATION_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600,
];
/** Storage calls and GC pauses: sub-millisecond to a second. */
const FAST_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
/** The OpenTelemetry GenAI semantic conventions' buckets for `gen_ai.client.token.usage`. */
const TOKEN_BUCKETS = [
  1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
];

const MODEL_CALL_LABELS = [
  "api",
  "error_category",
  "model",
  "observation_unit",
  "outcome",
  "provider",
] as const;
const RUN_LABELS = ["channel", "model", "outcome", "provider", "trigger"] as const;
const TOOL_LABELS = ["error_category", "outcome", "tool"] as const;
const DELIVERY_LABELS = ["account", "channel", "error_category", "outcome"] as const;

/**
 * Every metric the exporter serves, on its own registry (never prom-client's global one). Names follow OpenClaw's
 * `diagnostics-prometheus` plugin where it measures the same thing; the rest are ours, with the same prefix.
 */
export function defineMetrics(client: PromClient, registry: Registry) {
  const registers = [registry];
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
    new client.Counter<L>({ name, help, labelNames, registers });
  const histogram = <L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    buckets: number[] = DURATION_BUCKETS,
  ) => new client.Histogram<L>({ name, help, labelNames, buckets, registers });
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
    new client.Gauge<L>({ name, help, labelNames, registers });

  return {
    buildInfo: gauge("openclaw_gateway_build_info", "1, labelled with this process's identity.", [
      "process_instance_id",
      "version",
    ]),
    rpcErrors: counter("openclaw_gateway_rpc_errors_total", "WebSocket requests answered with an error.", [
      "code",
      "method",
    ]),
    handshakes: counter("openclaw_gateway_handshakes_total", "WebSocket handshakes, by outcome.", [
      "outcome",
    ]),
    authFailures: counter(
      "openclaw_gateway_auth_failures_total",
      "Refused credentials (auth_failed) and refusals of a locked-out address (locked_out), by surface (ws, http).",
      ["outcome", "surface"],
    ),
    connectionsOpen: gauge("openclaw_gateway_connections_open", "Authenticated WebSocket connections.", [
      "role",
    ]),
    turnCreated: counter("openclaw_session_turn_created_total", "Agent runs accepted (started).", [
      "agent",
      "channel",
      "trigger",
    ]),
    runCompleted: counter("openclaw_run_completed_total", "Agent runs finished.", RUN_LABELS),
    runDuration: histogram(
      "openclaw_run_duration_seconds",
      "Agent run time, accepted to finished.",
      RUN_LABELS,
    ),
    firstToken: histogram(
      "openclaw_run_first_token_seconds",
      "Time from a run's acceptance to its first visible text.",
      ["channel", "trigger"],
    ),
    queueWait: histogram("openclaw_queue_lane_wait_seconds", "Time a run waited for its session lane.", [
      "lane",
    ]),
    modelCalls: counter(
      "openclaw_model_call_total",
      "Provider requests (one per tool-loop step).",
      MODEL_CALL_LABELS,
    ),
    modelCallDuration: histogram(
      "openclaw_model_call_duration_seconds",
      "Provider request time.",
      MODEL_CALL_LABELS,
    ),
    modelTokens: counter("openclaw_model_tokens_total", "Tokens as providers reported them.", [
      "agent",
      "channel",
      "model",
      "provider",
      "token_type",
    ]),
    tokenUsage: histogram(
      "openclaw_gen_ai_client_token_usage",
      "Tokens per provider request (OpenTelemetry GenAI gen_ai.client.token.usage).",
      ["model", "provider", "token_type"],
      TOKEN_BUCKETS,
    ),
    modelCost: counter(
      "openclaw_model_cost_usd_total",
      "Estimated spend in US dollars, from models.providers.*.models[].cost (unpriced models add nothing).",
      ["agent", "channel", "model", "provider"],
    ),
    toolExecutions: counter("openclaw_tool_execution_total", "Tool executions.", TOOL_LABELS),
    toolDuration: histogram("openclaw_tool_execution_duration_seconds", "Tool execution time.", TOOL_LABELS),
    messagesReceived: counter("openclaw_message_received_total", "Inbound channel messages.", [
      "account",
      "channel",
      "outcome",
    ]),
    deliveries: counter("openclaw_message_delivery_total", "Replies sent to a channel.", DELIVERY_LABELS),
    deliveryDuration: histogram(
      "openclaw_message_delivery_duration_seconds",
      "Time to send one reply (all its parts).",
      DELIVERY_LABELS,
    ),
    channelReconnects: counter(
      "openclaw_channel_reconnects_total",
      "Channel account restarts after a failure.",
      ["account", "channel"],
    ),
    channelConnected: gauge(
      "openclaw_channel_connected",
      "1 when the channel account is connected, else 0.",
      ["account", "channel"],
    ),
    cronRuns: counter("openclaw_cron_runs_total", "Scheduled job runs.", ["outcome"]),
    cronDuration: histogram("openclaw_cron_run_duration_seconds", "Scheduled job run time.", ["outcome"]),
    storageOps: histogram(
      "openclaw_storage_operation_seconds",
      "Session store call time.",
      ["op", "outcome"],
      FAST_BUCKETS,
    ),
    memory: gauge(
      "openclaw_memory_bytes",
      "Process memory (rss, heap_total, heap_used, external, array_buffers).",
      ["kind"],
    ),
    gcDuration: histogram("openclaw_gc_duration_seconds", "Garbage collection pauses.", [], FAST_BUCKETS),
    eventLoopDelayMax: histogram(
      "openclaw_gateway_event_loop_delay_max_seconds",
      "Maximum event-loop delay of each one-second window.",
      [],
      [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    ),
    leaseOwned: gauge(
      "openclaw_cluster_lease_owned",
      "1 while this instance holds the named cluster lease (no series until the gateway runs in a cluster).",
      ["lease"],
    ),
    seriesDropped: counter(
      "openclaw_prometheus_series_dropped_total",
      "New series refused because the exporter already holds 2048.",
    ),
  };
}

export type GatewayMetrics = ReturnType<typeof defineMetrics>;
export type { Counter, Gauge, Histogram };
