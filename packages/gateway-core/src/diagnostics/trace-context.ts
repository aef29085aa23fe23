import { randomBytes } from "node:crypto";

/** A W3C trace context: the trace a run belongs to and the span it continues (the caller's, or a fresh root). */
export interface TraceContext {
  /** 32 lowercase hex digits. */
  traceId: string;
  /** 16 lowercase hex digits: the parent span a run's root span hangs under (the caller's span, when given). */
  parentSpanId?: string;
  /**
   * 16 lowercase hex digits: the run's own root span, chosen up front so log lines, the HTTP `traceparent` answer
   * and the exported span name the same span.
   */
  spanId?: string;
  sampled: boolean;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const MAX_TRACEPARENT_CHARS = 128;

/**
 * Parses a W3C `traceparent` header (version 00 and later versions' first four fields); undefined when it is
 * missing, malformed, or names the all-zero trace or span, as the spec requires.
 */
export function parseTraceparent(header: string | undefined | null): TraceContext | undefined {
  if (!header || header.length > MAX_TRACEPARENT_CHARS) return undefined;
  const value = header.trim().toLowerCase();
  // A later version may append fields after the first four; version 00 must be exactly these.
  const match = TRACEPARENT.exec(value.startsWith("00-") ? value : value.slice(0, 55));
  if (!match) return undefined;
  const [, version, traceId, spanId, flags] = match as unknown as [string, string, string, string, string];
  if (version === "ff" || /^0+$/.test(traceId) || /^0+$/.test(spanId)) return undefined;
  return {
    traceId,
    parentSpanId: spanId,
    spanId: newSpanId(),
    sampled: (Number.parseInt(flags, 16) & 1) === 1,
  };
}

/** A fresh root trace (sampled; the exporter applies its own sample rate). */
export function newTraceContext(): TraceContext {
  return { traceId: randomBytes(16).toString("hex"), spanId: newSpanId(), sampled: true };
}

function newSpanId(): string {
  return randomBytes(8).toString("hex");
}

/** The `traceparent` naming the run's own span (its parent's when the run has no span id of its own). */
export function formatTraceparent(trace: TraceContext): string | undefined {
  const spanId = trace.spanId ?? trace.parentSpanId;
  if (!spanId) return undefined;
  return `00-${trace.traceId}-${spanId}-${trace.sampled ? "01" : "00"}`;
}

/** The caller's trace when a valid `traceparent` came with the request, else a fresh one. */
export function traceContextFrom(header: string | undefined | null): TraceContext {
  return parseTraceparent(header) ?? newTraceContext();
}
