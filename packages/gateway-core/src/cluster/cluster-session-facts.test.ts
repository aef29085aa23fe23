import type { TranscriptEntry } from "@openclaw/sessions";
import { describe, expect, it } from "vitest";
import { SessionEventSubscriptions } from "../runtime/session-event-subscriptions.js";
import { SessionMessageSubscriptions } from "../runtime/session-message-subscriptions.js";
import {
  localHub,
  RecordingTarget,
  recordingLogger,
  settle,
  useMemoryCluster,
} from "./cluster.test-support.js";
import {
  createClusterSessionFacts,
  RUN_LIFECYCLE_TOPIC,
  TRANSCRIPT_APPEND_TOPIC,
} from "./cluster-session-facts.js";

const openInstance = useMemoryCluster();
const SESSION = "agent:main:main";

/** The shared store's transcripts, as every instance reads them. */
const transcripts = new Map<string, TranscriptEntry[]>();

async function instance(id: string) {
  const { cluster, publishes } = await openInstance(id);
  const { logger } = recordingLogger();
  const client = new RecordingTarget(`${id}-ui`, ["operator.read"]);
  const hub = localHub([client]);
  const sessionEvents = new SessionEventSubscriptions((connIds, event, payload) =>
    hub.sendTo(connIds, event, payload, "operator.read"),
  );
  const sessionMessages = new SessionMessageSubscriptions({
    send: (connIds, event, payload) => hub.sendTo(connIds, event, payload, "operator.read"),
    readTranscript: async (key) => transcripts.get(key) ?? [],
    everySession: () => sessionEvents.connIds,
    logger,
  });
  const facts = createClusterSessionFacts({ cluster, sessionMessages, sessionEvents, logger });
  /** A line written to the shared store by this instance's run. */
  const append = (entry: TranscriptEntry) => {
    transcripts.set(SESSION, [...(transcripts.get(SESSION) ?? []), entry]);
    facts.onTranscriptAppend(SESSION, entry);
  };
  return { cluster, publishes, client, sessionEvents, sessionMessages, facts, append };
}

describe("cluster session facts", () => {
  it("sends session.message to a connection on B for lines a run on A writes, in order", async () => {
    transcripts.clear();
    const a = await instance("a");
    const b = await instance("b");
    b.sessionMessages.subscribe("b-ui", SESSION);
    a.append({ role: "user", text: "hello", ts: 1, runId: "r1" });
    a.append({ role: "assistant", text: "hi there", ts: 2, runId: "r1", usage: { inputTokens: 3 } });
    await settle(a.cluster, b.cluster);
    await expect
      .poll(() => (b.client.named("session.message") as { messageSeq: number }[]).map((m) => m.messageSeq))
      .toEqual([1, 2]);
    // Only what finds the line travels; the store holds the rest.
    const sent = a.publishes
      .filter((each) => each.topic === TRANSCRIPT_APPEND_TOPIC)
      .map((each) => each.payload);
    expect(sent[1]).toEqual({
      sessionKey: SESSION,
      entry: { role: "assistant", text: "hi there", ts: 2, runId: "r1" },
    });
    expect(b.publishes).toEqual([]);
  });

  it("sends sessions.changed to a sessions.subscribe connection on B when a run on A starts and ends", async () => {
    transcripts.clear();
    const a = await instance("a");
    const b = await instance("b");
    b.sessionEvents.subscribe("b-ui");
    const run = { runId: "r1", sessionKey: SESSION };
    a.facts.onRunEvent({ ...run, seq: 0, stream: "lifecycle", ts: 10, data: { phase: "start" } });
    a.facts.onRunEvent({ ...run, seq: 1, stream: "assistant", ts: 11, data: { delta: "hi" } });
    a.facts.onRunEvent({ ...run, seq: 2, stream: "lifecycle", ts: 12, data: { phase: "end" } });
    await settle(a.cluster, b.cluster);

    expect(b.client.named("sessions.changed")).toEqual([
      { sessionKey: SESSION, agentId: "main", phase: "start", runId: "r1", ts: 10 },
      { sessionKey: SESSION, agentId: "main", phase: "end", runId: "r1", ts: 12 },
    ]);
    // Text deltas reach other instances as relayed chat/agent events, not as facts.
    expect(a.publishes.filter((each) => each.topic === RUN_LIFECYCLE_TOPIC)).toHaveLength(2);
    expect(b.publishes).toEqual([]);
  });

  it("only forwards to the local subscriptions without a cluster", async () => {
    const client = new RecordingTarget("solo", ["operator.read"]);
    const hub = localHub([client]);
    const sessionEvents = new SessionEventSubscriptions((connIds, event, payload) =>
      hub.sendTo(connIds, event, payload),
    );
    sessionEvents.subscribe("solo");
    const facts = createClusterSessionFacts({
      sessionMessages: { onTranscriptAppend: () => {} },
      sessionEvents,
      logger: recordingLogger().logger,
    });
    facts.onRunEvent({
      runId: "r",
      sessionKey: SESSION,
      seq: 0,
      stream: "lifecycle",
      ts: 1,
      data: { phase: "start" },
    });
    expect(client.named("sessions.changed")).toHaveLength(1);
  });
});
