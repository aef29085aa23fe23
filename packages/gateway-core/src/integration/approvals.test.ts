import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  callChecked,
  configWithFakeModel,
  type RawClient,
  startFakeModel,
  type TestGateway,
  useIntegrationEnv,
} from "./harness.js";

const env = useIntegrationEnv();

async function approvalsClient(gateway: TestGateway): Promise<RawClient> {
  const { client } = await env.connect(gateway, { scopes: ["operator.approvals", "operator.read"] });
  return client;
}

describe("exec approvals", () => {
  it("round trip: one client asks, another allows once, and both hear the outcome", async () => {
    const gateway = await env.start();
    const asker = await approvalsClient(gateway);
    const approver = await approvalsClient(gateway);
    const { client: reader } = await env.connect(gateway, { scopes: ["operator.read"] });

    const answer = asker.request("exec.approval.request", {
      id: "appr-1",
      command: "ls -la /tmp",
      agentId: "main",
      sessionKey: "agent:main:main",
      timeoutMs: 10_000,
    });
    const requested = await approver.waitForEvent("exec.approval.requested");
    expect(requested.payload).toMatchObject({
      id: "appr-1",
      approvalKind: "exec",
      request: { command: "ls -la /tmp" },
      commandText: "ls -la /tmp",
      agentId: "main",
      allowedDecisions: ["allow-once", "allow-always", "deny"],
    });

    // A client that connects late still finds the pending approval.
    const late = await approvalsClient(gateway);
    const pending = await callChecked(late, "exec.approval.list", {});
    expect(pending.map((approval) => approval.id)).toEqual(["appr-1"]);
    expect(pending[0]).toMatchObject({
      approvalKind: "exec",
      request: { command: "ls -la /tmp", agentId: "main" },
    });
    expect(await callChecked(late, "exec.approval.get", { id: "appr-1" })).toMatchObject({
      commandText: "ls -la /tmp",
    });

    const resolved = await callChecked(approver, "exec.approval.resolve", {
      id: "appr-1",
      decision: "allow-once",
    });
    expect(resolved).toEqual({ ok: true, id: "appr-1", decision: "allow-once" });
    const response = await answer;
    expect(response.ok).toBe(true);
    expect(response.payload).toMatchObject({ id: "appr-1", decision: "allow-once", reason: "operator" });
    await asker.waitForEvent("exec.approval.resolved");

    // Approvals are for operator.approvals holders only: a read-only client never sees the command.
    expect(reader.frames.some((frame) => frame.event?.startsWith("exec.approval"))).toBe(false);
    // The first answer wins; a second one finds nothing pending.
    const second = await approver.callError("exec.approval.resolve", { id: "appr-1", decision: "deny" });
    expect(second.code).toBe("APPROVAL_NOT_FOUND");
    expect(await callChecked(late, "exec.approval.list", {})).toEqual([]);
  });

  it("denies when nobody answers within the timeout", async () => {
    const gateway = await env.start();
    const asker = await approvalsClient(gateway);
    const watcher = await approvalsClient(gateway);
    const result = await callChecked(asker, "exec.approval.request", {
      command: "rm -rf build",
      timeoutMs: 50,
    });
    expect(result).toMatchObject({ decision: "deny", reason: "timeout" });
    const resolved = await watcher.waitForEvent("exec.approval.resolved");
    expect(resolved.payload).toMatchObject({ id: result.id, decision: "deny", reason: "timeout" });
  });

  it("remembers allow-always for that exact command only, on disk", async () => {
    const gateway = await env.start();
    const asker = await approvalsClient(gateway);
    const approver = await approvalsClient(gateway);
    const first = asker.request("exec.approval.request", {
      id: "a1",
      command: "git status",
      timeoutMs: 10_000,
    });
    await approver.waitForEvent("exec.approval.requested");
    await callChecked(approver, "exec.approval.resolve", { id: "a1", decision: "allow-always" });
    expect((await first).payload).toMatchObject({ decision: "allow-always", reason: "operator" });

    const again = await callChecked(asker, "exec.approval.request", {
      command: "git status",
      timeoutMs: 10_000,
    });
    expect(again).toMatchObject({ decision: "allow-always", reason: "allowlist" });
    const other = await callChecked(asker, "exec.approval.request", { command: "git push", timeoutMs: 30 });
    expect(other).toMatchObject({ decision: "deny", reason: "timeout" });

    const file = JSON.parse(await readFile(join(gateway.stateDir, "exec-approvals.json"), "utf8"));
    expect(file.agents.main.allowlist).toEqual([
      expect.objectContaining({ commandText: "git status", source: "allow-always" }),
    ]);
  });

  it("refuses callers without operator.approvals and decisions it does not know", async () => {
    const gateway = await env.start();
    const { client: writer } = await env.connect(gateway, { scopes: ["operator.write", "operator.read"] });
    const refused = await writer.callError("exec.approval.request", { command: "id" });
    expect(refused.code).toBe("FORBIDDEN");

    const asker = await approvalsClient(gateway);
    const pending = asker.request("exec.approval.request", { id: "x1", command: "id", timeoutMs: 10_000 });
    await asker.waitForEvent("exec.approval.requested");
    const twoPhase = await asker.callError("exec.approval.request", { command: "id", twoPhase: true });
    expect(twoPhase.message).toContain("omit twoPhase");
    const bad = await asker.callError("exec.approval.resolve", { id: "x1", decision: "maybe" });
    expect(bad.message).toContain('"allow-once"');
    await callChecked(asker, "exec.approval.resolve", { id: "x1", decision: "deny" });
    expect((await pending).payload).toMatchObject({ decision: "deny", reason: "operator" });
  });

  it("asks before the agent's exec tool runs a command, then runs it once approved", async () => {
    const fake = await startFakeModel(env);
    fake.enqueue(
      { toolCalls: [{ id: "call_1", name: "exec", arguments: { command: "echo approved-output" } }] },
      { text: "done" },
    );
    const gateway = await env.start({
      config: { ...configWithFakeModel(fake), tools: { exec: { mode: "ask" } } },
    });
    const { client } = await env.connect(gateway);
    const ack = await callChecked(client, "chat.send", {
      sessionKey: "main",
      message: "run it",
      idempotencyKey: randomUUID(),
    });
    const requested = await client.waitForEvent("exec.approval.requested");
    expect(requested.payload).toMatchObject({ commandText: "echo approved-output", agentId: "main" });
    await callChecked(client, "exec.approval.resolve", {
      id: (requested.payload as { id: string }).id,
      decision: "allow-once",
    });
    await client.waitFor(
      (frame) =>
        frame.event === "chat" &&
        (frame.payload as { runId?: string; state?: string }).runId === ack.runId &&
        (frame.payload as { state?: string }).state === "final",
      { what: "final chat event" },
    );
    expect(
      fake.requests[0]?.body.tools?.map((tool: { function: { name: string } }) => tool.function.name),
    ).toContain("exec");
    expect(JSON.stringify(fake.requests[1]?.body.messages)).toContain("approved-output");
  });
});

describe("node pairing", () => {
  it("a connecting node becomes a pending request; approval lets it connect with no operator scopes", async () => {
    const gateway = await env.start();
    const { client: operator } = await env.connect(gateway, { scopes: ["operator.pairing"] });

    const refused = await env.open(gateway.server.url);
    await refused.waitForEvent("connect.challenge");
    const nodeConnect = {
      minProtocol: 4,
      maxProtocol: 4,
      client: {
        id: "node-host",
        version: "1.0.0",
        platform: "linux",
        mode: "node",
        instanceId: "kitchen-pi",
      },
      role: "node",
      caps: ["camera"],
      auth: { token: gateway.token },
    };
    const denied = await refused.request("connect", nodeConnect);
    expect(denied.ok).toBe(false);
    expect(denied.error).toMatchObject({ code: "NOT_PAIRED", details: { code: "PAIRING_REQUIRED" } });
    const requested = await operator.waitForEvent("node.pair.requested");
    const requestId = (requested.payload as { requestId: string }).requestId;
    expect(requested.payload).toMatchObject({ nodeId: "kitchen-pi", caps: ["camera"] });

    const list = await callChecked(operator, "node.pair.list", {});
    expect(list.pending.map((request) => request.requestId)).toEqual([requestId]);
    const approved = await callChecked(operator, "node.pair.approve", { requestId });
    expect(approved.node).toMatchObject({ nodeId: "kitchen-pi", caps: ["camera"] });
    await operator.waitForEvent("node.pair.resolved");

    const admitted = await env.open(gateway.server.url);
    await admitted.waitForEvent("connect.challenge");
    const hello = await admitted.request("connect", nodeConnect);
    expect(hello.ok).toBe(true);
    expect(hello.payload).toMatchObject({ auth: { role: "node", scopes: [] } });
    const forbidden = await admitted.callError("sessions.list", {});
    expect(forbidden.code).toBe("FORBIDDEN");

    // Declaring more than was approved asks again.
    const widened = await env.open(gateway.server.url);
    await widened.waitForEvent("connect.challenge");
    // Counted before the connect: the request event and a presence event may both arrive before the refusal does.
    const framesBefore = operator.frames.length;
    const again = await widened.request("connect", { ...nodeConnect, caps: ["camera", "screen"] });
    expect(again.ok).toBe(false);
    const second = await operator.waitForEvent("node.pair.requested", { since: framesBefore });
    const rejected = await callChecked(operator, "node.pair.reject", {
      requestId: (second.payload as { requestId: string }).requestId,
    });
    expect(rejected.nodeId).toBe("kitchen-pi");
    expect(await callChecked(operator, "node.pair.remove", { nodeId: "kitchen-pi" })).toEqual({
      nodeId: "kitchen-pi",
      removed: true,
    });
    expect((await callChecked(operator, "node.pair.list", {})).paired).toEqual([]);
  });

  it("never records a request for a node that fails authentication", async () => {
    const gateway = await env.start();
    const socket = await env.open(gateway.server.url);
    await socket.waitForEvent("connect.challenge");
    const denied = await socket.request("connect", {
      minProtocol: 4,
      maxProtocol: 4,
      client: { id: "node-host", version: "1.0.0", platform: "linux", mode: "node" },
      role: "node",
      auth: { token: "wrong" },
    });
    expect(denied.ok).toBe(false);
    expect(denied.error?.code).not.toBe("NOT_PAIRED");
    expect(gateway.server.runtime.nodePairing.list().pending).toEqual([]);
  });
});
