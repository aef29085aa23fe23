import { z } from "zod";
import { positiveInt } from "./schema-numbers.js";

const MAX_HEADER_VALUE_CHARS = 4096;
/** URLs are checked by the exporter, which names the key; a typo there must not stop the gateway from starting. */
const urlString = z.string().min(1).max(2048);

/** OpenClaw's `diagnostics.otel`: OTLP/HTTP export of traces, metrics and logs (the `@openclaw/diagnostics-otel` package). */
export const DiagnosticsOtelSchema = z
  .looseObject({
    enabled: z.boolean().default(false).meta({ title: "Export OpenTelemetry" }),
    endpoint: urlString.optional().meta({
      title: "OTLP endpoint",
      description: "Collector base URL (…:4318); /v1/traces, /v1/metrics and /v1/logs are appended.",
    }),
    tracesEndpoint: urlString.optional().meta({ title: "Traces endpoint (overrides endpoint)" }),
    metricsEndpoint: urlString.optional().meta({ title: "Metrics endpoint (overrides endpoint)" }),
    logsEndpoint: urlString.optional().meta({ title: "Logs endpoint (overrides endpoint)" }),
    // Checked by the exporter (as OpenClaw does, per signal): a retired "grpc" disables export, not the gateway.
    protocol: z
      .string()
      .max(64)
      .optional()
      .meta({ title: "OTLP protocol", description: 'Only "http/protobuf".' }),
    headers: z
      .record(z.string().min(1).max(256), z.string().max(MAX_HEADER_VALUE_CHARS))
      .optional()
      .meta({ title: "Export request headers" }),
    serviceName: z.string().min(1).max(256).optional().meta({ title: "service.name" }),
    traces: z.boolean().default(true).meta({ title: "Export traces" }),
    metrics: z.boolean().default(true).meta({ title: "Export metrics" }),
    logs: z.boolean().default(false).meta({ title: "Export logs" }),
    logsExporter: z.enum(["otlp", "stdout", "both"]).default("otlp").meta({ title: "Log sink" }),
    sampleRate: z.number().min(0).max(1).default(1).meta({ title: "Trace sample rate (0-1)" }),
    flushIntervalMs: positiveInt().optional().meta({ title: "Flush interval (ms)" }),
  })
  .meta({ title: "OpenTelemetry export" });

/** This gateway's own switch for the Prometheus route (OpenClaw enables it with its plugin instead). */
export const DiagnosticsPrometheusSchema = z
  .looseObject({
    enabled: z.boolean().optional().meta({
      title: "Serve /api/diagnostics/prometheus",
      description:
        'Metrics for Prometheus on the gateway port (operator.read). Also on with plugins.entries["diagnostics-prometheus"].enabled.',
    }),
  })
  .meta({ title: "Prometheus metrics" });

/** OpenClaw's `diagnostics`: the master switch and the exporters (`flags` and `cacheTrace` are reported as unsupported). */
export const DiagnosticsSchema = z
  .looseObject({
    enabled: z.boolean().default(true).meta({
      title: "Diagnostics",
      description: "Master switch: false turns every exporter (Prometheus, OpenTelemetry) off.",
    }),
    otel: DiagnosticsOtelSchema.optional(),
    prometheus: DiagnosticsPrometheusSchema.optional(),
  })
  .meta({ title: "Diagnostics" });

export type DiagnosticsConfig = z.infer<typeof DiagnosticsSchema>;

/** OpenClaw's plugin id for the Prometheus exporter: enabling it in `plugins.entries` turns the route on. */
export const PROMETHEUS_PLUGIN_ID = "diagnostics-prometheus";

/**
 * Whether the gateway serves `/api/diagnostics/prometheus`: diagnostics are on (the default) and either
 * `diagnostics.prometheus.enabled` or OpenClaw's `plugins.entries["diagnostics-prometheus"].enabled` is true.
 * Off unless asked for, so a gateway that does not scrape loads no metrics code.
 */
export function prometheusEnabled(config: {
  diagnostics?: { enabled?: boolean; prometheus?: { enabled?: boolean | undefined } | undefined } | undefined;
  plugins?: { entries?: Record<string, { enabled?: boolean | undefined }> | undefined } | undefined;
}): boolean {
  if (config.diagnostics?.enabled === false) return false;
  const own = config.diagnostics?.prometheus?.enabled;
  if (own !== undefined) return own;
  return config.plugins?.entries?.[PROMETHEUS_PLUGIN_ID]?.enabled === true;
}
