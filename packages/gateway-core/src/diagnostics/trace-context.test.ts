import { describe, expect, it } from "vitest";
import { formatTraceparent, newTraceContext, parseTraceparent, traceContextFrom } from "./trace-context.js";

describe("trace context", () => {
  it("continues a caller's traceparent under a span of the run's own", () => {
    const trace = parseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    expect(trace).toMatchObject({
      traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
      parentSpanId: "00f067aa0ba902b7",
      sampled: true,
    });
    expect(trace?.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(trace?.spanId).not.toBe("00f067aa0ba902b7");
    expect(formatTraceparent(trace as NonNullable<typeof trace>)).toBe(
      `00-4bf92f3577b34da6a3ce929d0e0e4736-${trace?.spanId}-01`,
    );
  });

  it("rejects malformed, all-zero and oversized values", () => {
    for (const header of [
      "",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
      "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
      "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      `00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01${"x".repeat(200)}`,
    ]) {
      expect(parseTraceparent(header)).toBeUndefined();
    }
    expect(traceContextFrom("garbage").parentSpanId).toBeUndefined();
  });

  it("a fresh trace is sampled and names its root span", () => {
    const trace = newTraceContext();
    expect(trace.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(formatTraceparent(trace)).toBe(`00-${trace.traceId}-${trace.spanId}-01`);
  });
});
