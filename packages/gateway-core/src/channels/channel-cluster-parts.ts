import type { ClusterCoordinator } from "@openclaw/sessions";
import type { Logger } from "../logging/logger.js";
import type { StateTables } from "../state/table-mirror.js";
import { ClusterAccountOwnership } from "./channel-account-leases.js";
import type { OutboundSendRequest, OutboundSendResult } from "./channel-outbound.js";
import { ChannelSendForwarding } from "./channel-send-forwarding.js";
import { InboundJournal, type JournalAccept } from "./inbound-journal.js";

/** What the channel layer adds in a cluster: account leases, the inbound journal, sends through the owner. */
export interface ChannelClusterParts {
  cluster: ClusterCoordinator;
  ownership: ClusterAccountOwnership;
  /** Absent without a journal store. */
  journal: InboundJournal | undefined;
  forwarding: ChannelSendForwarding;
}

export function createChannelClusterParts(o: {
  cluster: ClusterCoordinator;
  clusterStorage: StateTables | undefined;
  leaseTtlMs: number | undefined;
  leaseRetryMs: number | undefined;
  logger: Logger;
  now: () => number;
  /** The router's accept, for messages the journal recorded or replays. */
  accept: JournalAccept;
  /** Sends with this instance's adapter: what the owner does for a standby's forwarded send. */
  sendHere: (request: OutboundSendRequest) => Promise<OutboundSendResult>;
}): ChannelClusterParts {
  const { cluster, logger } = o;
  return {
    cluster,
    ownership: new ClusterAccountOwnership({
      cluster,
      logger,
      ...(o.leaseTtlMs === undefined ? {} : { ttlMs: o.leaseTtlMs }),
      ...(o.leaseRetryMs === undefined ? {} : { retryMs: o.leaseRetryMs }),
    }),
    journal: o.clusterStorage
      ? new InboundJournal({
          storage: o.clusterStorage,
          instanceId: cluster.instanceId,
          accept: o.accept,
          now: o.now,
        })
      : undefined,
    forwarding: new ChannelSendForwarding({ cluster, sendHere: o.sendHere, logger }),
  };
}
