import { describe, expect, it } from "vitest";
import {
  callChecked,
  configWithFakeModel,
  type RawClient,
  startClusterOfTwo,
  startFakeModel,
  useIntegrationEnv,
  type WireFrame,
} from "../integration/harness.js";

const env = useIntegrationEnv();

const named = (client: RawClient, event: string): WireFrame[] =>
  client.frames.filter((f) => f.event === event);

describe("events across gateway instances", () => {
  it("streams a chat run executed on B to a client on A, in order, once", async () => {
    const fake = await startFakeModel(env);
    fake.enqueue({ chunks: ["Hello", ", ", "from", " B"], usage: { inputTokens: 5, outputTokens: 4 } });
    const [a, b] = await startClusterOfTwo(env, configWithFakeModel(fake));
    const { client: onA } = await env.connect(a, { scopes: ["operator.read", "operator.write"] });
    const { client: onB } = await env.connect(b, { scopes: ["operator.read", "operator.write"] });
    await callChecked(onA, "sessions.messages.subscribe", { key: "agent:main:main" });

    const ack = await callChecked(onB, "chat.send", {
      sessionKey: "agent:main:main",
      message: "hi",
      idempotencyKey: "cluster-chat-1",
    });
    const runId = (ack as { runId: string }).runId;
    const isFinal = (frame: WireFrame) =>
      frame.event === "chat" &&
      (frame.payload as { runId?: string; state?: string }).runId === runId &&
      (frame.payload as { state?: string }).state === "final";
    await onB.waitFor(isFinal, { what: "final on B", timeoutMs: 15_000 });
    await onA.waitFor(isFinal, { what: "final on A", timeoutMs: 15_000 });

    const stream = (client: RawClient) =>
      named(client, "chat")
        .map((frame) => frame.payload as { runId: string; seq: number; state: string })
        .filter((payload) => payload.runId === runId)
        .map((payload) => `${payload.seq}:${payload.state}`);
    expect(stream(onA)).toEqual(stream(onB));
    expect(stream(onA).length).toBeGreaterThan(1);
    // The run's transcript lines reach A's follower as session.message, the user's line first.
    await expect
      .poll(() => named(onA, "session.message").map((f) => (f.payload as { messageSeq: number }).messageSeq))
      .toEqual([1, 2]);
  });

  it("answers on B an exec approval asked on A; both instances' clients hear it asked and resolved once", async () => {
    const [a, b] = await startClusterOfTwo(env);
    const scopes = ["operator.approvals", "operator.read"];
    const { client: asker } = await env.connect(a, { scopes });
    const { client: approver } = await env.connect(b, { scopes });
    const answer = asker.request("exec.approval.request", {
      id: "cluster-approval",
      command: "ls -la",
      agentId: "main",
      timeoutMs: 30_000,
    });
    await approver.waitForEvent("exec.approval.requested");
    const listed = await callChecked(approver, "exec.approval.list", {});
    expect(listed.map((entry) => entry.id)).toEqual(["cluster-approval"]);

    expect(
      await callChecked(approver, "exec.approval.resolve", {
        id: "cluster-approval",
        decision: "allow-once",
      }),
    ).toEqual({ ok: true, id: "cluster-approval", decision: "allow-once" });
    const response = await answer;
    expect(response.payload).toMatchObject({ decision: "allow-once", reason: "operator" });
    await asker.waitForEvent("exec.approval.resolved");
    await approver.waitForEvent("exec.approval.resolved");
    expect(await callChecked(asker, "exec.approval.list", {})).toEqual([]);
    expect(named(asker, "exec.approval.resolved")).toHaveLength(1);
    expect(named(approver, "exec.approval.resolved")).toHaveLength(1);
    expect(named(approver, "exec.approval.requested")).toHaveLength(1);
  });

  it("lists the clients of both instances in presence, on either", async () => {
    const [a, b] = await startClusterOfTwo(env);
    const { client: onA } = await env.connect(a, { instanceId: "client-on-a" });
    await env.connect(b, { instanceId: "client-on-b" });
    const instances = async (client: RawClient) =>
      ((await callChecked(client, "system-presence", {})) as { instanceId?: string }[])
        .map((entry) => entry.instanceId)
        .sort();
    await expect.poll(() => instances(onA)).toEqual(["client-on-a", "client-on-b"]);
    const { hello } = await env.connect(b, { instanceId: "late-on-b" });
    expect(hello.snapshot.presence.map((entry) => entry.instanceId).sort()).toEqual([
      "client-on-a",
      "client-on-b",
      "late-on-b",
    ]);
    await onA.waitFor(
      (frame) =>
        frame.event === "presence" &&
        (frame.payload as { presence: { instanceId?: string }[] }).presence.some(
          (e) => e.instanceId === "late-on-b",
        ),
      { what: "a presence broadcast on A naming B's new client", timeoutMs: 15_000 },
    );
  });
});
