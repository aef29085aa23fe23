import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { TraceContext } from "../diagnostics/trace-context.js";
import { acceptTraceparent } from "./trace-header.js";

const servers: Array<{ close(): void }> = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

/** A real server that accepts the trace of each request and streams its answer (headers go out first). */
async function serve(): Promise<{ url: string; traces: TraceContext[] }> {
  const traces: TraceContext[] = [];
  const server = createServer((request, response) => {
    traces.push(acceptTraceparent(request, response));
    response.writeHead(200, { "content-type": "text/event-stream" });
    response.end("data: [DONE]\n\n");
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, traces };
}

describe("acceptTraceparent", () => {
  it("continues the caller's trace and answers with the run's own span", async () => {
    const { url, traces } = await serve();
    const response = await fetch(url, {
      headers: { traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00" },
    });
    const [trace] = traces;
    expect(trace).toMatchObject({
      traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
      parentSpanId: "00f067aa0ba902b7",
      sampled: false,
    });
    expect(response.headers.get("traceparent")).toBe(
      `00-4bf92f3577b34da6a3ce929d0e0e4736-${trace?.spanId}-00`,
    );
  });

  it("starts a fresh trace for a missing or malformed header", async () => {
    const { url, traces } = await serve();
    const response = await fetch(url, { headers: { traceparent: "00-not-a-trace-01" } });
    const [trace] = traces;
    expect(trace?.parentSpanId).toBeUndefined();
    expect(response.headers.get("traceparent")).toBe(`00-${trace?.traceId}-${trace?.spanId}-01`);
  });
});
