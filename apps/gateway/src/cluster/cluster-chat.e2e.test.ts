import { GatewayClient } from "@openclaw/client";
import { lastUserText } from "@openclaw/testing";
import { describe, expect, it } from "vitest";
import { pollUntil } from "../e2e-wait-support.js";
import { aliveMembers, messageText, transcript } from "./cluster-assertions.js";
import { recordEvents } from "./cluster-event-log.js";
import { answerToLastMessage, useCluster } from "./cluster-harness.js";

// Three gateway processes on one PostgreSQL schema behave as one gateway: a client on one instance sees the work
// of another, one session runs one turn at a time cluster-wide, and an approval asked on one is answered on another.
const e2e = useCluster({ purpose: "chat", size: 3, reply: answerToLastMessage });

const chatEvent = (runId: string, state: string) => (event: { event: string; payload: unknown }) =>
  event.event === "chat" &&
  (event.payload as { runId?: string }).runId === runId &&
  (event.payload as { state?: string }).state === state;

describe("a cluster of three gateways on PostgreSQL", () => {
  it("lists every instance in health and status", async () => {
    const ids = e2e.cluster.instances.map((instance) => instance.instanceId).sort();
    for (const instance of e2e.cluster.instances) {
      const health = await pollUntil(
        `health on ${instance.name} listing all three instances alive`,
        () => instance.client.request("health", { cluster: true }),
        (seen) => aliveMembers(seen).join() === ids.join(),
      );
      expect(health.cluster).toMatchObject({ instanceId: instance.instanceId, storage: "ok" });
      expect(health.cluster?.instances.find((member) => member.self)?.instanceId).toBe(instance.instanceId);
      expect(health.cluster?.instances.find((member) => member.self)?.address).toContain(
        String(instance.port),
      );
      const status = await instance.client.request("status", {});
      expect(aliveMembers(status), JSON.stringify(status.cluster)).toEqual(ids);
    }
  });

  it("streams a chat run executed on B to a client connected to A", async () => {
    const onA = recordEvents(e2e.a.client);
    try {
      const sessionKey = "agent:main:cross-instance";
      const sent = await e2e.b.client.request("chat.send", {
        sessionKey,
        message: "streamed across",
        idempotencyKey: "cross-instance-1",
      });
      const final = await onA.waitFor(
        "the final chat event of B's run, on A",
        chatEvent(sent.runId, "final"),
      );
      expect(messageText((final.payload as { message?: unknown }).message)).toBe("answer to streamed across");
      const ofRun = onA.events.filter(
        (event) => event.event === "chat" && (event.payload as { runId?: string }).runId === sent.runId,
      );
      const states = ofRun.map((event) => (event.payload as { state: string }).state);
      expect(states.at(-1)).toBe("final");
      expect(states.slice(0, -1).length, "A saw no delta of B's run").toBeGreaterThan(0);
      expect(new Set(states.slice(0, -1))).toEqual(new Set(["delta"]));
      const seqs = ofRun.map((event) => (event.payload as { seq: number }).seq);
      expect(seqs, "A's chat events of B's run are in order").toEqual([...seqs].sort((x, y) => x - y));
      expect(
        e2e.model.requests.filter((request) => lastUserText(request) === "streamed across"),
      ).toHaveLength(1);
      // The run's `agent` stream (lifecycle, assistant text) crossed too.
      const agentOfRun = onA.events.filter(
        (event) => event.event === "agent" && (event.payload as { runId?: string }).runId === sent.runId,
      );
      expect(agentOfRun.map((event) => (event.payload as { stream?: string }).stream)).toContain("lifecycle");
    } finally {
      onA.stop();
    }
  });

  it("tells a client on A that subscribed to session changes about a run on B starting and ending", async () => {
    const onA = recordEvents(e2e.a.client);
    try {
      await e2e.a.client.request("sessions.subscribe", {});
      const sent = await e2e.b.client.request("chat.send", {
        sessionKey: "agent:main:watched-from-a",
        message: "watched",
        idempotencyKey: "watched-1",
      });
      const changed = (phase: string) => (event: { event: string; payload: unknown }) =>
        event.event === "sessions.changed" &&
        (event.payload as { runId?: string }).runId === sent.runId &&
        (event.payload as { phase?: string }).phase === phase;
      await onA.waitFor("sessions.changed (start) of B's run, on A", changed("start"));
      await onA.waitFor("sessions.changed (end) of B's run, on A", changed("end"));
    } finally {
      onA.stop();
    }
  });

  it("runs two messages for one session sent to two instances one after the other, in order", async () => {
    const sessionKey = "agent:main:one-lane";
    e2e.model.setDefaultReply((request) => {
      const text = lastUserText(request);
      // The first answer takes a while, so the second message arrives (at B) while it still runs (at A).
      return text === "first"
        ? { chunks: ["first ", "answer"], chunkDelayMs: 750 }
        : { text: `answer to ${text}` };
    });
    const onA = recordEvents(e2e.a.client);
    try {
      const first = await e2e.a.client.request("chat.send", {
        sessionKey,
        message: "first",
        idempotencyKey: "lane-1",
      });
      await pollUntil(
        "the first turn reaching the model",
        () => e2e.model.requests.some((request) => lastUserText(request) === "first"),
        Boolean,
      );
      const second = await e2e.b.client.request("chat.send", {
        sessionKey,
        message: "second",
        idempotencyKey: "lane-2",
      });
      await onA.waitFor("the first run's final", chatEvent(first.runId, "final"));
      await onA.waitFor("the second run's final", chatEvent(second.runId, "final"));
      const firstRequest = e2e.model.requests.find((request) => lastUserText(request) === "first");
      const secondRequest = e2e.model.requests.find((request) => lastUserText(request) === "second");
      // The second turn reached the model only after the first answer had streamed (two chunks 750 ms apart)...
      expect((secondRequest?.receivedAt ?? 0) - (firstRequest?.receivedAt ?? 0)).toBeGreaterThanOrEqual(
        1_400,
      );
      // ...and saw it in its history.
      expect(JSON.stringify(secondRequest?.body.messages)).toContain("first answer");
      // As on a single gateway, a queued message's user line is written when it is accepted (durably, before the
      // ack) and the answers follow in run order. Joined, so a failure prints the whole transcript.
      expect((await transcript(e2e.b.client, sessionKey)).join(" | ")).toBe(
        "user: first | user: second | assistant: first answer | assistant: answer to second",
      );
    } finally {
      onA.stop();
      e2e.model.setDefaultReply(answerToLastMessage);
    }
  });

  it("returns B's decision to an approval requested through A", async () => {
    const onA = recordEvents(e2e.a.client);
    const onB = recordEvents(e2e.b.client);
    try {
      const id = "cluster-approval-1";
      const asked = e2e.a.client.request(
        "exec.approval.request",
        { id, command: "ls -la /tmp", cwd: "/tmp", timeoutMs: 60_000 },
        { timeoutMs: 90_000 },
      );
      asked.catch(() => undefined); // awaited below; a failure before that must not surface as unhandled
      await onB.waitFor(
        "exec.approval.requested on B",
        (event) => event.event === "exec.approval.requested" && (event.payload as { id?: string }).id === id,
      );
      const pending = await e2e.b.client.request("exec.approval.list", {});
      expect(pending.map((entry) => entry.id)).toContain(id);
      const resolved = await e2e.b.client.request("exec.approval.resolve", { id, decision: "allow-once" });
      expect(resolved).toMatchObject({ ok: true, id, decision: "allow-once" });
      expect(await asked).toMatchObject({ id, decision: "allow-once", reason: "operator" });
      await onA.waitFor(
        "exec.approval.resolved on A",
        (event) => event.event === "exec.approval.resolved" && (event.payload as { id?: string }).id === id,
      );
    } finally {
      onA.stop();
      onB.stop();
    }
  });
  it("applies a config change made through A on B and C", async () => {
    const { hash } = await e2e.a.client.request("config.get", {});
    const origins = ["https://e2e.cluster.example"];
    await e2e.a.client.request("config.patch", {
      raw: JSON.stringify({ gateway: { controlUi: { allowedOrigins: origins } } }),
      baseHash: hash,
    });
    for (const instance of e2e.cluster.instances.slice(1)) {
      await pollUntil(
        `config.get on ${instance.name} showing the origins patched through A`,
        () => instance.client.request("config.get", {}),
        (seen) =>
          JSON.stringify(
            (seen.config.gateway as { controlUi?: { allowedOrigins?: string[] } } | undefined)?.controlUi
              ?.allowedOrigins,
          ) === JSON.stringify(origins),
      );
    }
  });
  it("answers a chat.send retried through B with the run A started for it", async () => {
    const params = {
      sessionKey: "agent:main:retried",
      message: "only once",
      idempotencyKey: "retry-across-1",
    };
    const onA = recordEvents(e2e.a.client);
    try {
      const first = await e2e.a.client.request("chat.send", params);
      await onA.waitFor("the final of the first send", chatEvent(first.runId, "final"));
      const retried = await e2e.b.client.request("chat.send", params);
      expect(retried).toMatchObject({ runId: first.runId, deduped: true });
      expect(e2e.model.requests.filter((request) => lastUserText(request) === "only once")).toHaveLength(1);
    } finally {
      onA.stop();
    }
  });
  it("lists a client connected to B in A's presence while it is connected", async () => {
    const probe = new GatewayClient({
      url: e2e.b.url,
      token: e2e.cluster.token,
      client: { id: "gateway-client", instanceId: "presence-probe-on-b" },
    });
    await probe.connect();
    const onProbe = (entries: Array<{ instanceId?: string }>) =>
      entries.some((entry) => entry.instanceId === "presence-probe-on-b");
    try {
      await pollUntil(
        "A's system-presence listing the client on B",
        () => e2e.a.client.request("system-presence", {}),
        onProbe,
      );
    } finally {
      await probe.close();
    }
    await pollUntil(
      "A's system-presence dropping the client that left B",
      () => e2e.a.client.request("system-presence", {}),
      (entries) => !onProbe(entries),
    );
  });
});
