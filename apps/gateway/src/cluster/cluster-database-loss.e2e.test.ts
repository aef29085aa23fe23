import { describe, expect, it } from "vitest";
import { pollUntil } from "../e2e-wait-support.js";
import { aliveMembers, messageText, outcomeOf } from "./cluster-assertions.js";
import { recordEvents } from "./cluster-event-log.js";
import { answerToLastMessage, useCluster } from "./cluster-harness.js";

// PostgreSQL goes away for 5 s (every connection through the proxy cut, new ones refused): the gateways keep their
// control plane up, refuse writes with UNAVAILABLE, and recover on their own once the database is back.
const CUT_MS = 5_000;

const e2e = useCluster({ purpose: "dbloss", size: 3, reply: answerToLastMessage });

const allIds = () => e2e.cluster.instances.map((instance) => instance.instanceId).sort();

describe("a cluster losing its database for 5 s", () => {
  it("stays up, refuses writes with UNAVAILABLE, and recovers without a restart", async () => {
    const proxy = e2e.cluster.proxy;
    if (!proxy) throw new Error("the cluster runs without the proxy");
    await pollUntil(
      "all three instances alive in health",
      () => e2e.a.client.request("health", { cluster: true }),
      (health) => aliveMembers(health).join() === allIds().join(),
    );

    const cut = proxy.cutFor(CUT_MS);
    const cutAt = performance.now();
    // A write while the database is gone: refused with UNAVAILABLE (the first may be the one that finds out).
    const write = await pollUntil(
      "a write refused with UNAVAILABLE",
      () =>
        outcomeOf(e2e.a.client.request("sessions.patch", { key: "agent:main:during-cut", label: "Lost?" })),
      (outcome) => outcome.startsWith("UNAVAILABLE"),
      CUT_MS,
    );
    expect(write).toMatch(/^UNAVAILABLE/);
    const chat = await outcomeOf(
      e2e.b.client.request("chat.send", {
        sessionKey: "agent:main:during-cut",
        message: "hello?",
        idempotencyKey: "cut-1",
      }),
    );
    expect(chat, "chat.send while the database is cut").toMatch(/^UNAVAILABLE/);
    // The control plane answers on every instance, and each finds out (a failed call or heartbeat) that the store
    // is gone while it still is.
    for (const instance of e2e.cluster.instances) {
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
    for (const instance of e2e.cluster.instances) {
      const health = await pollUntil(
        `health on ${instance.name} back to storage ok with all three members`,
        () => instance.client.request("health", { cluster: true }),
        (seen) => seen.cluster?.storage === "ok" && aliveMembers(seen).join() === allIds().join(),
      );
      expect(health.cluster?.storage).toBe("ok");
      expect(instance.running).toBe(true);
    }
    await e2e.a.client.request("sessions.patch", { key: "agent:main:after-cut", label: "Back" });
    // A chat turn works again, and its events still cross instances (the listeners reconnected).
    const onA = recordEvents(e2e.a.client);
    try {
      const sent = await e2e.b.client.request("chat.send", {
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
