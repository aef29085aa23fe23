import type { ClusterCoordinator } from "@openclaw/sessions";
import { z } from "zod";
import type { Logger } from "../logging/logger.js";
import { createInstanceSnapshotMirror } from "./instance-snapshot-mirror.js";

export const PEERS_TOPIC = "gateway.peers";

/** Whether another gateway instance shares the store right now. */
export interface ClusterPeers {
  readonly present: boolean;
  close(): void;
}

/**
 * Tells the broadcast relay and the session facts whether anyone would receive what they publish: a gateway alone on
 * PostgreSQL otherwise sends every chat delta and transcript line as a NOTIFY (a round trip each, several per chat
 * turn, one of them waited for by the run's lease release) that only comes back to itself.
 *
 * Built on an empty per-instance list (see instance-snapshot-mirror.ts) rather than `members()`, whose view is
 * refreshed every few seconds: a newcomer says hello when its event fanout is created, before it listens for
 * clients, and every instance answers, so both sides know within one NOTIFY (milliseconds), before the newcomer can
 * have a subscriber that would miss an event. The side that errs publishes: a peer that dies without its goodbye
 * counts until its list goes stale (30 s). An instance whose listener was down when the hello came (a store outage)
 * learns of the newcomer from its next heartbeat (10 s) or from the hello sent when the store is back; its events
 * in between reach only its own clients, as during the outage itself.
 */
export function watchClusterPeers(o: { cluster: ClusterCoordinator; logger: Logger }): ClusterPeers {
  const mirror = createInstanceSnapshotMirror({
    cluster: o.cluster,
    topic: PEERS_TOPIC,
    local: () => [],
    item: z.never(),
    maxItems: 0,
    logger: o.logger,
  });
  return {
    get present() {
      return mirror.remoteByInstance().size > 0;
    },
    close: () => mirror.close(),
  };
}
