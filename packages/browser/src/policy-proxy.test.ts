import { createServer, request, type Server } from "node:http";
import { connect } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type PolicyProxy, startPolicyProxy } from "./policy-proxy.js";

let upstream: Server;
let upstreamPort: number;
let hits: string[];
let proxy: PolicyProxy;

beforeEach(async () => {
  hits = [];
  upstream = createServer((incoming, response) => {
    hits.push(`${incoming.headers.host} ${incoming.url}`);
    response.setHeader("x-upstream", "yes");
    response.end("hello from upstream");
  });
  // 0.0.0.0 so both 127.0.0.1 (allowed) and 127.0.0.2 (refused) reach it.
  await new Promise<void>((resolve) => upstream.listen(0, "0.0.0.0", resolve));
  const address = upstream.address();
  upstreamPort = typeof address === "object" && address ? address.port : 0;
  proxy = await startPolicyProxy(() => ({ allowedHostnames: ["127.0.0.1"] }));
});

afterEach(async () => {
  await proxy.close();
  await new Promise((resolve) => upstream.close(resolve));
});

function viaProxy(url: string): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  const { port } = new URL(proxy.url);
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: "127.0.0.1", port, path: url, method: "GET" }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk) => {
        body += chunk;
      });
      response.on("end", () =>
        resolve({ status: response.statusCode ?? 0, body, headers: response.headers }),
      );
    });
    outgoing.on("error", reject);
    outgoing.end();
  });
}

function tunnel(target: string): Promise<string> {
  const { port } = new URL(proxy.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), "127.0.0.1", () => {
      socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`);
    });
    socket.once("data", (chunk) => {
      resolve(chunk.toString("latin1").split("\r\n")[0] ?? "");
      socket.destroy();
    });
    socket.on("error", reject);
  });
}

describe("the browser's policy proxy", () => {
  it("forwards an allowed request with its Host and answers 403 naming the policy for a refused one", async () => {
    const allowed = await viaProxy(`http://127.0.0.1:${upstreamPort}/page?q=1`);
    expect(allowed).toMatchObject({ status: 200, body: "hello from upstream" });
    expect(allowed.headers["x-upstream"]).toBe("yes");
    expect(hits).toEqual([`127.0.0.1:${upstreamPort} /page?q=1`]);

    const refused = await viaProxy(`http://127.0.0.2:${upstreamPort}/secret`);
    expect(refused.status).toBe(403);
    expect(refused.body).toContain("browser.ssrfPolicy");
    expect(proxy.lastRefusal?.url).toBe(`http://127.0.0.2:${upstreamPort}/secret`);
    expect(hits).toHaveLength(1);
  });

  it("opens a CONNECT tunnel only to an allowed address", async () => {
    expect(await tunnel(`127.0.0.1:${upstreamPort}`)).toBe("HTTP/1.1 200 Connection Established");
    expect(await tunnel(`127.0.0.2:${upstreamPort}`)).toBe("HTTP/1.1 403 Forbidden");
    expect(await tunnel(`localhost:${upstreamPort}`)).toBe("HTTP/1.1 403 Forbidden");
  });
});
