import { describe, expect, it } from "vitest";
import { DiagnosticBus } from "./diagnostic-events.js";
import { boundedLabel, SeriesBudget } from "./metric-series-budget.js";
import { startPrometheusExporter } from "./prometheus-exporter.js";

describe("label policy", () => {
  it("keeps bounded names: channels, config account names, model ids, method names", () => {
    for (const value of [
      "telegram",
      "work-bot",
      "gpt-4o-mini",
      "llama3:8b",
      "anthropic/claude-x",
      "sessions.list",
    ]) {
      expect(boundedLabel(value)).toBe(value);
    }
  });

  it("replaces session keys, run ids, text and overlong values with the fallback", () => {
    expect(boundedLabel("agent:main:telegram:dm:1001")).toBe("unknown");
    expect(boundedLabel("3f2504e0-4f89-11d3-9a0c-0305e82c3301")).toBe("unknown");
    expect(boundedLabel("hello there, how are you?")).toBe("unknown");
    expect(boundedLabel("x".repeat(97))).toBe("unknown");
    expect(boundedLabel(undefined, "none")).toBe("none");
    expect(boundedLabel("", "other")).toBe("other");
  });
});

describe("series cap", () => {
  it("admits known series at the cap and refuses (and counts) only new ones", () => {
    let dropped = 0;
    const budget = new SeriesBudget(2, () => dropped++);
    expect(budget.admit("m", { a: "1" })).toBe(true);
    expect(budget.admit("m", { a: "2" })).toBe(true);
    expect(budget.admit("m", { a: "3" })).toBe(false);
    expect(budget.admit("other", {})).toBe(false);
    expect(budget.admit("m", { a: "1" })).toBe(true);
    expect(dropped).toBe(2);
    expect(budget.size).toBe(2);
  });

  it("stops the exporter's series at the cap and reports the refused ones", async () => {
    const bus = new DiagnosticBus();
    const exporter = await startPrometheusExporter({
      bus,
      version: "1.2.3",
      instanceId: "instance-a",
      models: () => undefined,
      processMetrics: false,
      seriesCap: 5,
    });
    try {
      for (let i = 0; i < 10; i++) {
        bus.emit({ type: "rpc.request", method: `m${i}`, startedAt: 0, endedAt: 1, ok: true });
      }
      const text = await exporter.render();
      // build_info holds one series; each admitted method two (count, handler histogram).
      expect(text.match(/^openclaw_gateway_rpc_requests_total\{/gm)).toHaveLength(2);
      const dropped = /^openclaw_prometheus_series_dropped_total (\d+)$/m.exec(text)?.[1];
      // 1 (build_info) + 2 x 2 fill the cap of 5; the 8 other methods are refused twice each, and the memory
      // gauges sampled at scrape are refused too.
      expect(Number(dropped)).toBe(8 * 2 + 5);
      expect(text).toContain(
        'openclaw_gateway_build_info{process_instance_id="instance-a",version="1.2.3"} 1',
      );
    } finally {
      exporter.close();
    }
  });
});
