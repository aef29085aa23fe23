import type { LogRecord } from "@openclaw/gateway-core";
import type { Logger as OtelLogger } from "@opentelemetry/api";
import { type AnyValue, type Attributes, ROOT_CONTEXT, SeverityNumber, trace } from "@opentelemetry/api";

const SEVERITY: Record<string, SeverityNumber> = {
  debug: SeverityNumber.DEBUG,
  info: SeverityNumber.INFO,
  warn: SeverityNumber.WARN,
  error: SeverityNumber.ERROR,
};
/** Longest attribute value exported; longer ones are cut (a log field is never a payload). */
const MAX_ATTRIBUTE_CHARS = 2048;
const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;

/**
 * A log sink that sends each record (already redacted by the gateway's logger) as an OTLP log record. A record of a
 * run carries its `traceId`/`spanId` as the record's trace context, so a backend links it to the run's trace.
 */
export function otlpLogSink(logger: OtelLogger): (record: LogRecord) => void {
  return (record) => {
    // The exporter's own complaints stay in the local log: sent through a failing exporter they would only loop.
    if (record.component === "telemetry") return;
    const { ts, level, msg, traceId, spanId, ...fields } = record;
    const attributes: Attributes = {};
    for (const [key, value] of Object.entries(fields)) {
      const attribute = attributeValue(value);
      if (attribute !== undefined) attributes[key] = attribute;
    }
    const context =
      typeof traceId === "string" && TRACE_ID.test(traceId)
        ? trace.setSpanContext(ROOT_CONTEXT, {
            traceId,
            spanId: typeof spanId === "string" && SPAN_ID.test(spanId) ? spanId : "0000000000000000",
            traceFlags: 1,
          })
        : undefined;
    logger.emit({
      timestamp: new Date(ts),
      severityNumber: SEVERITY[level] ?? SeverityNumber.UNSPECIFIED,
      severityText: level,
      body: msg as AnyValue,
      attributes,
      ...(context ? { context } : {}),
    });
  };
}

function attributeValue(value: unknown): string | number | boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "number" || typeof value === "boolean") return value;
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > MAX_ATTRIBUTE_CHARS ? `${text.slice(0, MAX_ATTRIBUTE_CHARS)}…` : text;
}

/** `logsExporter: "stdout"`: one JSON object a line. */
export function stdoutLogSink(stream: NodeJS.WritableStream = process.stdout): (record: LogRecord) => void {
  return (record) => {
    stream.write(`${JSON.stringify(record)}\n`);
  };
}
