import type { ClusterCoordinator } from "@openclaw/sessions";
import type { Logger } from "../logging/logger.js";

/** A store mirrored from storage tables: writes go through in the background, `refresh` re-reads them. */
export interface MirroredTables {
  flush(): Promise<void>;
  refresh(): Promise<void>;
}

export interface ClusterTableSync {
  /** Announces a change once it is durable, so the other instances re-read. */
  changed(): void;
  /** Resolves once every change so far is durable and announced, and every re-read finished. */
  flush(): Promise<void>;
  /** Stops listening to the other instances. */
  close(): void;
}

/**
 * Keeps one store's in-memory mirror in step across instances: each local change is published on `topic` once
 * durable, and a change announced by another instance makes this one re-read the tables (DM pairing approved on B
 * lets the sender through on A, where the channel account runs).
 */
export function syncTablesAcrossCluster(o: {
  store: MirroredTables;
  cluster: ClusterCoordinator;
  topic: string;
  what: string;
  logger: Logger;
}): ClusterTableSync {
  const { store, cluster, topic, logger } = o;
  let announcing: Promise<void> = Promise.resolve();
  let refreshing: Promise<void> = Promise.resolve();
  const unsubscribe = cluster.subscribe(topic, () => {
    refreshing = refreshing
      .then(() => store.refresh())
      .catch((error: unknown) =>
        logger.warn(`cannot re-read the ${o.what} another instance changed`, {
          error: (error as Error).message,
        }),
      );
  });
  return {
    changed() {
      announcing = announcing
        .then(() => store.flush())
        .then(
          () => cluster.publish(topic, {}),
          (error: unknown) =>
            logger.warn(`${o.what} change not durable in the shared store; not announced`, {
              error: (error as Error).message,
            }),
        );
    },
    async flush() {
      await announcing;
      await cluster.flush();
      await refreshing;
    },
    close: unsubscribe,
  };
}
