import { describe, expect, it } from "vitest";
import { callChecked, useIntegrationEnv } from "../integration/harness.js";
import { connectNode, NODE_CLIENT, newDevice, pairedNode, serveNode } from "./nodes.test-support.js";

const env = useIntegrationEnv();

describe("device identity", () => {
  it("refuses a signature over another nonce, a forged id and a stale signature, with OpenClaw's codes", async () => {
    const gateway = await env.start();
    const device = newDevice();
    const wrongNonce = await connectNode(
      env,
      gateway,
      device,
      { token: gateway.token },
      { nonceOverride: "not-the-nonce" },
    );
    expect(wrongNonce.response.error?.details).toMatchObject({ code: "DEVICE_AUTH_NONCE_MISMATCH" });
    const stale = await connectNode(
      env,
      gateway,
      device,
      { token: gateway.token },
      { signedAt: Date.now() - 10 * 60_000 },
    );
    expect(stale.response.error?.details).toMatchObject({ code: "DEVICE_AUTH_SIGNATURE_EXPIRED" });
    const other = newDevice();
    const forged = await connectNode(
      env,
      gateway,
      { ...device, privateKey: other.privateKey },
      { token: gateway.token },
    );
    expect(forged.response.error?.details).toMatchObject({ code: "DEVICE_AUTH_SIGNATURE_INVALID" });
    const mismatch = await connectNode(env, gateway, { ...device, id: other.id }, { token: gateway.token });
    expect(mismatch.response.error?.details).toMatchObject({ code: "DEVICE_AUTH_DEVICE_ID_MISMATCH" });
  });

  it("a device token alone reconnects; revoking it closes the live connection and refuses it from then on", async () => {
    const gateway = await env.start();
    const { client: operator } = await env.connect(gateway, {
      scopes: ["operator.pairing", "operator.read"],
    });
    const device = newDevice();
    const { socket: first, deviceToken } = await pairedNode(env, gateway, operator, device);
    first.close();
    await first.waitForClose();

    const viaToken = await connectNode(env, gateway, device, { deviceToken });
    expect(viaToken.response.ok).toBe(true);
    const listed = await callChecked(operator, "device.pair.list", {});
    expect(listed.paired.find((entry) => entry.deviceId === device.id)?.roles).toEqual(["node"]);

    const revoked = await callChecked(operator, "device.token.revoke", { deviceId: device.id, role: "node" });
    expect(revoked.closedConnections).toBe(1);
    const closed = await viaToken.socket.waitForClose();
    expect(closed).toMatchObject({ code: 1008, reason: "device token revoked" });

    const again = await connectNode(env, gateway, device, { deviceToken });
    expect(again.response.error?.details).toMatchObject({ code: "AUTH_DEVICE_TOKEN_MISMATCH" });
  });

  it("rotating a token closes the connection that used the old one; the old token is refused", async () => {
    const gateway = await env.start();
    const { client: operator } = await env.connect(gateway, { scopes: ["operator.pairing"] });
    const device = newDevice();
    const { socket: first, deviceToken } = await pairedNode(env, gateway, operator, device);
    first.close();
    await first.waitForClose();
    const live = await connectNode(env, gateway, device, { deviceToken });
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
    const old = await connectNode(env, gateway, device, { deviceToken });
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

describe("node.invoke", () => {
  it("round trip with ordered progress; list, describe, rename and node.event", async () => {
    const gateway = await env.start();
    const { client: operator } = await env.connect(gateway, {
      scopes: ["operator.pairing", "operator.write", "operator.read"],
    });
    const device = newDevice();
    const { socket: node } = await pairedNode(env, gateway, operator, device);
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
    const { socket: node } = await pairedNode(env, gateway, operator, device);
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

  it("removing a node ends its live connection at once, and its device token with it", async () => {
    const gateway = await env.start();
    const { client: operator } = await env.connect(gateway, {
      scopes: ["operator.pairing", "operator.write"],
    });
    const device = newDevice();
    const { socket: node, deviceToken } = await pairedNode(env, gateway, operator, device);
    expect(await callChecked(operator, "node.pair.remove", { nodeId: device.id })).toEqual({
      nodeId: device.id,
      removed: true,
    });
    expect(await node.waitForClose()).toMatchObject({ code: 1008 });
    const absent = await operator.callError("node.invoke", {
      nodeId: device.id,
      command: "echo",
      idempotencyKey: "x",
    });
    expect(absent.details).toMatchObject({ code: "NODE_NOT_CONNECTED" });
    const again = await connectNode(env, gateway, device, { deviceToken });
    expect(again.response.error?.details).toMatchObject({ code: "AUTH_DEVICE_TOKEN_MISMATCH" });
  });

  it("system.run waits for an operator's approval, and a denial never reaches the node", async () => {
    const gateway = await env.start({ config: { tools: { exec: { mode: "ask" } } } });
    const { client: operator } = await env.connect(gateway, {
      scopes: ["operator.pairing", "operator.write", "operator.approvals"],
    });
    const device = newDevice();
    const { socket: node } = await pairedNode(env, gateway, operator, device);
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
