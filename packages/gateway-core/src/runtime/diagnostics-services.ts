import type { SessionStore, UsageLedger } from "@openclaw/sessions";
import type { OpenClawConfig } from "../config/index.js";
import { DiagnosticBus } from "../diagnostics/diagnostic-events.js";
import { PROCESS_INSTANCE_ID } from "../diagnostics/process-identity.js";
import type { PrometheusExporter } from "../diagnostics/prometheus-exporter.js";
import { diagnosticsExported, startPrometheusIfEnabled } from "../diagnostics/start-prometheus.js";
import { timeSessionStore } from "../diagnostics/timed-session-store.js";
import type { Logger } from "../logging/logger.js";
import { startUsageRecorder } from "../usage/usage-recorder.js";
import type { GatewayLogging } from "./gateway-logging.js";
import type { GatewayRuntimeDeps, GatewayTelemetry } from "./gateway-runtime-deps.js";
import { startGatewayTelemetry } from "./gateway-telemetry.js";

/** The bus every service reports to; a listener's failure is logged, never thrown at the emitter. */
export function createDiagnosticBus(logger: Logger): DiagnosticBus {
  return new DiagnosticBus((error) =>
    logger.warn("diagnostics listener failed", { error: (error as Error).message }),
  );
}

/** The session store, timed per call (`storage.op`) only when an exporter is configured. */
export function observedSessionStore(
  store: SessionStore,
  config: OpenClawConfig,
  bus: DiagnosticBus,
): SessionStore {
  return diagnosticsExported(config) ? timeSessionStore(store, bus) : store;
}

export interface DiagnosticsServices {
  readonly prometheus: PrometheusExporter | undefined;
  /** Writes the last usage rows, flushes spans and log records, stops the exporters. */
  close(): Promise<void>;
}

/**
 * What listens on the bus: the log lines' trace index and the OpenTelemetry exporter (when configured), the usage
 * ledger (always: usage is product data, not telemetry) and the Prometheus exporter (when its route is on).
 */
export async function startDiagnosticsServices(o: {
  bus: DiagnosticBus;
  config: () => OpenClawConfig;
  deps: Pick<GatewayRuntimeDeps, "telemetry" | "version">;
  env: NodeJS.ProcessEnv;
  logging: GatewayLogging;
  logger: Logger;
  ledger: UsageLedger | undefined;
  sessions: SessionStore;
  channelAccounts: () => readonly { channel: string; accountId: string; connected: boolean }[];
}): Promise<DiagnosticsServices> {
  const { bus, config, logger } = o;
  const telemetry: GatewayTelemetry = await startGatewayTelemetry({
    starter: o.deps.telemetry,
    config: config(),
    diagnostics: bus,
    logging: o.logging,
    version: o.deps.version,
    env: o.env,
  });
  const usageRecorder = startUsageRecorder({
    diagnostics: bus,
    ledger: o.ledger,
    sessions: o.sessions,
    models: () => config().models,
    logger: logger.child({ component: "usage" }),
  });
  let prometheus: PrometheusExporter | undefined;
  try {
    prometheus = await startPrometheusIfEnabled(
      config(),
      {
        bus,
        version: o.deps.version,
        instanceId: PROCESS_INSTANCE_ID,
        models: () => config().models,
        channelAccounts: o.channelAccounts,
      },
      logger,
    );
  } catch (error) {
    await usageRecorder.close();
    await telemetry.close();
    throw error;
  }
  return {
    prometheus,
    async close() {
      await usageRecorder.close();
      await telemetry.close();
      prometheus?.close();
    },
  };
}
