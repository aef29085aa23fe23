import { generateKeyPairSync, sign } from "node:crypto";
import { buildDeviceAuthPayload } from "@openclaw/protocol";
import { describe, expect, it } from "vitest";
import { callChecked, type RawClient, type TestGateway, useIntegrationEnv } from "../integration/harness.js";
import { deviceIdOf } from "./device-identity.js";

const env = useIntegrationEnv();

function newDevice() {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const raw = publicKey.export({ format: "der", type: "spki" }).subarray(-32);
  return { id: deviceIdOf(raw), publicKey: raw.toString("base64url"), privateKey };
}
type Device = ReturnType<typeof newDevice>;

const NODE_CLIENT = { id: "node-host", version: "1.0.0", platform: "linux", mode: "node" };

function nodeConnect(
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

async function connectNode(
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
async function pairedNode(gateway: TestGateway, operator: RawClient, device: Device) {
  const first = await connectNode(gateway, device, { token: gateway.token });
  expect(first.response.error).toMatchObject({ code: "NOT_PAIRED", details: { code: "PAIRING_REQUIRED" } });
  const list = await callChecked(operator, "device.pair.list", {});
  const pending = list.pending.find((request) => request.deviceId === device.id);
  expect(pending?.role).toBe("node");
  await callChecked(operator, "device.pair.approve", { requestId: pending?.requestId ?? "" });
  const admitted = await connectNode(gateway, device, { token: gateway.token });
  expect(admitted.response.ok).toBe(true);
  const deviceToken = (admitted.response.payload as { auth: { deviceToken?: string } }).auth.deviceToken;
  expect(deviceToken).toMatch(/^[\w-]{40,}$/);
  return { socket: admitted.socket, deviceToken: deviceToken ?? "" };
}

describe("device identity", () => {
  it("refuses a signature over another nonce, a forged id and a stale signature, with OpenClaw's codes", async () => {
    const gateway = await env.start();
    const device = newDevice();
    const wrongNonce = await connectNode(
      gateway,
      device,
      { token: gateway.token },
      { nonceOverride: "not-the-nonce" },
    );
    expect(wrongNonce.response.error?.details).toMatchObject({ code: "DEVICE_AUTH_NONCE_MISMATCH" });
    const stale = await connectNode(
      gateway,
      device,
      { token: gateway.token },
      { signedAt: Date.now() - 10 * 60_000 },
    );
    expect(stale.response.error?.details).toMatchObject({ code: "DEVICE_AUTH_SIGNATURE_EXPIRED" });
    const other = newDevice();
    const forged = await connectNode(
      gateway,
      { ...device, privateKey: other.privateKey },
      { token: gateway.token },
    );
    expect(forged.response.error?.details).toMatchObject({ code: "DEVICE_AUTH_SIGNATURE_INVALID" });
    const mismatch = await connectNode(gateway, { ...device, id: other.id }, { token: gateway.token });
    expect(mismatch.response.error?.details).toMatchObject({ code: "DEVICE_AUTH_DEVICE_ID_MISMATCH" });
  });

  it("a device token alone reconnects; revoking it closes the live connection and refuses it from then on", async () => {
    const gateway = await env.start();
    const { client: operator } = await env.connect(gateway, {
      scopes: ["operator.pairing", "operator.read"],
    });
    const device = newDevice();
    const { socket: first, deviceToken } = await pairedNode(gateway, operator, device);
    first.close();
    await first.waitForClose();

    const viaToken = await connectNode(gateway, device, { deviceToken });
    expect(viaToken.response.ok).toBe(true);
    const listed = await callChecked(operator, "device.pair.list", {});
    expect(listed.paired.find((entry) => entry.deviceId === device.id)?.roles).toEqual(["node"]);

    const revoked = await callChecked(operator, "device.token.revoke", { deviceId: device.id, role: "node" });
    expect(revoked.closedConnections).toBe(1);
    const closed = await viaToken.socket.waitForClose();
    expect(closed).toMatchObject({ code: 1008, reason: "device token revoked" });

    const again = await connectNode(gateway, device, { deviceToken });
    expect(again.response.error?.details).toMatchObject({ code: "AUTH_DEVICE_TOKEN_MISMATCH" });
  });

  it("rotating a token closes the connection that used the old one; the old token is refused", async () => {
    const gateway = await env.start();
    const { client: operator } = await env.connect(gateway, { scopes: ["operator.pairing"] });
    const device = newDevice();
    const { socket: first, deviceToken } = await pairedNode(gateway, operator, device);
    first.close();
    await first.waitForClose();
    const live = await connectNode(gateway, device, { deviceToken });
    expect(live.response.ok).toBe(true);

    const rotated = await callChecked(operator, "device.token.rotate", { deviceId: device.id, role: "node" });
    // Cross-device: the operator never sees the node's new bearer token.
    expect(rotated).toMatchObject({
      deviceId: device.id,
      role: "node",
      tokenDelivery: "withheld-cross-device",
    });
    expect(rotated.token).toBeUndefined();
    expect(await live.socket.waitForClose()).toMatchObject({ code: 1008, reason: "device token rotated" });
    const old = await connectNode(gateway, device, { deviceToken });
    expect(old.response.error?.details).toMatchObject({ code: "AUTH_DEVICE_TOKEN_MISMATCH" });
  });

  it("a device token without the device's signature is refused and counted by the rate limiter", async () => {
    const gateway = await env.start();
    const socket = await env.open(gateway.server.url);
    await socket.waitForEvent("connect.challenge");
    const response = await socket.request("connect", {
      minProtocol: 4,
      maxProtocol: 4,
      client: NODE_CLIENT,
      role: "node",
      auth: { deviceToken: "guessed" },
    });
    expect(response.error?.details).toMatchObject({ code: "DEVICE_IDENTITY_REQUIRED" });
  });
});

/** Answers the node's invoke requests the way a node host does. */
function serveNode(
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

describe("node.invoke", () => {
  it("round trip with ordered progress; list, describe, rename and node.event", async () => {
    const gateway = await env.start();
    const { client: operator } = await env.connect(gateway, {
      scopes: ["operator.pairing", "operator.write", "operator.read"],
    });
    const device = newDevice();
    const { socket: node } = await pairedNode(gateway, operator, device);
    serveNode(node, (request) => {
      // Sent out of order on purpose: the gateway hands them on by seq.
      for (const seq of [1, 0]) {
        node.send({
          type: "req",
          id: node.newId(),
          method: "node.invoke.progress",
          params: { invokeId: request.id, nodeId: request.nodeId, seq, chunk: `part${seq}` },
        });
      }
      return { id: request.id, nodeId: request.nodeId, ok: true, payloadJSON: request.paramsJSON ?? "null" };
    });

    const result = await callChecked(operator, "node.invoke", {
      nodeId: device.id,
      command: "echo",
      params: { hello: "node" },
      idempotencyKey: "k1",
    });
    expect(result).toMatchObject({
      ok: true,
      nodeId: device.id,
      command: "echo",
      payloadJSON: '{"hello":"node"}',
    });
    const chunks = operator.frames
      .filter((frame) => frame.event === "node.invoke.progress")
      .map((frame) => (frame.payload as { chunk: string; seq: number }).chunk);
    expect(chunks).toEqual(["part0", "part1"]);

    const list = await callChecked(operator, "node.list", {});
    expect(list.nodes).toEqual([
      expect.objectContaining({
        nodeId: device.id,
        connected: true,
        paired: true,
        approvalState: "approved",
      }),
    ]);
    await callChecked(operator, "node.rename", { nodeId: device.id, displayName: "build-box" });
    const described = await callChecked(operator, "node.describe", { nodeId: device.id });
    expect(described).toMatchObject({
      displayName: "build-box",
      commands: ["echo", "system.run"],
      caps: ["system"],
    });

    const since = operator.frames.length;
    const ack = await node.call("node.event", { event: "battery", payload: { level: 0.5 } });
    expect(ack).toEqual({ ok: true, event: "battery", handled: true });
    const event = await operator.waitForEvent("node.event", { since });
    expect(event.payload).toMatchObject({ nodeId: device.id, event: "battery", payload: { level: 0.5 } });
    // Operators cannot answer invokes, and nodes cannot invoke.
    expect(
      (await operator.callError("node.invoke.result", { id: "x", nodeId: device.id, ok: true })).code,
    ).toBe("FORBIDDEN");
  });

  it("a command the node did not declare, a node that is not there, a timeout, and a node dying mid-invoke", async () => {
    const gateway = await env.start();
    const { client: operator } = await env.connect(gateway, {
      scopes: ["operator.pairing", "operator.write"],
    });
    const device = newDevice();
    const { socket: node } = await pairedNode(gateway, operator, device);
    const seen: string[] = [];
    serveNode(node, (request) => {
      seen.push(request.command);
      return undefined;
    });
    const undeclared = await operator.callError("node.invoke", {
      nodeId: device.id,
      command: "rm",
      idempotencyKey: "a",
    });
    expect(undeclared.details).toMatchObject({ code: "NODE_COMMAND_NOT_DECLARED" });
    const absent = await operator.callError("node.invoke", {
      nodeId: "nope",
      command: "echo",
      idempotencyKey: "b",
    });
    expect(absent.details).toMatchObject({ code: "NODE_NOT_CONNECTED" });

    const since = node.frames.length;
    const timedOut = await operator.callError("node.invoke", {
      nodeId: device.id,
      command: "echo",
      timeoutMs: 50,
      idempotencyKey: "c",
    });
    expect(timedOut).toMatchObject({ code: "UNAVAILABLE", details: { code: "NODE_INVOKE_TIMEOUT" } });
    expect((await node.waitForEvent("node.invoke.cancel", { since })).payload).toMatchObject({
      nodeId: device.id,
    });

    const dying = operator.request("node.invoke", {
      nodeId: device.id,
      command: "echo",
      idempotencyKey: "d",
    });
    await node.waitForEvent("node.invoke.request", { since: node.frames.length - 0 }).catch(() => undefined);
    node.ws.terminate();
    const answer = await dying;
    expect(answer.error).toMatchObject({ code: "UNAVAILABLE", details: { code: "NODE_DISCONNECTED" } });
    expect(answer.error?.message).toContain("disconnected before answering");
    expect(seen).toContain("echo");
  });

  it("system.run waits for an operator's approval, and a denial never reaches the node", async () => {
    const gateway = await env.start({ config: { tools: { exec: { mode: "ask" } } } });
    const { client: operator } = await env.connect(gateway, {
      scopes: ["operator.pairing", "operator.write", "operator.approvals"],
    });
    const device = newDevice();
    const { socket: node } = await pairedNode(gateway, operator, device);
    const ran: string[] = [];
    serveNode(node, (request) => {
      ran.push(request.paramsJSON ?? "");
      return { id: request.id, nodeId: request.nodeId, ok: true, payload: { exitCode: 0, stdout: "hi\n" } };
    });
    const params = { command: ["echo", "hi there"] };
    let since = operator.frames.length;
    const allowed = operator.request("node.invoke", {
      nodeId: device.id,
      command: "system.run",
      params,
      idempotencyKey: "r1",
    });
    const asked = await operator.waitForEvent("exec.approval.requested", { since });
    expect(asked.payload).toMatchObject({ commandText: "echo 'hi there'", request: { host: "node" } });
    await operator.call("exec.approval.resolve", {
      id: (asked.payload as { id: string }).id,
      decision: "allow-once",
    });
    expect((await allowed).payload).toMatchObject({ ok: true, payload: { exitCode: 0, stdout: "hi\n" } });

    since = operator.frames.length;
    const refused = operator.request("node.invoke", {
      nodeId: device.id,
      command: "system.run",
      params,
      idempotencyKey: "r2",
    });
    const second = await operator.waitForEvent("exec.approval.requested", { since });
    await operator.call("exec.approval.resolve", {
      id: (second.payload as { id: string }).id,
      decision: "deny",
    });
    expect((await refused).error).toMatchObject({
      code: "FORBIDDEN",
      details: { code: "SYSTEM_RUN_DENIED" },
    });
    expect(ran).toHaveLength(1);
  });
});
