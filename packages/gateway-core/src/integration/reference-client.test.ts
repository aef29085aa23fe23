import { GatewayClient } from "@openclaw/gateway-client";
import { describe, expect, it } from "vitest";
import { checkMethodResult, type TestGateway, useIntegrationEnv } from "./harness.js";

const env = useIntegrationEnv();

/**
 * Starts OpenClaw's reference client against our gateway. It is used as shipped: shared-token auth, protocol v4
 * exactly, and no device identity (`deviceIdentity: null`), which is the package's own default for a loopback
 * backend client that is not being paired.
 */
async function startReferenceClient(gateway: TestGateway, token: string): Promise<GatewayClient> {
  let helloReceived: () => void = () => undefined;
  let connectFailed: (error: Error) => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    helloReceived = resolve;
    connectFailed = reject;
  });
  const client = new GatewayClient({
    url: gateway.server.url,
    token,
    minProtocol: 4,
    maxProtocol: 4,
    deviceIdentity: null,
    requestTimeoutMs: 30_000,
    onHelloOk: () => helloReceived(),
    onConnectError: (error) => connectFailed(error),
  });
  env.defer(() => client.stopAndWait({ timeoutMs: 2_000 }));
  client.start();
  await ready;
  return client;
}

describe("@openclaw/gateway-client (the reference client)", () => {
  it("connects with a token and calls health, status and sessions.list", async () => {
    const gateway = await env.start();
    const client = await startReferenceClient(gateway, gateway.token);

    const health = await client.request("health", {});
    checkMethodResult("health", health);
    expect(health).toMatchObject({ ok: true });

    const status = await client.request("status", {});
    expect(status).toMatchObject({ ok: true, protocol: 4 });

    const list = await client.request("sessions.list", { includeGlobal: true });
    checkMethodResult("sessions.list", list);
    expect(Array.isArray(list.sessions)).toBe(true);
  });

  it("gets the server's error shape for a failed request", async () => {
    const gateway = await env.start();
    const client = await startReferenceClient(gateway, gateway.token);
    await expect(client.request("sessions.preview", { keys: "x" })).rejects.toMatchObject({
      gatewayCode: "INVALID_REQUEST",
    });
  });

  it("reports a wrong token through onConnectError", async () => {
    const gateway = await env.start();
    await expect(startReferenceClient(gateway, "wrong-token")).rejects.toThrow();
  });
});
