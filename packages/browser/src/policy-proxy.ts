import { createServer, request as httpRequest, type IncomingMessage, type Server } from "node:http";
import { connect, type Socket } from "node:net";
import type { HostLookup } from "@openclaw/tools";
import { resolvePermittedAddress, systemHostLookup } from "@openclaw/tools";
import type { BrowserSsrfPolicy } from "./browser-settings.js";

const POLICY_KEY = "browser.ssrfPolicy";
/** Headers that describe one hop (RFC 9110 §7.6.1) and are not forwarded. */
const HOP_HEADERS = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authorization",
  "proxy-authenticate",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

export interface PolicyProxy {
  /** `http://127.0.0.1:<port>`, for Chromium's --proxy-server. */
  readonly url: string;
  /** The last request the policy refused, so a failed navigation can say why. */
  readonly lastRefusal: { url: string; message: string } | undefined;
  clearRefusal(): void;
  close(): Promise<void>;
}

/**
 * The browser's only way out: an HTTP proxy on 127.0.0.1 that every request of the managed Chromium goes through
 * (pages, redirect hops, subresources, frames, workers, popups, WebSockets). Each target host is resolved here and
 * must pass the `web_fetch` address policy; the connection then goes to the address that was checked, so a DNS
 * answer that changes between check and connect cannot reach a private address.
 */
export async function startPolicyProxy(
  policy: () => BrowserSsrfPolicy | undefined,
  lookup: HostLookup = systemHostLookup,
): Promise<PolicyProxy> {
  let lastRefusal: { url: string; message: string } | undefined;
  const sockets = new Set<Socket>();

  const permitted = async (url: URL): Promise<{ address: string } | { refused: string }> => {
    const current = policy() ?? {};
    try {
      const resolved = await resolvePermittedAddress(url, {
        policy: {
          ...current,
          dangerouslyAllowPrivateNetwork:
            current.dangerouslyAllowPrivateNetwork === true || current.allowPrivateNetwork === true,
        },
        policyKey: POLICY_KEY,
        lookup,
        signal: AbortSignal.timeout(10_000),
      });
      return { address: resolved.address };
    } catch (error) {
      const message = (error as Error).message;
      lastRefusal = { url: url.href, message };
      return { refused: message };
    }
  };

  const server: Server = createServer(async (request, response) => {
    let target: URL;
    try {
      target = new URL(request.url ?? "");
      if (target.protocol !== "http:") throw new Error("not http");
    } catch {
      response.writeHead(400, { "content-type": "text/plain" }).end("only absolute http:// URLs are proxied");
      return;
    }
    const verdict = await permitted(target);
    if ("refused" in verdict) {
      response
        .writeHead(403, { "content-type": "text/plain; charset=utf-8" })
        .end(`Blocked: ${verdict.refused}`);
      return;
    }
    const upstream = httpRequest(
      {
        host: verdict.address,
        port: target.port || 80,
        method: request.method,
        path: `${target.pathname}${target.search}`,
        headers: { ...forwardedHeaders(request), host: target.host },
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.statusMessage, forwardedHeaders(answer));
        answer.pipe(response);
      },
    );
    upstream.on("error", () => {
      if (!response.headersSent) response.writeHead(502).end();
      else response.destroy();
    });
    request.pipe(upstream);
  });

  server.on("connect", async (request: IncomingMessage, client: Socket, head: Buffer) => {
    sockets.add(client);
    client.once("close", () => sockets.delete(client));
    client.on("error", () => undefined);
    let target: URL;
    try {
      target = new URL(`https://${request.url ?? ""}`);
    } catch {
      client.end("HTTP/1.1 400 Bad Request\r\n\r\n");
      return;
    }
    const verdict = await permitted(target);
    if ("refused" in verdict) {
      client.end("HTTP/1.1 403 Forbidden\r\n\r\n");
      return;
    }
    const upstream = connect(Number(target.port || 443), verdict.address, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.once("close", () => sockets.delete(upstream));
    upstream.on("error", () => client.destroy());
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const address = server.address();
  if (typeof address !== "object" || address === null) throw new Error("the browser proxy has no address");
  return {
    url: `http://127.0.0.1:${address.port}`,
    get lastRefusal() {
      return lastRefusal;
    },
    clearRefusal() {
      lastRefusal = undefined;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function forwardedHeaders(message: IncomingMessage): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(message.headers)) {
    if (value === undefined || HOP_HEADERS.has(name)) continue;
    headers[name] = value;
  }
  return headers;
}
