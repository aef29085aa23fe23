import type { OtelConfig } from "@openclaw/diagnostics-otel";
import { GatewayStartError, type GatewayTelemetryStarter } from "@openclaw/gateway-core";
import { importOptionalPackage } from "./channel-package.js";

export const OTEL_PACKAGE = "@openclaw/diagnostics-otel";

type OtelPackage = typeof import("@openclaw/diagnostics-otel");

/**
 * The gateway's telemetry starter: with `diagnostics.otel.enabled` true it imports `@openclaw/diagnostics-otel` (an
 * optional peer, like the channels) and starts it; otherwise nothing is imported, so a gateway without OpenTelemetry
 * neither loads the SDK nor pays for it in memory. `load` is the import (tests replace it).
 */
export function createOtelTelemetry(
  load: () => Promise<OtelPackage> = () => import("@openclaw/diagnostics-otel"),
): GatewayTelemetryStarter {
  return async (context) => {
    const diagnostics = (context.config as { diagnostics?: { enabled?: boolean; otel?: OtelConfig } })
      .diagnostics;
    // `diagnostics.enabled: false` is OpenClaw's master switch: every exporter stays off.
    const otel = diagnostics?.enabled === false ? undefined : diagnostics?.otel;
    if (otel?.enabled !== true) return undefined;
    const { startOtelDiagnostics } = await importOtelPackage(load);
    return startOtelDiagnostics({
      config: otel,
      diagnostics: context.diagnostics,
      addLogSink: context.addLogSink,
      serviceVersion: context.version,
      env: context.env,
      logger: context.logger,
    });
  };
}

function importOtelPackage(load: () => Promise<OtelPackage>): Promise<OtelPackage> {
  return importOptionalPackage(
    OTEL_PACKAGE,
    load,
    (install, cause) =>
      new GatewayStartError(
        "TELEMETRY_PACKAGE_MISSING",
        `diagnostics.otel.enabled is true but ${OTEL_PACKAGE} is not installed: ${install} and restart the gateway, or set diagnostics.otel.enabled to false`,
        { cause },
      ),
  );
}
