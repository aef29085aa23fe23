import type { ClusterCoordinator, SessionStorage } from "@openclaw/sessions";
import { createExecAllowlist, type ExecAllowlist } from "../approvals/exec-allowlist.js";
import { openTableExecAllowlist } from "../approvals/exec-allowlist-table.js";
import { createPairingStore, type PairingStore } from "../channels/index.js";
import { openTablePairingStore, type TablePairingStore } from "../channels/pairing-table-store.js";
import { syncTablesAcrossCluster } from "../cluster/cluster-table-sync.js";
import { type CronJobStore, createStorageCronStore } from "../cron/index.js";
import type { Logger } from "../logging/logger.js";
import { clusterNodePairingStore } from "../nodes/node-pairing-cluster-sync.js";
import { createNodePairingStore, type NodePairingStore } from "../nodes/node-pairing-store.js";
import { openTableNodePairingStore } from "../nodes/node-pairing-table-store.js";
import { importOpenClawSqliteState } from "../state/openclaw-sqlite-import.js";
import { importLegacyTelegramOffsets } from "../state/openclaw-telegram-offset-import.js";
import { importFlatWhatsAppAuth } from "../state/openclaw-whatsapp-auth-import.js";

/** The gateway's small durable state besides sessions: DM pairing, node pairing, the exec allowlist, cron. */
export interface StateStores {
  pairing: PairingStore;
  nodePairing: NodePairingStore;
  execAllowlist: ExecAllowlist;
  /** Cron's store over the storage tables; undefined keeps cron's own file store. */
  cron: CronJobStore | undefined;
  /** Resolves once every change so far is durable (before the storage closes). */
  flush(): Promise<void>;
  /** Stops following the other instances' changes (a cluster's). */
  close(): void;
}

/** Published after a DM pairing request, approval or rejection, so every instance re-reads the tables. */
export const PAIRING_CHANGED_TOPIC = "pairing.changed";

/**
 * With a storage engine, each store keeps its state in the engine's small tables (importing the legacy files once,
 * leaving them in place); with the legacy file layout, the file stores as before.
 */
export async function openStateStores(o: {
  storage: SessionStorage | undefined;
  stateDir: string;
  logger: Logger;
  /** Several gateways on one store: each store's changes are announced, and the others' re-read. */
  cluster?: ClusterCoordinator;
}): Promise<StateStores> {
  const { storage, stateDir } = o;
  // An older OpenClaw's flat WhatsApp login, copied to where the channel reads it (whatever the storage).
  await importFlatWhatsAppAuth({ stateDir, logger: o.logger });
  if (!storage) {
    return {
      pairing: createPairingStore({ stateDir }),
      nodePairing: createNodePairingStore({ stateDir }),
      execAllowlist: createExecAllowlist(stateDir),
      cron: undefined,
      flush: async () => {},
      close: () => {},
    };
  }
  const logger = o.logger.child({ component: "state" });
  // Before the stores load their tables: OpenClaw 2026.9's cron jobs and pairing, if this is its state directory.
  await importOpenClawSqliteState({ storage, stateDir, logger });
  await importLegacyTelegramOffsets(storage, stateDir, (message, fields) => logger.warn(message, fields));
  const tablePairing = await openTablePairingStore({ storage, stateDir, logger });
  const tableNodePairing = await openTableNodePairingStore({ storage, stateDir, logger });
  const execAllowlist = await openTableExecAllowlist({ storage, stateDir, logger });
  const { cluster } = o;
  const clusterPairing = cluster ? clusterPairingStore(tablePairing, cluster, logger) : undefined;
  const clusterNodePairing = cluster
    ? clusterNodePairingStore(tableNodePairing, { cluster, logger })
    : undefined;
  const pairing = clusterPairing ?? tablePairing;
  const nodePairing = clusterNodePairing ?? tableNodePairing;
  return {
    pairing,
    nodePairing,
    execAllowlist,
    cron: createStorageCronStore(storage, { legacyStateDir: stateDir }),
    flush: async () => {
      await Promise.all([pairing.flush(), nodePairing.flush(), execAllowlist.flush()]);
    },
    close: () => {
      clusterPairing?.close();
      clusterNodePairing?.close();
    },
  };
}

/** DM pairing shared by a cluster: a code sent by the instance running the account is approved through any. */
function clusterPairingStore(
  store: TablePairingStore,
  cluster: ClusterCoordinator,
  logger: Logger,
): TablePairingStore & { close(): void } {
  const sync = syncTablesAcrossCluster({
    store,
    cluster,
    topic: PAIRING_CHANGED_TOPIC,
    what: "DM pairing",
    logger,
  });
  const changed = <T>(value: T): T => {
    sync.changed();
    return value;
  };
  return {
    request: (request) => {
      const outcome = store.request(request);
      if (outcome.created) sync.changed();
      return outcome;
    },
    list: (channel) => store.list(channel),
    approve: (channel, code) => changed(store.approve(channel, code)),
    reject: (channel, code) => changed(store.reject(channel, code)),
    isApproved: (channel, accountId, senderId) => store.isApproved(channel, accountId, senderId),
    approvedSenders: (channel) => store.approvedSenders(channel),
    refresh: () => store.refresh(),
    flush: async () => {
      await store.flush();
      await sync.flush();
    },
    close: () => sync.close(),
  };
}
