import type { DiagnosticEvent, LogRecord } from "@openclaw/gateway-core";
import { DiagLogLevel, diag } from "@opentelemetry/api";
import { OTLPLogExporter } from "@opentelemetry/exporter-logs-otlp-proto";
import { OTLPMetricExporter } from "@opentelemetry/exporter-metrics-otlp-proto";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchLogRecordProcessor, LoggerProvider } from "@opentelemetry/sdk-logs";
import { MeterProvider, PeriodicExportingMetricReader } from "@opentelemetry/sdk-metrics";
import {
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from "@opentelemetry/sdk-trace";
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from "@opentelemetry/semantic-conventions";
import { otlpLogSink, stdoutLogSink } from "./log-records.js";
import { type OtelConfig, resolveOtelOptions } from "./otel-options.js";
import { PresetIdGenerator } from "./preset-id-generator.js";
import { createRunMetrics } from "./run-metrics.js";
import { RunSpanBuilder } from "./run-spans.js";

const SCOPE = "@openclaw/diagnostics-otel";

export interface OtelDiagnosticsOptions {
  /** `diagnostics.otel` of the config. */
  config: OtelConfig;
  /** The gateway's diagnostic events (`runtime.diagnostics`). */
  diagnostics: { subscribe(listener: (event: DiagnosticEvent) => void): () => void };
  /** Where log records come from (`diagnostics.otel.logs`); without it no logs are exported. */
  addLogSink?: (sink: (record: LogRecord) => void) => () => void;
  /** `service.version` of the resource. */
  serviceVersion?: string;
  /** `OTEL_*` fallbacks (default: none). */
  env?: NodeJS.ProcessEnv;
  /**
   * Where the SDK's own warnings go (a collector that cannot be reached, a refused export). OpenTelemetry keeps one
   * such logger per process: the last exporter started owns it.
   */
  logger?: { warn(message: string, fields?: Record<string, unknown>): void };
}

export interface OtelDiagnostics {
  /** Ends open runs' spans, sends everything buffered and stops the exporters. */
  close(): Promise<void>;
}

/**
 * Exports the gateway's diagnostic events over OTLP/HTTP protobuf: a trace per run, the core metrics, and (when
 * `logs` is on) every log record with its run's trace id. Nothing global is registered: two gateways in one process
 * export independently.
 */
export function startOtelDiagnostics(options: OtelDiagnosticsOptions): OtelDiagnostics {
  const env = options.env ?? {};
  const resolved = resolveOtelOptions(options.config, env);
  const resource = resourceFromAttributes({
    [ATTR_SERVICE_NAME]: resolved.serviceName,
    ...(options.serviceVersion ? { [ATTR_SERVICE_VERSION]: options.serviceVersion } : {}),
  });
  const headers = resolved.headers;
  if (options.logger) routeSdkWarnings(options.logger);
  const closers: Array<() => Promise<void>> = [];
  const listeners: Array<(event: DiagnosticEvent) => void> = [];

  if (resolved.traces) {
    const ids = new PresetIdGenerator();
    const provider = new TracerProvider({
      resource,
      idGenerator: ids,
      sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(resolved.sampleRate) }),
      spanProcessors: [
        new BatchSpanProcessor({
          exporter: new OTLPTraceExporter({ url: resolved.traces.url, headers }),
          scheduledDelayMillis: resolved.flushIntervalMs,
        }),
      ],
    });
    const spans = new RunSpanBuilder({
      tracer: provider.getTracer(SCOPE),
      ids,
      latestGenAi: (env.OTEL_SEMCONV_STABILITY_OPT_IN ?? "")
        .split(",")
        .includes("gen_ai_latest_experimental"),
    });
    listeners.push((event) => spans.handle(event));
    closers.push(async () => {
      spans.endAll();
      await provider.shutdown();
    });
  }

  if (resolved.metrics) {
    const provider = new MeterProvider({
      resource,
      readers: [
        new PeriodicExportingMetricReader({
          exporter: new OTLPMetricExporter({ url: resolved.metrics.url, headers }),
          exportIntervalMillis: resolved.metricIntervalMs,
          exportTimeoutMillis: Math.min(30_000, resolved.metricIntervalMs),
        }),
      ],
    });
    listeners.push(createRunMetrics(provider.getMeter(SCOPE)));
    closers.push(() => provider.shutdown());
  }

  if (resolved.logs && options.addLogSink) {
    if (resolved.logs.url) {
      const provider = new LoggerProvider({
        resource,
        processors: [
          new BatchLogRecordProcessor({
            exporter: new OTLPLogExporter({ url: resolved.logs.url, headers }),
            scheduledDelayMillis: resolved.flushIntervalMs,
          }),
        ],
      });
      const remove = options.addLogSink(otlpLogSink(provider.getLogger(SCOPE)));
      closers.push(async () => {
        remove();
        await provider.shutdown();
      });
    }
    if (resolved.logs.stdout) {
      const remove = options.addLogSink(stdoutLogSink());
      closers.push(async () => remove());
    }
  }

  const unsubscribe = options.diagnostics.subscribe((event) => {
    for (const listener of listeners) listener(event);
  });
  let closed: Promise<void> | undefined;
  return {
    close() {
      closed ??= (async () => {
        unsubscribe();
        // A last flush that fails (collector down) is reported, not thrown: the gateway's own close goes on.
        for (const settled of await Promise.allSettled(closers.map((close) => close()))) {
          if (settled.status === "rejected") {
            options.logger?.warn("opentelemetry export problem", { detail: describe(settled.reason) });
          }
        }
        if (options.logger) diag.disable();
      })();
      return closed;
    },
  };
}

/** The SDK's warnings and errors (failed exports) as gateway log lines; its chatter below warn stays out. */
function routeSdkWarnings(logger: NonNullable<OtelDiagnosticsOptions["logger"]>): void {
  const warn = (message: string, ...args: unknown[]) =>
    logger.warn("opentelemetry export problem", {
      detail: [message, ...args.map(describe)].join(" ").slice(0, 500),
    });
  const quiet = () => undefined;
  diag.setLogger(
    { error: warn, warn, info: quiet, debug: quiet, verbose: quiet },
    { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
  );
}

function describe(value: unknown): string {
  return (value instanceof Error ? value.message : String(value)).slice(0, 500);
}
