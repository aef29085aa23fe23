import { prometheusEnabled } from "../config/diagnostics-config-schema.js";
import type { OpenClawConfig } from "../config/index.js";
import type { Logger } from "../logging/logger.js";
import type { PrometheusExporter, PrometheusExporterOptions } from "./prometheus-exporter.js";

/**
 * Whether anything consumes diagnostic events beyond the log: the Prometheus route or OpenTelemetry export. Costly
 * emit points (the storage timing wrapper) are installed only then.
 */
export function diagnosticsExported(config: OpenClawConfig): boolean {
  if (config.diagnostics.enabled === false) return false;
  return prometheusEnabled(config) || config.diagnostics.otel?.enabled === true;
}

/**
 * Starts the Prometheus exporter when the config enables its route (see {@link prometheusEnabled}); undefined
 * otherwise, and then prom-client is never loaded. A change of the setting needs a restart, as in OpenClaw.
 */
export async function startPrometheusIfEnabled(
  config: OpenClawConfig,
  options: PrometheusExporterOptions,
  logger: Logger,
): Promise<PrometheusExporter | undefined> {
  if (!prometheusEnabled(config)) return undefined;
  try {
    const { startPrometheusExporter } = await import("./prometheus-exporter.js");
    return await startPrometheusExporter(options);
  } catch (error) {
    // Metrics are not worth a gateway that does not start: the route then answers 503 with this cause.
    logger.error("prometheus exporter not started", { error: (error as Error).message });
    return unavailableExporter((error as Error).message);
  }
}

/** What the route serves when the exporter failed to start: every scrape fails, naming the cause. */
function unavailableExporter(cause: string): PrometheusExporter {
  return {
    contentType: "text/plain; charset=utf-8",
    render: () => Promise.reject(new PrometheusUnavailableError(cause)),
    close() {},
  };
}

export class PrometheusUnavailableError extends Error {
  readonly code = "PROMETHEUS_UNAVAILABLE";
  constructor(cause: string) {
    super(
      `the Prometheus exporter did not start (${cause}): see the gateway log, fix it and restart the gateway`,
    );
  }
}
