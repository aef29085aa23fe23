import { prometheusEnabled } from "../config/diagnostics-config-schema.js";
import type { OpenClawConfig } from "../config/index.js";
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
): Promise<PrometheusExporter | undefined> {
  if (!prometheusEnabled(config)) return undefined;
  const { startPrometheusExporter } = await import("./prometheus-exporter.js");
  return startPrometheusExporter(options);
}
