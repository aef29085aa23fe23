import type { ClusterCoordinator } from "@openclaw/sessions";
import { z } from "zod";
import { type ClusterTableSync, syncTablesAcrossCluster } from "../cluster/cluster-table-sync.js";
import type { Logger } from "../logging/logger.js";
import type { DeviceRole, DeviceStore } from "./device-store.js";

/** Published after every change to the paired devices; the payload names a token that stopped working, if any. */
export const DEVICES_CHANGED_TOPIC = "devices.changed";

/** A device token that stopped working: rotated, revoked, replaced by a new pairing, or its device removed. */
export interface DeviceTokenInvalidation {
  deviceId: string;
  /** The role whose token stopped working; absent when the device was removed (every role). */
  role?: DeviceRole;
  /** The close reason sent to the connections that held it. */
  reason: string;
  /** Where it happened: this instance, or another one of the cluster. */
  origin: "local" | "remote";
}

const ChangedPayloadSchema = z.object({
  invalidated: z
    .object({
      deviceId: z.string().min(1).max(512),
      role: z.enum(["operator", "node"]).optional(),
      reason: z.string().max(200),
    })
    .optional(),
});

export interface DeviceClusterSyncOptions {
  cluster: ClusterCoordinator;
  store: DeviceStore;
  logger: Logger;
  /** A token stopped working on another instance: close this instance's connections that hold it. */
  onRemoteInvalidation(invalidation: DeviceTokenInvalidation): void;
}

/**
 * Keeps one instance's device registry in step with the others: announces each change once it is durable (an
 * invalidated token also when the write failed), and on another instance's announcement closes the connections of
 * an invalidated token at once (before the re-read, so nothing waits on the store) and re-reads the store.
 */
export class DeviceClusterSync {
  readonly #sync: ClusterTableSync;

  constructor(options: DeviceClusterSyncOptions) {
    this.#sync = syncTablesAcrossCluster({
      store: options.store,
      cluster: options.cluster,
      logger: options.logger,
      topic: DEVICES_CHANGED_TOPIC,
      what: "device",
      // Still announced: the others close the connections of an invalidated token even when this write failed.
      announceUndurable: true,
      onAnnouncement: (payload) => {
        const parsed = ChangedPayloadSchema.safeParse(payload);
        const invalidated = parsed.success ? parsed.data.invalidated : undefined;
        if (invalidated) options.onRemoteInvalidation({ ...invalidated, origin: "remote" });
      },
    });
  }

  /** Publishes the change once the store has it durably, so a receiver's re-read sees it. */
  announce(invalidation?: Omit<DeviceTokenInvalidation, "origin">): void {
    this.#sync.changed(
      invalidation
        ? {
            invalidated: {
              deviceId: invalidation.deviceId,
              reason: invalidation.reason,
              ...(invalidation.role ? { role: invalidation.role } : {}),
            },
          }
        : {},
    );
  }

  /** Resolves once every announcement so far was handed to the cluster, and every re-read finished. */
  flush(): Promise<void> {
    return this.#sync.flush();
  }

  close(): void {
    this.#sync.close();
  }
}
