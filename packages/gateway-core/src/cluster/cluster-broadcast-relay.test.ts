import { CLUSTER_LIMITS } from "@openclaw/sessions";
import { describe, expect, it } from "vitest";
import {
  localHub,
  RecordingTarget,
  recordingLogger,
  settle,
  useMemoryCluster,
} from "./cluster.test-support.js";
import {
  BROADCAST_TOPIC,
  createClusterBroadcastRelay,
  LOCAL_ONLY_EVENTS,
} from "./cluster-broadcast-relay.js";

const openInstance = useMemoryCluster();

async function instance(id: string, targets: RecordingTarget[] = [new RecordingTarget(`${id}-conn`)]) {
  const { cluster, publishes } = await openInstance(id);
  const { logger, records } = recordingLogger();
  const relay = createClusterBroadcastRelay({ hub: localHub(targets), cluster, logger });
  return { id, cluster, publishes, relay, targets, records, target: targets[0] as RecordingTarget };
}

describe("cluster broadcast relay", () => {
  it("delivers an instance's events to every instance's clients once, in the order they were sent", async () => {
    const a = await instance("a");
    const b = await instance("b");
    const c = await instance("c");
    const sent = Array.from({ length: 50 }, (_, seq) => ({
      runId: "r1",
      sessionKey: "agent:main:main",
      seq,
    }));
    for (const payload of sent) a.relay.broadcast("chat", payload, "operator.read");
    await settle(a.cluster, b.cluster, c.cluster);

    for (const each of [a, b, c]) expect(each.target.named("chat")).toEqual(sent);
    // Received events are delivered, never published again (by anyone), and the sender never hears its own.
    expect(a.publishes.filter((p) => p.topic === BROADCAST_TOPIC)).toHaveLength(50);
    expect(b.publishes.filter((p) => p.topic === BROADCAST_TOPIC)).toHaveLength(0);
    expect(c.publishes.filter((p) => p.topic === BROADCAST_TOPIC)).toHaveLength(0);
  });

  it("keeps each instance's order when several instances broadcast at once", async () => {
    const a = await instance("a");
    const b = await instance("b");
    for (let seq = 0; seq < 20; seq++) {
      a.relay.broadcast("agent", { runId: "on-a", seq });
      b.relay.broadcast("agent", { runId: "on-b", seq });
    }
    await settle(a.cluster, b.cluster);
    for (const each of [a, b]) {
      const events = each.target.named("agent") as { runId: string; seq: number }[];
      expect(events).toHaveLength(40);
      for (const runId of ["on-a", "on-b"]) {
        expect(events.filter((e) => e.runId === runId).map((e) => e.seq)).toEqual([...Array(20).keys()]);
      }
    }
  });

  it("keeps the scope an event needs on the instance that receives it", async () => {
    const a = await instance("a");
    const reader = new RecordingTarget("reader", ["operator.read"]);
    const pairingOnly = new RecordingTarget("pairing", ["operator.pairing"]);
    const b = await instance("b", [reader, pairingOnly]);
    a.relay.broadcast("chat", { text: "conversation" }, "operator.read");
    a.relay.broadcast("device.pair.requested", { requestId: "p1" }, "operator.pairing");
    a.relay.broadcast("exec.approval.requested", { id: "x1" }, "operator.approvals");
    await settle(a.cluster, b.cluster);
    expect(reader.received.map((each) => each.event)).toEqual(["chat"]);
    expect(pairingOnly.received.map((each) => each.event)).toEqual(["device.pair.requested"]);
  });

  it("keeps an instance's own events local: tick, health, presence, node commands", async () => {
    const a = await instance("a");
    const b = await instance("b");
    for (const event of LOCAL_ONLY_EVENTS) a.relay.broadcast(event, { from: "a" });
    a.relay.broadcast("cron", { jobId: "j1", action: "finished" }, "operator.read");
    a.relay.sendTo(new Set(["a-conn", "b-conn"]), "session.message", { sessionKey: "s" });
    await settle(a.cluster, b.cluster);

    expect(a.target.received.map((each) => each.event)).toEqual([
      ...LOCAL_ONLY_EVENTS,
      "cron",
      "session.message",
    ]);
    expect(b.target.received.map((each) => each.event)).toEqual(["cron"]);
    expect(a.publishes).toHaveLength(1);
  });

  it("ignores a local-only event another instance relays anyway, and messages of another shape", async () => {
    const a = await instance("a");
    const b = await instance("b");
    a.cluster.publish(BROADCAST_TOPIC, { event: "tick", payload: { ts: 1 } });
    a.cluster.publish(BROADCAST_TOPIC, { payload: "no event name" });
    a.cluster.publish(BROADCAST_TOPIC, {
      event: "heartbeat",
      payload: { status: "ran" },
      scope: "operator.read",
    });
    await settle(a.cluster, b.cluster);
    expect(b.target.received).toEqual([{ event: "heartbeat", payload: { status: "ran" } }]);
    expect(b.records.some((record) => record.msg.includes("not in the expected shape"))).toBe(true);
  });

  it("delivers an event too large for the port locally, skips relaying it and says so", async () => {
    const a = await instance("a");
    const b = await instance("b");
    const huge = { text: "x".repeat(CLUSTER_LIMITS.payloadBytes) };
    a.relay.broadcast("chat", huge, "operator.read");
    a.relay.broadcast("chat", { text: "small" }, "operator.read");
    await settle(a.cluster, b.cluster);

    expect(a.target.named("chat")).toEqual([huge, { text: "small" }]);
    expect(b.target.named("chat")).toEqual([{ text: "small" }]);
    const warning = a.records.find((record) => record.level === "warn");
    expect(warning).toMatchObject({ topic: BROADCAST_TOPIC, event: "chat" });
    expect(warning?.msg).toContain(`larger than ${CLUSTER_LIMITS.payloadBytes} bytes`);
  });

  it("stops receiving once closed", async () => {
    const a = await instance("a");
    const b = await instance("b");
    b.relay.close();
    a.relay.broadcast("cron", { jobId: "j1" });
    await settle(a.cluster, b.cluster);
    expect(b.target.received).toEqual([]);
  });

  it("is the hub itself without a cluster", () => {
    const target = new RecordingTarget("solo");
    const relay = createClusterBroadcastRelay({ hub: localHub([target]), logger: recordingLogger().logger });
    relay.broadcast("chat", { seq: 1 });
    expect(target.named("chat")).toEqual([{ seq: 1 }]);
    expect(relay.connectionCount()).toBe(1);
  });
});
