import type { ClusterCoordinator } from "@openclaw/sessions";
import { syncTablesAcrossCluster } from "../cluster/cluster-table-sync.js";
import type { Logger } from "../logging/logger.js";
import type { NodePairingStore } from "./node-pairing-store.js";
import type { TableNodePairingStore } from "./node-pairing-table-store.js";

/** Published after every change to node pairing (a request, an approval, a rejection, a removal). */
export const NODE_PAIRING_CHANGED_TOPIC = "nodes.pairing.changed";

export interface ClusterNodePairingStore extends NodePairingStore {
  /** Resolves once every change so far is durable and announced, and every re-read finished. */
  flush(): Promise<void>;
  /** Stops listening to the other instances. */
  close(): void;
}

/**
 * The table node pairing store shared by several gateway instances: each change is announced once durable, and
 * every instance re-reads the table when another announces one, so a node that asked for pairing on instance A is
 * approved through instance B and then connects to either.
 */
export function clusterNodePairingStore(
  store: TableNodePairingStore,
  options: { cluster: ClusterCoordinator; logger: Logger },
): ClusterNodePairingStore {
  const sync = syncTablesAcrossCluster({
    store,
    ...options,
    topic: NODE_PAIRING_CHANGED_TOPIC,
    what: "node pairing",
  });
  const changed = <T>(value: T): T => {
    sync.changed();
    return value;
  };
  return {
    path: store.path,
    observeConnect(surface) {
      const outcome = store.observeConnect(surface);
      if (outcome.status === "pending" && outcome.created) sync.changed();
      return outcome;
    },
    list: () => store.list(),
    approve: (requestId) => changed(store.approve(requestId)),
    reject: (requestId) => changed(store.reject(requestId)),
    remove: (nodeId) => {
      const removed = store.remove(nodeId);
      if (removed) sync.changed();
      return removed;
    },
    flush: () => sync.flush(),
    close: () => sync.close(),
  };
}
