import type { ClusterCoordinator } from "@openclaw/sessions";
import { z } from "zod";
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
 * Keeps one instance's device registry in step with the others: announces each change once it is durable, and on
 * another instance's announcement closes the connections of an invalidated token at once (before the re-read, so
 * nothing waits on the store) and re-reads the store.
 */
export class DeviceClusterSync {
  readonly #options: DeviceClusterSyncOptions;
  readonly #unsubscribe: () => void;
  #announcing: Promise<void> = Promise.resolve();
  #refreshing: Promise<void> = Promise.resolve();

  constructor(options: DeviceClusterSyncOptions) {
    this.#options = options;
    this.#unsubscribe = options.cluster.subscribe(DEVICES_CHANGED_TOPIC, (payload) =>
      this.#received(payload),
    );
  }

  /** Publishes the change once the store has it durably, so a receiver's re-read sees it. */
  announce(invalidation?: Omit<DeviceTokenInvalidation, "origin">): void {
    const { store, cluster, logger } = this.#options;
    const payload = invalidation
      ? {
          invalidated: {
            deviceId: invalidation.deviceId,
            reason: invalidation.reason,
            ...(invalidation.role ? { role: invalidation.role } : {}),
          },
        }
      : {};
    this.#announcing = this.#announcing
      .then(() => store.flush())
      .catch((error: unknown) => {
        // Still announced: the others close the connections of an invalidated token even when this write failed.
        logger.warn("device change not durable in the shared store", { error: (error as Error).message });
      })
      .then(() => cluster.publish(DEVICES_CHANGED_TOPIC, payload))
      .catch((error: unknown) => {
        logger.warn("cannot announce a device change to the other instances", {
          error: (error as Error).message,
        });
      });
  }

  /** Resolves once every announcement so far was handed to the cluster, and every re-read finished. */
  async flush(): Promise<void> {
    await this.#announcing;
    await this.#options.cluster.flush();
    await this.#refreshing;
  }

  close(): void {
    this.#unsubscribe();
  }

  #received(payload: unknown): void {
    const parsed = ChangedPayloadSchema.safeParse(payload);
    const invalidated = parsed.success ? parsed.data.invalidated : undefined;
    if (invalidated) this.#options.onRemoteInvalidation({ ...invalidated, origin: "remote" });
    this.#refreshing = this.#refreshing
      .then(() => this.#options.store.refresh())
      .catch((error: unknown) => {
        this.#options.logger.warn("cannot re-read the paired devices another instance changed", {
          error: (error as Error).message,
        });
      });
  }
}
