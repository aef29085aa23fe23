import type { ClusterCoordinator, SessionStore } from "@openclaw/sessions";
import { createClusterBroadcastRelay } from "../cluster/cluster-broadcast-relay.js";
import { watchClusterPeers } from "../cluster/cluster-peers.js";
import { createPresenceRegistry } from "../cluster/cluster-presence.js";
import { type ClusterSessionFacts, createClusterSessionFacts } from "../cluster/cluster-session-facts.js";
import type { Logger } from "../logging/logger.js";
import { type BroadcastHub, type BroadcastTarget, createBroadcastHub } from "./broadcast-hub.js";
import type { PresenceRegistry } from "./presence-registry.js";
import { SessionEventSubscriptions } from "./session-event-subscriptions.js";
import { SessionMessageSubscriptions } from "./session-message-subscriptions.js";

/** How events reach clients: every connection, subscribed ones, and (in a cluster) the other instances' clients. */
export interface EventFanout {
  presence: PresenceRegistry & { close(): void };
  hub: BroadcastHub & { close(): void };
  sessionEvents: SessionEventSubscriptions;
  sessionMessages: SessionMessageSubscriptions;
  /** Transcript lines and run starts/ends, here and on the other instances, for the session subscriptions. */
  sessionFacts: ClusterSessionFacts;
  /** Set once the presence broadcast exists: another instance's clients changed, so the merged list is re-sent. */
  onRemotePresenceChange(listener: () => void): void;
  close(): void;
}

export function createEventFanout(o: {
  targets: ReadonlySet<BroadcastTarget>;
  sessions: SessionStore;
  cluster: ClusterCoordinator | undefined;
  logger: Logger;
}): EventFanout {
  const { cluster, logger } = o;
  // Relayed events and session facts are published only while another instance is there to receive them.
  const peers = cluster
    ? watchClusterPeers({ cluster, logger: logger.child({ component: "cluster-peers" }) })
    : undefined;
  let presenceChangedElsewhere = () => {};
  // Every instance's clients (local ones kept as before; the others' mirrored over the cluster).
  const presence = createPresenceRegistry({
    cluster,
    logger: logger.child({ component: "presence" }),
    onRemoteChange: () => presenceChangedElsewhere(),
  });
  // In a cluster, broadcasts also reach the other instances' clients (and theirs reach ours); sendTo stays local.
  const hub = createClusterBroadcastRelay({
    hub: createBroadcastHub({
      targets: o.targets,
      stateVersion: () => ({ presence: presence.version, health: 0 }),
    }),
    cluster,
    ...(peers ? { peers } : {}),
    logger,
  });
  // Conversation facts: subscribers still need operator.read, as for `chat` events.
  const sessionEvents = new SessionEventSubscriptions((connIds, event, payload) =>
    hub.sendTo(connIds, event, payload, "operator.read"),
  );
  const sessionMessages = new SessionMessageSubscriptions({
    send: (connIds, event, payload) => hub.sendTo(connIds, event, payload, "operator.read"),
    readTranscript: (sessionKey) => o.sessions.readTranscript(sessionKey),
    everySession: () => sessionEvents.connIds,
    logger: logger.child({ component: "session-messages" }),
  });
  const sessionFacts = createClusterSessionFacts({
    cluster,
    ...(peers ? { peers } : {}),
    sessionMessages,
    sessionEvents,
    logger,
  });
  return {
    presence,
    hub,
    sessionEvents,
    sessionMessages,
    sessionFacts,
    onRemotePresenceChange(listener) {
      presenceChangedElsewhere = listener;
    },
    close() {
      sessionFacts.close();
      presence.close();
      hub.close();
      peers?.close();
    },
  };
}
