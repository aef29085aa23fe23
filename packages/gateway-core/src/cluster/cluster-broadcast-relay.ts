import type { ClusterCoordinator } from "@openclaw/sessions";
import { z } from "zod";
import type { Logger } from "../logging/logger.js";
import type { BroadcastHub } from "../runtime/broadcast-hub.js";
import type { ClusterPeers } from "./cluster-peers.js";
import { publishOrLog } from "./cluster-publish.js";

export const BROADCAST_TOPIC = "gateway.broadcast";

/**
 * Broadcasts every instance sends for itself, never relayed:
 * - `tick`: each instance keeps its own connections alive; a relayed tick would double their rate.
 * - `health`: a snapshot of the sending instance's channels and sessions; relayed, clients would flip between
 *   instances' views. Cluster-wide health is built by asking the store, not by relaying snapshots.
 * - `presence`: each instance's list is partial; lists travel on `gateway.presence` and every instance broadcasts the
 *   merged list itself (see cluster-presence.ts).
 * - `shutdown`, `connect.challenge`: about the sending instance or one connection.
 * - `node.invoke.*`: addressed to one connection (node commands and their progress), sent with `sendTo`.
 * `sessions.changed` and `session.message` go to subscribed connections only (`sendTo`); their underlying facts
 * travel on their own topics (cluster-session-facts.ts).
 */
export const LOCAL_ONLY_EVENTS: ReadonlySet<string> = new Set([
  "tick",
  "health",
  "presence",
  "shutdown",
  "connect.challenge",
  "node.invoke.request",
  "node.invoke.cancel",
  "node.invoke.progress",
]);

const RelayedBroadcastSchema = z.object({
  event: z.string().min(1).max(200),
  payload: z.unknown(),
  scope: z.string().min(1).max(200).optional(),
});

export interface ClusterBroadcastHub extends BroadcastHub {
  /** Stops receiving the other instances' events. */
  close(): void;
}

/**
 * Makes a hub cluster-wide: `broadcast` delivers to this instance's connections and publishes the event on
 * `gateway.broadcast`; events the other instances publish are delivered to this instance's connections only, never
 * published again (the port never hands an instance its own messages, so nothing echoes). One publisher's events
 * arrive in the order it sent them, so a session's `chat`/`agent` stream (one run lives on one instance) stays in
 * order. `sendTo` names this instance's connections and stays local.
 *
 * Without a cluster the hub is returned as it is; with `peers`, nothing is published while no other instance is
 * there to receive it (see cluster-peers.ts).
 */
export function createClusterBroadcastRelay(o: {
  hub: BroadcastHub;
  cluster?: ClusterCoordinator;
  peers?: Pick<ClusterPeers, "present">;
  logger: Logger;
}): ClusterBroadcastHub {
  const { hub, cluster } = o;
  if (!cluster) return { ...hub, close() {} };
  const logger = o.logger.child({ component: "cluster-broadcast" });
  const unsubscribe = cluster.subscribe(BROADCAST_TOPIC, (raw, origin) => {
    const message = RelayedBroadcastSchema.safeParse(raw);
    if (!message.success) {
      logger.warn("event from another gateway instance ignored: not in the expected shape", {
        origin,
        error: message.error.issues[0]?.message,
      });
      return;
    }
    const { event, payload, scope } = message.data;
    // A peer running other code may relay what this one keeps local; its clients are not ours.
    if (LOCAL_ONLY_EVENTS.has(event)) return;
    hub.broadcast(event, payload, scope);
  });
  return {
    broadcast(event, payload, requiredScope) {
      hub.broadcast(event, payload, requiredScope);
      if (LOCAL_ONLY_EVENTS.has(event) || o.peers?.present === false) return;
      publishOrLog(
        cluster,
        BROADCAST_TOPIC,
        requiredScope === undefined ? { event, payload } : { event, payload, scope: requiredScope },
        logger,
        { event },
      );
    },
    sendTo: hub.sendTo,
    connectionCount: hub.connectionCount,
    close: unsubscribe,
  };
}
