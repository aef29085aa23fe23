import { createLogger, DiagnosticBus, type GatewayTelemetryContext } from "@openclaw/gateway-core";
import { describe, expect, it, vi } from "vitest";
import { createOtelTelemetry } from "./otel-telemetry.js";

function context(config: unknown): GatewayTelemetryContext {
  return {
    config: config as GatewayTelemetryContext["config"],
    diagnostics: new DiagnosticBus(),
    logger: createLogger({ sinks: [] }),
    addLogSink: () => () => undefined,
    version: "0.0.0-test",
    env: {},
  };
}

describe("createOtelTelemetry", () => {
  it("never imports the exporter package unless diagnostics.otel.enabled is true", async () => {
    const load = vi.fn(() => import("@openclaw/diagnostics-otel"));
    const start = createOtelTelemetry(load);
    for (const config of [
      {},
      { diagnostics: {} },
      { diagnostics: { otel: { enabled: false, endpoint: "http://127.0.0.1:1" } } },
      { diagnostics: { enabled: false, otel: { enabled: true, endpoint: "http://127.0.0.1:1" } } },
    ]) {
      await expect(start(context(config))).resolves.toBeUndefined();
    }
    expect(load).not.toHaveBeenCalled();
  });

  it("names the npm command when the package is not installed", async () => {
    const missing = Object.assign(
      new Error(
        "Cannot find package '@openclaw/diagnostics-otel' imported from /srv/app/node_modules/openclaw/dist/chunk-1.js",
      ),
      { code: "ERR_MODULE_NOT_FOUND" },
    );
    const start = createOtelTelemetry(() => Promise.reject(missing));
    await expect(start(context({ diagnostics: { otel: { enabled: true } } }))).rejects.toMatchObject({
      code: "TELEMETRY_PACKAGE_MISSING",
      message: expect.stringContaining(
        "npm i @openclaw/diagnostics-otel` where openclaw is installed (with -g",
      ),
    });
  });

  it("starts the exporter when enabled, and its close stops it", async () => {
    const load = vi.fn(() => import("@openclaw/diagnostics-otel"));
    const started = await createOtelTelemetry(load)(
      context({ diagnostics: { otel: { enabled: true, endpoint: "http://127.0.0.1:9", metrics: false } } }),
    );
    expect(load).toHaveBeenCalledOnce();
    expect(started).toBeDefined();
    await started?.close();
  });
});
