import type { AgentRunEvent } from "@openclaw/agent";
import { type ClusterCoordinator, TRANSCRIPT_ROLES, type TranscriptEntry } from "@openclaw/sessions";
import { z } from "zod";
import type { Logger } from "../logging/logger.js";
import type { SessionEventSubscriptions } from "../runtime/session-event-subscriptions.js";
import type { SessionMessageSubscriptions } from "../runtime/session-message-subscriptions.js";
import type { ClusterPeers } from "./cluster-peers.js";
import { publishOrLog } from "./cluster-publish.js";

export const TRANSCRIPT_APPEND_TOPIC = "gateway.session.transcript";
export const RUN_LIFECYCLE_TOPIC = "gateway.session.run";

const sessionKey = z.string().min(1).max(512);

/**
 * What identifies a transcript line: `session.message` re-reads the line from the shared store and finds it by
 * these fields, so the rest of the entry (tool payloads, usage) need not travel.
 */
const TranscriptAppendSchema = z.object({
  sessionKey,
  entry: z.object({
    role: z.enum(TRANSCRIPT_ROLES),
    text: z.string(),
    ts: z.number(),
    runId: z.string().max(200).optional(),
  }),
});

/** Only a run's start and end become `sessions.changed`; the other run streams go out as relayed `chat`/`agent`. */
const RunLifecycleSchema = z.object({
  sessionKey,
  runId: z.string().min(1).max(200),
  seq: z.int().min(0),
  ts: z.number(),
  phase: z.enum(["start", "end"]),
});

export interface ClusterSessionFacts {
  /** A transcript line became durable here: tells this instance's followers and the other instances'. */
  onTranscriptAppend(sessionKey: string, entry: TranscriptEntry): void;
  /** A run event here: this instance's `sessions.subscribe` connections and the other instances' hear of it. */
  onRunEvent(event: AgentRunEvent): void;
  close(): void;
}

/**
 * The facts behind the per-session subscriptions (`sessions.messages.subscribe` -> `session.message`,
 * `sessions.subscribe` -> `sessions.changed`), relayed so a connection on one instance follows runs on another.
 * Facts, not events: each instance turns them into events for its own subscribers, as for local work. Received facts
 * are never published again. Without a cluster it only forwards to the local subscriptions; with `peers`, facts are
 * not published while no other instance is there to receive them (see cluster-peers.ts).
 */
export function createClusterSessionFacts(o: {
  cluster?: ClusterCoordinator;
  peers?: Pick<ClusterPeers, "present">;
  sessionMessages: Pick<SessionMessageSubscriptions, "onTranscriptAppend">;
  sessionEvents: Pick<SessionEventSubscriptions, "onRunEvent">;
  logger: Logger;
}): ClusterSessionFacts {
  const { cluster, sessionMessages, sessionEvents } = o;
  if (!cluster) {
    return {
      onTranscriptAppend: (key, entry) => sessionMessages.onTranscriptAppend(key, entry),
      onRunEvent: (event) => sessionEvents.onRunEvent(event),
      close() {},
    };
  }
  const logger = o.logger.child({ component: "cluster-session-facts" });
  const ignored = (origin: string, error: z.ZodError) =>
    logger.warn("session fact from another gateway instance ignored: not in the expected shape", {
      origin,
      error: error.issues[0]?.message,
    });
  const unsubscribes = [
    cluster.subscribe(TRANSCRIPT_APPEND_TOPIC, (raw, origin) => {
      const fact = TranscriptAppendSchema.safeParse(raw);
      if (!fact.success) return ignored(origin, fact.error);
      sessionMessages.onTranscriptAppend(fact.data.sessionKey, fact.data.entry as TranscriptEntry);
    }),
    cluster.subscribe(RUN_LIFECYCLE_TOPIC, (raw, origin) => {
      const fact = RunLifecycleSchema.safeParse(raw);
      if (!fact.success) return ignored(origin, fact.error);
      const { sessionKey: key, runId, seq, ts, phase } = fact.data;
      sessionEvents.onRunEvent({ sessionKey: key, runId, seq, ts, stream: "lifecycle", data: { phase } });
    }),
  ];
  return {
    onTranscriptAppend(key, entry) {
      sessionMessages.onTranscriptAppend(key, entry);
      if (o.peers?.present === false) return;
      const identity = {
        role: entry.role,
        text: entry.text,
        ts: entry.ts,
        ...(typeof entry.runId === "string" ? { runId: entry.runId } : {}),
      };
      publishOrLog(cluster, TRANSCRIPT_APPEND_TOPIC, { sessionKey: key, entry: identity }, logger, {
        sessionKey: key,
      });
    },
    onRunEvent(event) {
      sessionEvents.onRunEvent(event);
      if (event.stream !== "lifecycle") return;
      const phase = event.data.phase;
      if ((phase !== "start" && phase !== "end") || o.peers?.present === false) return;
      publishOrLog(
        cluster,
        RUN_LIFECYCLE_TOPIC,
        { sessionKey: event.sessionKey, runId: event.runId, seq: event.seq, ts: event.ts, phase },
        logger,
        { sessionKey: event.sessionKey },
      );
    },
    close() {
      for (const unsubscribe of unsubscribes) unsubscribe();
    },
  };
}
