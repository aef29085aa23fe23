import type { OpenClawConfig } from "../config/index.js";
import type { DiagnosticBus } from "../diagnostics/diagnostic-events.js";
import type { GatewayLogging } from "./gateway-logging.js";
import type { GatewayTelemetry, GatewayTelemetryStarter } from "./gateway-runtime-deps.js";

/**
 * Indexes each run's trace for the log lines (always: they name their trace with or without an exporter) and starts
 * the injected exporter. A failure to start is logged with its code and fix; the gateway serves on without it.
 */
export async function startGatewayTelemetry(o: {
  starter: GatewayTelemetryStarter | undefined;
  config: OpenClawConfig;
  diagnostics: DiagnosticBus;
  logging: GatewayLogging;
  version: string;
  env: NodeJS.ProcessEnv;
}): Promise<GatewayTelemetry> {
  const { diagnostics, logging } = o;
  const stopIndex = diagnostics.subscribe(
    (event) => {
      if (event.type === "run.accepted") logging.runTraces.set(event.runId, event.trace);
    },
    ["run.accepted"],
  );
  let exporter: GatewayTelemetry | undefined;
  try {
    exporter = await o.starter?.({
      config: o.config,
      diagnostics,
      logger: logging.logger.child({ component: "telemetry" }),
      addLogSink: (sink) => logging.addSink(sink),
      version: o.version,
      env: o.env,
    });
  } catch (error) {
    logging.logger.error("telemetry not started", {
      code: (error as { code?: unknown }).code,
      error: (error as Error).message,
    });
  }
  return {
    async close() {
      stopIndex();
      await exporter?.close();
    },
  };
}
