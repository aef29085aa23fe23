import { type FakeModelServer, lastUserText, startFakeModelServer } from "@openclaw/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pollUntil } from "../e2e-wait-support.js";
import { aliveMembers, messageText, outcomeOf } from "./cluster-assertions.js";
import { recordEvents } from "./cluster-event-log.js";
import { type Cluster, type ClusterInstance, startCluster } from "./cluster-harness.js";

// PostgreSQL goes away for 5 s (every connection through the proxy cut, new ones refused): the gateways keep their
// control plane up, refuse writes with UNAVAILABLE, and recover on their own once the database is back.
const CUT_MS = 5_000;

let model: FakeModelServer;
let cluster: Cluster;
let a: ClusterInstance;
let b: ClusterInstance;

beforeAll(async () => {
  model = await startFakeModelServer();
  model.setDefaultReply((request) => ({ chunks: ["answer to ", lastUserText(request)] }));
  cluster = await startCluster({ purpose: "dbloss", size: 3, model });
  [a, b] = cluster.instances as [ClusterInstance, ClusterInstance];
});

afterAll(async () => {
  await cluster?.close();
  await model?.close();
});

const allIds = () => cluster.instances.map((instance) => instance.instanceId).sort();

describe("a cluster losing its database for 5 s", () => {
  it("stays up, refuses writes with UNAVAILABLE, and recovers without a restart", async () => {
    const proxy = cluster.proxy;
    if (!proxy) throw new Error("the cluster runs without the proxy");
    await pollUntil(
      "all three instances alive in health",
      () => a.client.request("health", { cluster: true }),
      (health) => aliveMembers(health).join() === allIds().join(),
    );

    const cut = proxy.cutFor(CUT_MS);
    const cutAt = performance.now();
    // A write while the database is gone: refused with UNAVAILABLE (the first may be the one that finds out).
    const write = await pollUntil(
      "a write refused with UNAVAILABLE",
      () => outcomeOf(a.client.request("sessions.patch", { key: "agent:main:during-cut", label: "Lost?" })),
      (outcome) => outcome.startsWith("UNAVAILABLE"),
      CUT_MS,
    );
    expect(write).toMatch(/^UNAVAILABLE/);
    const chat = await outcomeOf(
      b.client.request("chat.send", {
        sessionKey: "agent:main:during-cut",
        message: "hello?",
        idempotencyKey: "cut-1",
      }),
    );
    expect(chat, "chat.send while the database is cut").toMatch(/^UNAVAILABLE/);
    // The control plane answers on every instance, and each finds out (a failed call or heartbeat) that the store
    // is gone while it still is.
    for (const instance of cluster.instances) {
      const health = await pollUntil(
        `health on ${instance.name} saying the store is unavailable`,
        () => instance.client.request("health", { cluster: true }, { timeoutMs: 2_000 }),
        (seen) => seen.cluster?.storage === "unavailable",
        Math.max(0, CUT_MS - (performance.now() - cutAt)),
      );
      expect(health.cluster?.storage).toBe("unavailable");
      expect(instance.running).toBe(true);
    }
    expect(performance.now() - cutAt, "the checks during the cut took longer than the cut").toBeLessThan(
      CUT_MS,
    );
    await cut;

    // Back: every instance sees the store and all three members again, without a restart.
    for (const instance of cluster.instances) {
      const health = await pollUntil(
        `health on ${instance.name} back to storage ok with all three members`,
        () => instance.client.request("health", { cluster: true }),
        (seen) => seen.cluster?.storage === "ok" && aliveMembers(seen).join() === allIds().join(),
      );
      expect(health.cluster?.storage).toBe("ok");
      expect(instance.running).toBe(true);
    }
    await a.client.request("sessions.patch", { key: "agent:main:after-cut", label: "Back" });
    // A chat turn works again, and its events still cross instances (the listeners reconnected).
    const onA = recordEvents(a.client);
    try {
      const sent = await b.client.request("chat.send", {
        sessionKey: "agent:main:after-cut",
        message: "are you back",
        idempotencyKey: "after-cut-1",
      });
      const final = await onA.waitFor(
        "the final of B's run after the cut, on A",
        (event) =>
          event.event === "chat" &&
          (event.payload as { runId?: string; state?: string }).runId === sent.runId &&
          (event.payload as { state?: string }).state === "final",
      );
      expect(messageText((final.payload as { message?: unknown }).message)).toBe("answer to are you back");
    } finally {
      onA.stop();
    }
  });
});
