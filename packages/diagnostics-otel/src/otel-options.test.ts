import { describe, expect, it } from "vitest";
import { resolveOtelOptions } from "./otel-options.js";

describe("resolveOtelOptions", () => {
  it("appends /v1/<signal> to the base endpoint; a signal's own URL wins; logs are off by default", () => {
    const options = resolveOtelOptions({
      endpoint: "http://collector:4318/",
      metricsEndpoint: "https://metrics.example.com/otlp/v1/metrics",
    });
    expect(options.traces?.url).toBe("http://collector:4318/v1/traces");
    expect(options.metrics?.url).toBe("https://metrics.example.com/otlp/v1/metrics");
    expect(options.logs).toBeUndefined();
    expect(options).toMatchObject({
      serviceName: "openclaw",
      sampleRate: 1,
      flushIntervalMs: 5_000,
      metricIntervalMs: 60_000,
    });
  });

  it("falls back to the OTEL_* variables when the config says nothing", () => {
    const options = resolveOtelOptions(
      { logs: true, logsExporter: "both", flushIntervalMs: 250 },
      {
        OTEL_EXPORTER_OTLP_ENDPOINT: "http://env-collector:4318",
        OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: "http://logs:4318/v1/logs",
        OTEL_SERVICE_NAME: "from-env",
      },
    );
    expect(options.traces?.url).toBe("http://env-collector:4318/v1/traces");
    expect(options.logs).toEqual({ url: "http://logs:4318/v1/logs", stdout: true });
    expect(options).toMatchObject({ serviceName: "from-env", flushIntervalMs: 250, metricIntervalMs: 250 });
  });

  it("refuses what it cannot export, naming the key", () => {
    expect(() => resolveOtelOptions({ protocol: "grpc" })).toThrow(/diagnostics\.otel\.protocol "grpc"/);
    expect(() => resolveOtelOptions({ endpoint: "collector:4318" })).toThrow(/diagnostics\.otel\.endpoint/);
    expect(() => resolveOtelOptions({ tracesEndpoint: "not a url" })).toThrow(
      /diagnostics\.otel\.tracesEndpoint/,
    );
    expect(() => resolveOtelOptions({ sampleRate: 2 })).toThrow(
      expect.objectContaining({ code: "OTEL_CONFIG_INVALID" }),
    );
  });
});
