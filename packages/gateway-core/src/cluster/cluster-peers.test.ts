import { describe, expect, it } from "vitest";
import {
  localHub,
  RecordingTarget,
  recordingLogger,
  settle,
  useMemoryCluster,
} from "./cluster.test-support.js";
import { BROADCAST_TOPIC, createClusterBroadcastRelay } from "./cluster-broadcast-relay.js";
import { watchClusterPeers } from "./cluster-peers.js";
import { createClusterSessionFacts, TRANSCRIPT_APPEND_TOPIC } from "./cluster-session-facts.js";

const openInstance = useMemoryCluster();

async function instance(id: string) {
  const { cluster, publishes } = await openInstance(id);
  const { logger } = recordingLogger();
  const peers = watchClusterPeers({ cluster, logger });
  const target = new RecordingTarget(`${id}-conn`);
  const relay = createClusterBroadcastRelay({ hub: localHub([target]), cluster, peers, logger });
  const followed: string[] = [];
  const facts = createClusterSessionFacts({
    cluster,
    peers,
    sessionMessages: { onTranscriptAppend: (_key, entry) => followed.push(entry.text) },
    sessionEvents: { onRunEvent: () => {} },
    logger,
  });
  const relayed = () => publishes.filter((p) => p.topic === BROADCAST_TOPIC).length;
  const factsSent = () => publishes.filter((p) => p.topic === TRANSCRIPT_APPEND_TOPIC).length;
  return { cluster, peers, relay, facts, followed, target, relayed, factsSent };
}

describe("cluster peers", () => {
  it("publishes nothing while alone, and again from the moment another instance says hello until it leaves", async () => {
    const a = await instance("a");
    await settle(a.cluster);
    expect(a.peers.present).toBe(false);
    a.relay.broadcast("chat", { seq: 1 }, "operator.read");
    // Delivered to this instance's own clients all the same.
    expect(a.target.named("chat")).toEqual([{ seq: 1 }]);
    a.facts.onTranscriptAppend("agent:main:main", { role: "user", text: "alone", ts: 1 });
    expect(a.followed).toEqual(["alone"]);
    expect([a.relayed(), a.factsSent()]).toEqual([0, 0]);

    const b = await instance("b");
    await settle(a.cluster, b.cluster);
    expect([a.peers.present, b.peers.present]).toEqual([true, true]);
    a.relay.broadcast("chat", { seq: 2 }, "operator.read");
    await settle(a.cluster, b.cluster);
    expect(b.target.named("chat")).toEqual([{ seq: 2 }]);
    a.facts.onTranscriptAppend("agent:main:main", { role: "user", text: "with b", ts: 2 });
    await settle(a.cluster, b.cluster);
    expect(b.followed).toEqual(["with b"]);
    expect([a.relayed(), a.factsSent()]).toEqual([1, 1]);

    b.peers.close();
    await settle(a.cluster, b.cluster);
    expect(a.peers.present).toBe(false);
    a.relay.broadcast("chat", { seq: 3 }, "operator.read");
    a.facts.onTranscriptAppend("agent:main:main", { role: "user", text: "alone again", ts: 3 });
    expect([a.relayed(), a.factsSent()]).toEqual([1, 1]);
  });
});
