import { generateKeyPairSync, sign } from "node:crypto";
import { buildDeviceAuthPayload } from "@openclaw/protocol";
import { expect } from "vitest";
import {
  callChecked,
  type IntegrationEnv,
  type RawClient,
  type TestGateway,
} from "../integration/harness.js";
import { deviceIdOf } from "./device-identity.js";

export function newDevice() {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const raw = publicKey.export({ format: "der", type: "spki" }).subarray(-32);
  return { id: deviceIdOf(raw), publicKey: raw.toString("base64url"), privateKey };
}
export type Device = ReturnType<typeof newDevice>;

export const NODE_CLIENT = { id: "node-host", version: "1.0.0", platform: "linux", mode: "node" };

export function nodeConnect(
  device: Device,
  nonce: string,
  auth: { token?: string; deviceToken?: string },
  o: { commands?: string[]; nonceOverride?: string; signedAt?: number } = {},
) {
  const signedAt = o.signedAt ?? Date.now();
  const payload = buildDeviceAuthPayload({
    deviceId: device.id,
    clientId: NODE_CLIENT.id,
    clientMode: NODE_CLIENT.mode,
    role: "node",
    scopes: [],
    signedAtMs: signedAt,
    token: auth.deviceToken ?? auth.token ?? "",
    nonce: o.nonceOverride ?? nonce,
    platform: NODE_CLIENT.platform,
  });
  return {
    minProtocol: 4,
    maxProtocol: 4,
    client: NODE_CLIENT,
    role: "node",
    caps: ["system"],
    commands: o.commands ?? ["system.run", "echo"],
    auth,
    device: {
      id: device.id,
      publicKey: device.publicKey,
      signature: sign(null, Buffer.from(payload), device.privateKey).toString("base64url"),
      signedAt,
      nonce: o.nonceOverride ?? nonce,
    },
  };
}

export async function connectNode(
  env: IntegrationEnv,
  gateway: TestGateway,
  device: Device,
  auth: { token?: string; deviceToken?: string },
  o: Parameters<typeof nodeConnect>[3] = {},
) {
  const socket = await env.open(gateway.server.url);
  const challenge = await socket.waitForEvent("connect.challenge");
  const nonce = (challenge.payload as { nonce: string }).nonce;
  const response = await socket.request("connect", nodeConnect(device, nonce, auth, o));
  return { socket, response };
}

/** Pairs a new device as a node and returns its live socket and the device token the gateway issued. */
export async function pairedNode(
  env: IntegrationEnv,
  gateway: TestGateway,
  operator: RawClient,
  device: Device,
  commands?: string[],
) {
  const o = commands ? { commands } : {};
  const first = await connectNode(env, gateway, device, { token: gateway.token }, o);
  expect(first.response.error).toMatchObject({ code: "NOT_PAIRED", details: { code: "PAIRING_REQUIRED" } });
  const list = await callChecked(operator, "device.pair.list", {});
  const pending = list.pending.find((request) => request.deviceId === device.id);
  expect(pending?.role).toBe("node");
  await callChecked(operator, "device.pair.approve", { requestId: pending?.requestId ?? "" });
  const admitted = await connectNode(env, gateway, device, { token: gateway.token }, o);
  expect(admitted.response.ok).toBe(true);
  const deviceToken = (admitted.response.payload as { auth: { deviceToken?: string } }).auth.deviceToken;
  expect(deviceToken).toMatch(/^[\w-]{40,}$/);
  return { socket: admitted.socket, deviceToken: deviceToken ?? "" };
}

/** Answers the node's invoke requests the way a node host does. */
export function serveNode(
  socket: RawClient,
  answer: (request: { id: string; nodeId: string; command: string; paramsJSON: string | null }) => unknown,
) {
  socket.ws.on("message", (data) => {
    const frame = JSON.parse(String(data)) as { type?: string; event?: string; payload?: unknown };
    if (frame.event !== "node.invoke.request") return;
    const reply = answer(
      frame.payload as { id: string; nodeId: string; command: string; paramsJSON: string | null },
    );
    if (reply === undefined) return;
    socket.send({ type: "req", id: socket.newId(), method: "node.invoke.result", params: reply });
  });
}
