import type { ClusterCoordinator, SessionStorage } from "@openclaw/sessions";
import { type ClusterConfigSync, startClusterConfigSync } from "../cluster/cluster-config-sync.js";
import type { ConfigPaths } from "../config/index.js";
import type { Logger } from "../logging/logger.js";
import { DeviceRegistry } from "../nodes/device-registry.js";
import { openTableDeviceStore } from "../nodes/device-table-store.js";
import type { GatewayConfigState } from "./config-state.js";

/** Shared state beyond the small tables: paired devices, and (in a cluster) config written through any instance. */
export interface ClusterState {
  devices: DeviceRegistry;
  /** Calls `disconnect` for a node whose token another instance rotated or revoked. */
  onNodeTokensInvalidated(disconnect: (deviceId: string, reason: string) => void): void;
  /** Stops following the other instances and waits until every device change is durable. */
  close(): Promise<void>;
}

/**
 * Paired devices live in the storage's `devices.paired` table when there is a storage (the JSON file otherwise);
 * with a cluster, a change on one instance reaches the others, and so does a config written through the API.
 */
export async function openClusterState(o: {
  storage: SessionStorage | undefined;
  cluster: ClusterCoordinator | undefined;
  configState: GatewayConfigState;
  paths: ConfigPaths;
  logger: Logger;
}): Promise<ClusterState> {
  const { storage, cluster, paths } = o;
  const logger = o.logger.child({ component: "devices" });
  const devices = new DeviceRegistry({
    stateDir: paths.stateDir,
    ...(storage ? { store: await openTableDeviceStore({ storage, stateDir: paths.stateDir, logger }) } : {}),
    ...(cluster ? { cluster, logger } : {}),
  });
  let configSync: ClusterConfigSync | undefined;
  if (cluster && storage) {
    configSync = await startClusterConfigSync({
      configState: o.configState,
      storage,
      cluster,
      logger: o.logger.child({ component: "config-sync" }),
    });
  }
  return {
    devices,
    onNodeTokensInvalidated(disconnect) {
      devices.onTokensInvalidated(({ deviceId, role, reason, origin }) => {
        // Operator connections are closed by the registry itself; a node's session is the node registry's.
        if (origin === "remote" && role !== "operator") disconnect(deviceId, reason);
      });
    },
    async close() {
      await configSync?.settled();
      configSync?.stop();
      devices.close();
      await devices.flush();
    },
  };
}
