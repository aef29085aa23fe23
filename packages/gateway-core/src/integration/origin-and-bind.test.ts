import { createServer, type Server } from "node:net";
import { describe, expect, it } from "vitest";
import WebSocket from "ws";
import { startGateway } from "../server/gateway-server.js";
import { useIntegrationEnv } from "./harness.js";

const env = useIntegrationEnv();

/** Tries a WebSocket upgrade with the given Origin: resolves "open" or the HTTP status of the refusal. */
function tryUpgrade(url: string, origin: string): Promise<"open" | number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { origin });
    ws.once("open", () => {
      ws.terminate();
      resolve("open");
    });
    ws.once("unexpected-response", (_request, response) => {
      resolve(response.statusCode ?? 0);
      ws.terminate();
    });
    ws.once("error", (error) => reject(error));
  });
}

function occupyPort(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen({ port: 0, host: "127.0.0.1" }, () => {
      const address = server.address();
      if (typeof address !== "object" || address === null) {
        reject(new Error("no address"));
        return;
      }
      env.defer(() => new Promise((done) => server.close(done)));
      resolve({ server, port: address.port });
    });
  });
}

describe("Origin check on WebSocket upgrades (CVE-2026-25253)", () => {
  it("refuses a foreign origin with 403", async () => {
    const gateway = await env.start();
    expect(await tryUpgrade(gateway.server.url, "https://evil.example")).toBe(403);
  });

  it("accepts the gateway's own origin", async () => {
    const gateway = await env.start();
    expect(await tryUpgrade(gateway.server.url, `http://127.0.0.1:${gateway.server.port}`)).toBe("open");
  });

  it("accepts an origin listed in gateway.controlUi.allowedOrigins, and only that one", async () => {
    const gateway = await env.start({
      config: { gateway: { controlUi: { allowedOrigins: ["https://control.example"] } } },
    });
    expect(await tryUpgrade(gateway.server.url, "https://control.example")).toBe("open");
    expect(await tryUpgrade(gateway.server.url, "https://control.example.evil.example")).toBe(403);
  });

  it('refuses the opaque origin "null" (sandboxed frames, file:// pages)', async () => {
    const gateway = await env.start();
    expect(await tryUpgrade(gateway.server.url, "null")).toBe(403);
  });

  it("refuses an origin on the right host but another port", async () => {
    const gateway = await env.start();
    expect(await tryUpgrade(gateway.server.url, `http://127.0.0.1:${gateway.server.port + 1}`)).toBe(403);
  });
});

describe("bind and port", () => {
  it('refuses bind "lan" without authentication (BIND_UNSAFE)', async () => {
    const stateDir = await env.makeStateDir();
    await expect(
      startGateway({ port: 0, bind: "lan", auth: { mode: "none" }, stateDir, env: {} }),
    ).rejects.toMatchObject({ code: "BIND_UNSAFE" });
  });

  it("falls back to another port when the requested one is taken", async () => {
    const { port } = await occupyPort();
    const gateway = await env.start({ port });
    expect(gateway.server.portFallback).toBe(true);
    expect(gateway.server.requestedPort).toBe(port);
    expect(gateway.server.port).not.toBe(port);
    const { hello } = await env.connect(gateway);
    expect(hello.type).toBe("hello-ok");
  });

  it("with strictPort refuses a taken port with PORT_IN_USE", async () => {
    const { port } = await occupyPort();
    const stateDir = await env.makeStateDir();
    await expect(
      startGateway({ port, strictPort: true, stateDir, auth: { mode: "token", token: "t" }, env: {} }),
    ).rejects.toMatchObject({ code: "PORT_IN_USE" });
  });

  it("reports no fallback when the requested port is free", async () => {
    const gateway = await env.start();
    expect(gateway.server.portFallback).toBe(false);
    expect(gateway.server.url).toBe(`ws://127.0.0.1:${gateway.server.port}`);
    expect(gateway.server.httpUrl).toBe(`http://127.0.0.1:${gateway.server.port}`);
  });
});
