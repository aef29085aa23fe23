import type { ServerResponse } from "node:http";
import { type FakeHttpRequest, listenOnLoopback, recordRequest } from "./loopback-server.js";

export interface FakeWebPage {
  /** Default 200. A redirect is `{ status: 302, headers: { location: "/next" } }`. */
  status?: number;
  /** Default content-type: text/html for a string body that starts with "<", else text/plain. */
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** Sends the headers (and `body`, if any), then keeps the connection open without finishing: for time caps. */
  stall?: boolean;
  /** Streams filler for as long as the client keeps reading, after `body` if any: for size caps. */
  endless?: boolean;
}

export interface FakeWebSite {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string;
  /** Every request, oldest first. */
  readonly requests: FakeHttpRequest[];
  /** Adds or replaces the page served at `path` (the query string is ignored when matching). */
  setPage(path: string, page: FakeWebPage): void;
  close(): Promise<void>;
}

const FILLER = Buffer.alloc(64 * 1024, "lorem ipsum ");

function defaultContentType(body: FakeWebPage["body"]): string {
  return typeof body === "string" && body.trimStart().startsWith("<")
    ? "text/html; charset=utf-8"
    : "text/plain; charset=utf-8";
}

/** Writes filler as fast as the client takes it, until the client goes away. */
function streamForever(res: ServerResponse): void {
  const pump = (): void => {
    while (!res.destroyed && res.write(FILLER)) {
      // keep writing until the socket buffer is full
    }
    if (!res.destroyed) res.once("drain", pump);
  };
  pump();
}

function serve(res: ServerResponse, page: FakeWebPage): void {
  const headers = { "content-type": defaultContentType(page.body), ...page.headers };
  const lengthKnown = page.body !== undefined && !page.stall && !page.endless;
  res.writeHead(page.status ?? 200, {
    ...headers,
    ...(lengthKnown ? { "content-length": String(Buffer.byteLength(page.body ?? "")) } : {}),
  });
  if (page.body !== undefined) res.write(page.body);
  if (page.endless) streamForever(res);
  else if (page.stall) res.flushHeaders();
  else res.end();
}

/**
 * A loopback web site for fetch tests: each path serves its page (HTML, text, binary, redirects, a stalled or an
 * endless response); unknown paths get 404.
 */
export async function startFakeWebSite(pages: Record<string, FakeWebPage>): Promise<FakeWebSite> {
  const site = new Map(Object.entries(pages));
  const requests: FakeHttpRequest[] = [];
  const server = await listenOnLoopback(async (req, res) => {
    const request = await recordRequest(req, requests);
    serve(res, site.get(request.path) ?? { status: 404, body: "Not Found" });
  });
  return {
    url: server.url,
    requests,
    setPage: (path, page) => site.set(path, page),
    close: server.close,
  };
}
