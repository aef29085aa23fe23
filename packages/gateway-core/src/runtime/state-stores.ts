import type { SessionStorage } from "@openclaw/sessions";
import { createExecAllowlist, type ExecAllowlist } from "../approvals/exec-allowlist.js";
import { openTableExecAllowlist } from "../approvals/exec-allowlist-table.js";
import { createPairingStore, type PairingStore } from "../channels/index.js";
import { openTablePairingStore } from "../channels/pairing-table-store.js";
import { type CronJobStore, createStorageCronStore } from "../cron/index.js";
import type { Logger } from "../logging/logger.js";
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
}

/**
 * With a storage engine, each store keeps its state in the engine's small tables (importing the legacy files once,
 * leaving them in place); with the legacy file layout, the file stores as before.
 */
export async function openStateStores(o: {
  storage: SessionStorage | undefined;
  stateDir: string;
  logger: Logger;
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
    };
  }
  const logger = o.logger.child({ component: "state" });
  // Before the stores load their tables: OpenClaw 2026.9's cron jobs and pairing, if this is its state directory.
  await importOpenClawSqliteState({ storage, stateDir, logger });
  await importLegacyTelegramOffsets(storage, stateDir, (message, fields) => logger.warn(message, fields));
  const pairing = await openTablePairingStore({ storage, stateDir, logger });
  const nodePairing = await openTableNodePairingStore({ storage, stateDir, logger });
  const execAllowlist = await openTableExecAllowlist({ storage, stateDir, logger });
  return {
    pairing,
    nodePairing,
    execAllowlist,
    cron: createStorageCronStore(storage, { legacyStateDir: stateDir }),
    flush: async () => {
      await Promise.all([pairing.flush(), nodePairing.flush(), execAllowlist.flush()]);
    },
  };
}
