import type { IncomingMessage, ServerResponse } from "node:http";
import { formatTraceparent, type TraceContext, traceContextFrom } from "../diagnostics/trace-context.js";

/**
 * The run's trace for an HTTP API request: the caller's W3C `traceparent` continued (a fresh trace without a valid
 * one), answered at once with a `traceparent` header naming the run's own span, so the caller can find the run in
 * its tracing backend whether the answer streams or not.
 */
export function acceptTraceparent(request: IncomingMessage, response: ServerResponse): TraceContext {
  const value = request.headers.traceparent;
  const trace = traceContextFrom(Array.isArray(value) ? value[0] : value);
  const answer = formatTraceparent(trace);
  if (answer && !response.headersSent) response.setHeader("traceparent", answer);
  return trace;
}
