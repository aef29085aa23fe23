import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import protobuf from "protobufjs";
import { DEFAULT_WAIT_TIMEOUT_MS } from "../wait-timeout.js";
import { OTLP_MESSAGES_PROTO } from "./otlp-messages.js";

export type OtlpAttributeValue = string | number | boolean | OtlpAttributeValue[] | undefined;

export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  /** "" for a root span. */
  parentSpanId: string;
  name: string;
  /** OTLP SpanKind: 1 internal, 2 server, 3 client. */
  kind: number;
  startMs: number;
  endMs: number;
  attributes: Record<string, OtlpAttributeValue>;
  events: string[];
  /** OTLP StatusCode: 0 unset, 1 ok, 2 error. */
  statusCode: number;
  resource: Record<string, OtlpAttributeValue>;
}

export interface ReceivedMetricPoint {
  name: string;
  unit: string;
  kind: "sum" | "gauge" | "histogram";
  /** The counter's or gauge's value; the histogram's sum. */
  value: number;
  /** Histograms only: how many values were recorded. */
  count?: number;
  attributes: Record<string, OtlpAttributeValue>;
}

export interface ReceivedLogRecord {
  severityText: string;
  body: OtlpAttributeValue;
  attributes: Record<string, OtlpAttributeValue>;
  /** "" when the record has no trace context. */
  traceId: string;
  spanId: string;
}

export interface ReceivedExport {
  path: string;
  headers: IncomingHttpHeaders;
}

/** A loopback OTLP/HTTP collector that decodes what an exporter sends (protobuf) and keeps it for assertions. */
export interface FakeOtlpCollector {
  /** The base URL (`http://127.0.0.1:<port>`): an exporter posts to `<url>/v1/traces` and its siblings. */
  readonly url: string;
  readonly spans: ReceivedSpan[];
  readonly metrics: ReceivedMetricPoint[];
  readonly logs: ReceivedLogRecord[];
  /** Every export request received (path and headers), in order. */
  readonly requests: ReceivedExport[];
  /** Resolves once `accept(spans)` holds for the spans received so far. */
  waitForSpans(accept: (spans: ReceivedSpan[]) => boolean, timeoutMs?: number): Promise<ReceivedSpan[]>;
  waitForMetrics(
    accept: (points: ReceivedMetricPoint[]) => boolean,
    timeoutMs?: number,
  ): Promise<ReceivedMetricPoint[]>;
  waitForLogs(
    accept: (records: ReceivedLogRecord[]) => boolean,
    timeoutMs?: number,
  ): Promise<ReceivedLogRecord[]>;
  close(): Promise<void>;
}

const MAX_EXPORT_BYTES = 8 * 1024 * 1024;

interface Decoded {
  [field: string]: unknown;
}

/** Starts the fake collector on 127.0.0.1 with an ephemeral port. */
export async function startFakeOtlpCollector(): Promise<FakeOtlpCollector> {
  const root = protobuf.parse(OTLP_MESSAGES_PROTO, { keepCase: true }).root;
  const types = {
    "/v1/traces": root.lookupType("otlp.ExportTraceServiceRequest"),
    "/v1/metrics": root.lookupType("otlp.ExportMetricsServiceRequest"),
    "/v1/logs": root.lookupType("otlp.ExportLogsServiceRequest"),
  } as const;
  const spans: ReceivedSpan[] = [];
  const metrics: ReceivedMetricPoint[] = [];
  const logs: ReceivedLogRecord[] = [];
  const requests: ReceivedExport[] = [];
  const waiters = new Set<() => void>();

  const server = createServer((request, response) => {
    const path = (request.url ?? "").split("?")[0] as keyof typeof types;
    const type = types[path];
    if (request.method !== "POST" || !type) {
      response.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_EXPORT_BYTES) request.destroy();
      else chunks.push(chunk);
    });
    request.on("end", () => {
      const message = type.toObject(type.decode(Buffer.concat(chunks)), {
        longs: Number,
        bytes: String,
      }) as Decoded;
      requests.push({ path, headers: request.headers });
      if (path === "/v1/traces") spans.push(...decodeSpans(message));
      else if (path === "/v1/metrics") metrics.push(...decodeMetrics(message));
      else logs.push(...decodeLogs(message));
      // An empty ExportXServiceResponse: full success.
      response.writeHead(200, { "content-type": "application/x-protobuf" }).end();
      for (const wake of waiters) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  function waitFor<T>(
    list: T[],
    accept: (items: T[]) => boolean,
    what: string,
    timeoutMs: number,
  ): Promise<T[]> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!accept(list)) return false;
        done();
        resolve(list);
        return true;
      };
      const timer = setTimeout(() => {
        done();
        reject(
          new Error(`fake OTLP collector: no matching ${what} within ${timeoutMs} ms (got ${list.length})`),
        );
      }, timeoutMs);
      const wake = () => void check();
      const done = () => {
        clearTimeout(timer);
        waiters.delete(wake);
      };
      waiters.add(wake);
      check();
    });
  }

  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    metrics,
    logs,
    requests,
    waitForSpans: (accept, timeoutMs = DEFAULT_WAIT_TIMEOUT_MS) => waitFor(spans, accept, "spans", timeoutMs),
    waitForMetrics: (accept, timeoutMs = DEFAULT_WAIT_TIMEOUT_MS) =>
      waitFor(metrics, accept, "metrics", timeoutMs),
    waitForLogs: (accept, timeoutMs = DEFAULT_WAIT_TIMEOUT_MS) =>
      waitFor(logs, accept, "log records", timeoutMs),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function hex(base64: unknown): string {
  return typeof base64 === "string" ? Buffer.from(base64, "base64").toString("hex") : "";
}

function list(value: unknown): Decoded[] {
  return Array.isArray(value) ? (value as Decoded[]) : [];
}

function anyValue(value: unknown): OtlpAttributeValue {
  if (!value || typeof value !== "object") return undefined;
  const v = value as Decoded;
  if (v.string_value !== undefined) return v.string_value as string;
  if (v.bool_value !== undefined) return v.bool_value as boolean;
  if (v.int_value !== undefined) return Number(v.int_value);
  if (v.double_value !== undefined) return v.double_value as number;
  if (v.array_value !== undefined) return list((v.array_value as Decoded).values).map(anyValue);
  if (v.bytes_value !== undefined) return hex(v.bytes_value);
  return undefined;
}

function attributes(value: unknown): Record<string, OtlpAttributeValue> {
  const out: Record<string, OtlpAttributeValue> = {};
  for (const kv of list(value)) out[kv.key as string] = anyValue(kv.value);
  return out;
}

const nanosToMs = (value: unknown) => Math.round(Number(value ?? 0) / 1e6);

function decodeSpans(message: Decoded): ReceivedSpan[] {
  return list(message.resource_spans).flatMap((resourceSpans) => {
    const resource = attributes((resourceSpans.resource as Decoded | undefined)?.attributes);
    return list(resourceSpans.scope_spans).flatMap((scope) =>
      list(scope.spans).map((span) => ({
        traceId: hex(span.trace_id),
        spanId: hex(span.span_id),
        parentSpanId: hex(span.parent_span_id),
        name: String(span.name ?? ""),
        kind: Number(span.kind ?? 0),
        startMs: nanosToMs(span.start_time_unix_nano),
        endMs: nanosToMs(span.end_time_unix_nano),
        attributes: attributes(span.attributes),
        events: list(span.events).map((event) => String(event.name ?? "")),
        statusCode: Number((span.status as Decoded | undefined)?.code ?? 0),
        resource,
      })),
    );
  });
}

function decodeMetrics(message: Decoded): ReceivedMetricPoint[] {
  return list(message.resource_metrics).flatMap((resourceMetrics) =>
    list(resourceMetrics.scope_metrics).flatMap((scope) =>
      list(scope.metrics).flatMap((metric): ReceivedMetricPoint[] => {
        const base = { name: String(metric.name ?? ""), unit: String(metric.unit ?? "") };
        const number = (kind: "sum" | "gauge", data: unknown) =>
          list((data as Decoded | undefined)?.data_points).map((point) => ({
            ...base,
            kind,
            value: Number(point.as_double ?? point.as_int ?? 0),
            attributes: attributes(point.attributes),
          }));
        if (metric.sum) return number("sum", metric.sum);
        if (metric.gauge) return number("gauge", metric.gauge);
        return list((metric.histogram as Decoded | undefined)?.data_points).map((point) => ({
          ...base,
          kind: "histogram" as const,
          value: Number(point.sum ?? 0),
          count: Number(point.count ?? 0),
          attributes: attributes(point.attributes),
        }));
      }),
    ),
  );
}

function decodeLogs(message: Decoded): ReceivedLogRecord[] {
  return list(message.resource_logs).flatMap((resourceLogs) =>
    list(resourceLogs.scope_logs).flatMap((scope) =>
      list(scope.log_records).map((record) => ({
        severityText: String(record.severity_text ?? ""),
        body: anyValue(record.body),
        attributes: attributes(record.attributes),
        traceId: hex(record.trace_id),
        spanId: hex(record.span_id),
      })),
    ),
  );
}
