import { type PresenceEntry, PresenceEntrySchema } from "@openclaw/protocol";
import type { ClusterCoordinator } from "@openclaw/sessions";
import type { Logger } from "../logging/logger.js";
import { PresenceRegistry } from "../runtime/presence-registry.js";
import { createInstanceSnapshotMirror, type InstanceSnapshotMirror } from "./instance-snapshot-mirror.js";

export const PRESENCE_TOPIC = "gateway.presence";
/** Connections of one instance a presence message carries at most (a gateway has a handful of clients). */
export const PRESENCE_MAX_ENTRIES_PER_INSTANCE = 2000;

export interface ClusterPresenceOptions {
  cluster?: ClusterCoordinator;
  logger: Logger;
  /**
   * Called when another instance's clients changed: schedule the `presence` broadcast to this instance's clients
   * (the composition root's `presenceBroadcast.schedule()`), which sends the merged list.
   */
  onRemoteChange?: () => void;
  heartbeatMs?: number;
  staleMs?: number;
  now?: () => number;
}

/**
 * Who is connected to any instance of the cluster. Local connections are kept as before (the transport upserts and
 * removes them); `list()` adds the fresh lists of the other instances, so the `presence` broadcast, `system-presence`
 * and the hello-ok snapshot all show every client. `version` (the frames' `stateVersion.presence`) moves on local
 * and remote changes alike.
 */
export class ClusterPresenceRegistry extends PresenceRegistry {
  readonly #mirror: InstanceSnapshotMirror<PresenceEntry>;

  constructor(o: ClusterPresenceOptions & { cluster: ClusterCoordinator }) {
    super();
    this.#mirror = createInstanceSnapshotMirror({
      cluster: o.cluster,
      topic: PRESENCE_TOPIC,
      local: () => super.list(),
      item: PresenceEntrySchema,
      maxItems: PRESENCE_MAX_ENTRIES_PER_INSTANCE,
      logger: o.logger,
      ...(o.onRemoteChange ? { onRemoteChange: o.onRemoteChange } : {}),
      ...(o.heartbeatMs === undefined ? {} : { heartbeatMs: o.heartbeatMs }),
      ...(o.staleMs === undefined ? {} : { staleMs: o.staleMs }),
      ...(o.now ? { now: o.now } : {}),
    });
  }

  override get version(): number {
    return super.version + this.#mirror.version;
  }

  override upsert(connId: string, entry: PresenceEntry): void {
    super.upsert(connId, entry);
    this.#mirror.localChanged();
  }

  override remove(connId: string): boolean {
    const removed = super.remove(connId);
    if (removed) this.#mirror.localChanged();
    return removed;
  }

  /** This instance's connections only. */
  localList(): PresenceEntry[] {
    return super.list();
  }

  /** Every instance's connections: this one's first, then the others' by instance. */
  override list(): PresenceEntry[] {
    return [...super.list(), ...this.#mirror.remote()];
  }

  /** Says goodbye to the other instances (they drop this one's clients at once). */
  close(): void {
    this.#mirror.close();
  }
}

/**
 * The presence registry for this gateway: without a cluster the plain one (behaviour unchanged), with one the
 * cluster-wide one. Both have `close()` (a no-op for the plain one).
 */
export function createPresenceRegistry(o: ClusterPresenceOptions): PresenceRegistry & { close(): void } {
  if (!o.cluster) return Object.assign(new PresenceRegistry(), { close() {} });
  return new ClusterPresenceRegistry({ ...o, cluster: o.cluster });
}
