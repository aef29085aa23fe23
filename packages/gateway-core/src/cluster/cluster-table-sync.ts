import type { ClusterCoordinator } from "@openclaw/sessions";
import type { Logger } from "../logging/logger.js";

/** A store mirrored from storage tables: writes go through in the background, `refresh` re-reads them. */
export interface MirroredTables {
  flush(): Promise<void>;
  refresh(): Promise<void>;
}

export interface ClusterTableSync {
  /** Announces a change (with `payload`, default `{}`) once it is durable, so the other instances re-read. */
  changed(payload?: unknown): void;
  /** Resolves once every change so far is durable and announced, and every re-read finished. */
  flush(): Promise<void>;
  /** Stops listening to the other instances. */
  close(): void;
}

export interface ClusterTableSyncOptions {
  store: MirroredTables;
  cluster: ClusterCoordinator;
  topic: string;
  /** What changed, for the logs: "DM pairing", "node pairing", "device". */
  what: string;
  logger: Logger;
  /**
   * Announce a change even when it could not be made durable: for a payload the others act on by itself (close the
   * connections of a revoked token), not only by re-reading. Default false: an undurable change is not announced.
   */
  announceUndurable?: boolean;
  /** Another instance's announcement, handled before the re-read it starts (so nothing waits on the store). */
  onAnnouncement?(payload: unknown): void;
}

/**
 * Keeps one store's in-memory mirror in step across instances: each local change is published on `topic` once
 * durable, and a change announced by another instance makes this one re-read the tables (DM pairing approved on B
 * lets the sender through on A, where the channel account runs).
 */
export function syncTablesAcrossCluster(o: ClusterTableSyncOptions): ClusterTableSync {
  const { store, cluster, topic, what, logger } = o;
  let announcing: Promise<void> = Promise.resolve();
  let refreshing: Promise<void> = Promise.resolve();
  const warn = (message: string, error: unknown) => logger.warn(message, { error: (error as Error).message });
  const announce = async (payload: unknown) => {
    try {
      await store.flush();
    } catch (error) {
      if (!o.announceUndurable)
        return warn(`${what} change not durable in the shared store; not announced`, error);
      warn(`${what} change not durable in the shared store`, error);
    }
    try {
      cluster.publish(topic, payload);
    } catch (error) {
      warn(`cannot announce a ${what} change to the other instances`, error);
    }
  };
  const unsubscribe = cluster.subscribe(topic, (payload) => {
    o.onAnnouncement?.(payload);
    refreshing = refreshing
      .then(() => store.refresh())
      .catch((error: unknown) => warn(`cannot re-read the ${what} another instance changed`, error));
  });
  return {
    changed(payload: unknown = {}) {
      announcing = announcing.then(() => announce(payload));
    },
    async flush() {
      await announcing;
      await cluster.flush();
      await refreshing;
    },
    close: unsubscribe,
  };
}
