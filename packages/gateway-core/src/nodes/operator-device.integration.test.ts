import { sign } from "node:crypto";
import { buildDeviceAuthPayload } from "@openclaw/protocol";
import { describe, expect, it } from "vitest";
import { callChecked, type TestGateway, useIntegrationEnv } from "../integration/harness.js";
import { type Device, newDevice } from "./nodes.test-support.js";

const env = useIntegrationEnv();
const CLIENT = { id: "cli", version: "1.0.0", platform: "linux", mode: "cli" };

/** An operator connect with a signed device identity; `auth` is the shared token or the device token. */
async function connectOperator(
  gateway: TestGateway,
  device: Device,
  auth: { token?: string; deviceToken?: string },
  scopes: string[],
) {
  const socket = await env.open(gateway.server.url);
  const challenge = await socket.waitForEvent("connect.challenge");
  const { nonce, ts } = challenge.payload as { nonce: string; ts: number };
  const payload = buildDeviceAuthPayload({
    deviceId: device.id,
    clientId: CLIENT.id,
    clientMode: CLIENT.mode,
    role: "operator",
    scopes,
    signedAtMs: ts,
    token: auth.deviceToken ?? auth.token ?? "",
    nonce,
    platform: CLIENT.platform,
  });
  const response = await socket.request("connect", {
    minProtocol: 4,
    maxProtocol: 4,
    client: CLIENT,
    role: "operator",
    scopes,
    auth,
    device: {
      id: device.id,
      publicKey: device.publicKey,
      signature: sign(null, Buffer.from(payload), device.privateKey).toString("base64url"),
      signedAt: ts,
      nonce,
    },
  });
  return { socket, response };
}

describe("operator devices", () => {
  it("the gateway token pairs an operator device; its token carries the scopes it was issued with, and no more", async () => {
    const gateway = await env.start();
    const device = newDevice();
    const scopes = ["operator.read", "operator.pairing"];
    const first = await connectOperator(gateway, device, { token: gateway.token }, scopes);
    expect(first.response.ok).toBe(true);
    const deviceToken = (first.response.payload as { auth: { deviceToken: string } }).auth.deviceToken;
    first.socket.close();

    // Asking for more than the token was issued with gets only what it carries.
    const viaToken = await connectOperator(gateway, device, { deviceToken }, [...scopes, "operator.admin"]);
    expect(viaToken.response.payload).toMatchObject({ auth: { role: "operator", scopes } });
    expect((await viaToken.socket.callError("config.set", { raw: "{}" })).code).toBe("FORBIDDEN");

    // Rotating its own token: the new one comes back in-band, the calling connection stays, the old token is dead.
    const rotated = await callChecked(viaToken.socket, "device.token.rotate", {
      deviceId: device.id,
      role: "operator",
    });
    expect(rotated).toMatchObject({ tokenDelivery: "in-band", scopes });
    expect(rotated.token).not.toBe(deviceToken);
    expect(await viaToken.socket.call("device.pair.list", {})).toBeDefined();
    const old = await connectOperator(gateway, device, { deviceToken }, scopes);
    expect(old.response.error?.details).toMatchObject({ code: "AUTH_DEVICE_TOKEN_MISMATCH" });
    const renewed = await connectOperator(gateway, device, { deviceToken: rotated.token ?? "" }, scopes);
    expect(renewed.response.ok).toBe(true);

    // Removing the device closes its connections and forgets its tokens.
    const { client: owner } = await env.connect(gateway, { scopes: ["operator.pairing"] });
    expect(await callChecked(owner, "device.pair.remove", { deviceId: device.id })).toEqual({
      deviceId: device.id,
      removed: true,
    });
    expect(await renewed.socket.waitForClose()).toMatchObject({ code: 1008, reason: "device removed" });
  });
});
