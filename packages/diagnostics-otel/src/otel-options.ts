/**
 * `diagnostics.otel` as OpenClaw spells it. The gateway's config schema validates it; `resolveOtelOptions` applies
 * the defaults and the standard `OTEL_*` environment fallbacks.
 */
export interface OtelConfig {
  enabled?: boolean;
  /** The collector's base URL (`http://collector:4318`); each signal posts to `<endpoint>/v1/<signal>`. */
  endpoint?: string;
  /** Full URLs for one signal; each wins over `endpoint` for its signal. */
  tracesEndpoint?: string;
  metricsEndpoint?: string;
  logsEndpoint?: string;
  /** Only "http/protobuf" is supported (OpenClaw retired gRPC). */
  protocol?: string;
  /** Sent with every export request (e.g. an API key of a hosted backend). */
  headers?: Record<string, string>;
  serviceName?: string;
  /** Per signal; traces and metrics default on, logs off. */
  traces?: boolean;
  metrics?: boolean;
  logs?: boolean;
  /** "otlp" (default), "stdout" (one JSON object a line) or "both". */
  logsExporter?: string;
  /** The share of new traces kept, 0 to 1 (default 1); a caller's sampled flag decides for continued traces. */
  sampleRate?: number;
  /** How often spans, metrics and log records are sent (ms). */
  flushIntervalMs?: number;
}

export interface ResolvedOtelOptions {
  serviceName: string;
  headers: Record<string, string>;
  traces: { url: string } | undefined;
  metrics: { url: string } | undefined;
  logs: { url: string | undefined; stdout: boolean } | undefined;
  sampleRate: number;
  /** How long spans and log records wait in their batch before they are sent. */
  flushIntervalMs: number;
  /** How often metrics are sent: `flushIntervalMs` when configured, else a minute. */
  metricIntervalMs: number;
}

export const DEFAULT_OTLP_ENDPOINT = "http://localhost:4318";
const DEFAULT_SPAN_FLUSH_MS = 5_000;
const DEFAULT_METRIC_INTERVAL_MS = 60_000;

/** Raised for a config the exporter cannot use; the message names the key to change. */
export class OtelConfigError extends Error {
  override readonly name = "OtelConfigError";
  readonly code = "OTEL_CONFIG_INVALID";
}

function signalUrl(base: string, signal: "traces" | "metrics" | "logs"): string {
  return `${base.replace(/\/+$/, "")}/v1/${signal}`;
}

function checkedUrl(value: string, key: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new OtelConfigError(`diagnostics.otel.${key} is not a URL: set it like "http://collector:4318"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new OtelConfigError(
      `diagnostics.otel.${key} must be an http(s) URL (OTLP/HTTP), not ${url.protocol}`,
    );
  }
  return value;
}

/** The options the exporter runs with: config first, then `OTEL_*` variables, then the defaults. */
export function resolveOtelOptions(config: OtelConfig, env: NodeJS.ProcessEnv = {}): ResolvedOtelOptions {
  const protocol = config.protocol ?? env.OTEL_EXPORTER_OTLP_PROTOCOL ?? "http/protobuf";
  if (protocol !== "http/protobuf") {
    throw new OtelConfigError(
      `diagnostics.otel.protocol "${protocol}" is not supported: use "http/protobuf" (OTLP over HTTP, port 4318)`,
    );
  }
  const base = checkedUrl(
    config.endpoint ?? env.OTEL_EXPORTER_OTLP_ENDPOINT ?? DEFAULT_OTLP_ENDPOINT,
    "endpoint",
  );
  const url = (signal: "traces" | "metrics" | "logs", own: string | undefined, envName: string) => {
    const explicit = own ?? env[envName];
    return explicit ? checkedUrl(explicit, `${signal}Endpoint`) : signalUrl(base, signal);
  };
  const sampleRate = config.sampleRate ?? 1;
  if (!(sampleRate >= 0 && sampleRate <= 1)) {
    throw new OtelConfigError(`diagnostics.otel.sampleRate must be between 0 and 1, got ${sampleRate}`);
  }
  const logsExporter = config.logsExporter ?? "otlp";
  if (!["otlp", "stdout", "both"].includes(logsExporter)) {
    throw new OtelConfigError(`diagnostics.otel.logsExporter must be "otlp", "stdout" or "both"`);
  }
  const flushIntervalMs = config.flushIntervalMs;
  return {
    serviceName: config.serviceName ?? env.OTEL_SERVICE_NAME ?? "openclaw",
    headers: { ...(config.headers ?? {}) },
    traces:
      config.traces === false
        ? undefined
        : { url: url("traces", config.tracesEndpoint, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") },
    metrics:
      config.metrics === false
        ? undefined
        : { url: url("metrics", config.metricsEndpoint, "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT") },
    logs:
      config.logs === true
        ? {
            url:
              logsExporter === "stdout"
                ? undefined
                : url("logs", config.logsEndpoint, "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT"),
            stdout: logsExporter !== "otlp",
          }
        : undefined,
    sampleRate,
    flushIntervalMs: flushIntervalMs && flushIntervalMs > 0 ? flushIntervalMs : DEFAULT_SPAN_FLUSH_MS,
    metricIntervalMs: flushIntervalMs && flushIntervalMs > 0 ? flushIntervalMs : DEFAULT_METRIC_INTERVAL_MS,
  };
}
