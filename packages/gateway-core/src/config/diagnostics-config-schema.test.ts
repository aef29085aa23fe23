import { describe, expect, it } from "vitest";
import { OpenClawConfigSchema } from "./config-schema.js";
import { prometheusEnabled } from "./diagnostics-config-schema.js";

const parse = (raw: unknown) => OpenClawConfigSchema.parse(raw);

describe("diagnostics config", () => {
  it("defaults to diagnostics on with no exporter, so the Prometheus route is off", () => {
    const config = parse({});
    expect(config.diagnostics.enabled).toBe(true);
    expect(prometheusEnabled(config)).toBe(false);
  });

  it("turns the route on with diagnostics.prometheus.enabled or OpenClaw's plugin entry", () => {
    expect(prometheusEnabled(parse({ diagnostics: { prometheus: { enabled: true } } }))).toBe(true);
    expect(
      prometheusEnabled(parse({ plugins: { entries: { "diagnostics-prometheus": { enabled: true } } } })),
    ).toBe(true);
  });

  it("lets our own switch win over the plugin entry, and the master switch over both", () => {
    const entry = { plugins: { entries: { "diagnostics-prometheus": { enabled: true } } } };
    expect(prometheusEnabled(parse({ ...entry, diagnostics: { prometheus: { enabled: false } } }))).toBe(
      false,
    );
    expect(
      prometheusEnabled(parse({ ...entry, diagnostics: { enabled: false, prometheus: { enabled: true } } })),
    ).toBe(false);
  });

  it("reads OpenClaw's full diagnostics.otel object with its defaults", () => {
    const config = parse({
      diagnostics: {
        otel: {
          enabled: true,
          endpoint: "http://collector:4318",
          protocol: "http/protobuf",
          headers: { "x-tenant-id": "acme" },
          serviceName: "gw",
          logs: true,
          logsExporter: "both",
          sampleRate: 0.25,
          flushIntervalMs: 1000,
        },
      },
    });
    expect(config.diagnostics.otel).toMatchObject({
      enabled: true,
      traces: true,
      metrics: true,
      logs: true,
      logsExporter: "both",
      sampleRate: 0.25,
    });
  });

  it("refuses values the exporter could never use, naming the key", () => {
    const result = OpenClawConfigSchema.safeParse({ diagnostics: { otel: { sampleRate: 2 } } });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(["diagnostics", "otel", "sampleRate"]);
  });
});
