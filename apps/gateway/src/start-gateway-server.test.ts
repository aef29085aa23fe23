import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type GatewayServer, startGatewayServer } from "./index.js";

let stateDir: string;
const servers: GatewayServer[] = [];
const blockers: Server[] = [];

async function occupy(): Promise<number> {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
  blockers.push(blocker);
  const address = blocker.address();
  if (typeof address !== "object" || address === null) throw new Error("no address");
  return address.port;
}

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "openclaw-app-"));
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
  for (const blocker of blockers.splice(0)) blocker.close();
  await rm(stateDir, { recursive: true, force: true });
});

const auth = { mode: "token" as const, token: "t".repeat(64) };

describe("startGatewayServer", () => {
  it("starts on the given port and reports its URL", async () => {
    const server = await startGatewayServer(0, { stateDir, auth, env: {} });
    servers.push(server);
    expect(server.url).toBe(`ws://127.0.0.1:${server.port}`);
    const response = await fetch(`${server.httpUrl}/v1/health`, {
      headers: { authorization: `Bearer ${auth.token}` },
    });
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("serves the built Control UI at the root, unframeable", async () => {
    const server = await startGatewayServer(0, { stateDir, auth, env: {} });
    servers.push(server);
    const response = await fetch(`${server.httpUrl}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(await response.text()).toContain("<script");
  });

  it("never swaps an explicit port for another one", async () => {
    const taken = await occupy();
    await expect(startGatewayServer(taken, { stateDir, auth, env: {} })).rejects.toMatchObject({
      code: "PORT_IN_USE",
    });
  });

  it("falls back to the next free port when the configured one is taken", async () => {
    const taken = await occupy();
    const server = await startGatewayServer(undefined, {
      stateDir,
      auth,
      env: { OPENCLAW_GATEWAY_PORT: String(taken) },
    });
    servers.push(server);
    expect(server.portFallback).toBe(true);
    expect(server.requestedPort).toBe(taken);
    expect(server.port).not.toBe(taken);
  });
});
