import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { OpenClawConfig } from "../config/index.js";
import { DiagnosticBus } from "../diagnostics/diagnostic-events.js";
import { newTraceContext } from "../diagnostics/trace-context.js";
import type { LogRecord } from "../logging/logger.js";
import { type GatewayLogging, openGatewayLogging } from "./gateway-logging.js";
import { startGatewayTelemetry } from "./gateway-telemetry.js";

let stateDir: string;
let logging: GatewayLogging;
const records: LogRecord[] = [];

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "oc-telemetry-"));
  logging = openGatewayLogging({ stateDir, logging: {} as OpenClawConfig["logging"] });
  records.length = 0;
  logging.addSink((record) => records.push(record));
});
afterEach(async () => {
  await logging.close();
  await rm(stateDir, { recursive: true, force: true });
});

const base = { config: {} as OpenClawConfig, version: "1.0.0", env: {} };

describe("startGatewayTelemetry", () => {
  it("indexes each accepted run's trace for the log lines, with no exporter at all", async () => {
    const diagnostics = new DiagnosticBus();
    const telemetry = await startGatewayTelemetry({ ...base, starter: undefined, diagnostics, logging });
    const trace = newTraceContext();
    diagnostics.emit({
      type: "run.accepted",
      runId: "run-1",
      sessionKey: "agent:main:main",
      agentId: "main",
      channel: "webchat",
      trigger: "user",
      at: Date.now(),
      trace,
    });
    logging.logger.warn("chat run failed", { runId: "run-1" });
    expect(records.at(-1)).toMatchObject({ traceId: trace.traceId, spanId: trace.spanId });
    await telemetry.close();
    expect(diagnostics.active).toBe(false);
  });

  it("logs a starter's failure with its code and serves on", async () => {
    const failure = Object.assign(new Error("@openclaw/diagnostics-otel is not installed: run `npm i ...`"), {
      code: "TELEMETRY_PACKAGE_MISSING",
    });
    const telemetry = await startGatewayTelemetry({
      ...base,
      starter: () => Promise.reject(failure),
      diagnostics: new DiagnosticBus(),
      logging,
    });
    expect(records.find((record) => record.msg === "telemetry not started")).toMatchObject({
      level: "error",
      code: "TELEMETRY_PACKAGE_MISSING",
    });
    await telemetry.close();
  });

  it("hands the exporter the bus and the log records, and closes it", async () => {
    const diagnostics = new DiagnosticBus();
    const exported: LogRecord[] = [];
    let closed = false;
    const telemetry = await startGatewayTelemetry({
      ...base,
      diagnostics,
      logging,
      starter: async (context) => {
        expect(context.diagnostics).toBe(diagnostics);
        const remove = context.addLogSink((record) => exported.push(record));
        context.logger.info("exporter started");
        return {
          close: async () => {
            remove();
            closed = true;
          },
        };
      },
    });
    logging.logger.info("after start");
    await telemetry.close();
    logging.logger.info("after close");
    expect(closed).toBe(true);
    expect(exported.map((record) => record.msg)).toEqual(["exporter started", "after start"]);
    expect(exported[0]?.component).toBe("telemetry");
  });
});
