import type { ClusterCoordinator } from "@openclaw/sessions";
import { z } from "zod";
import type { Logger } from "../logging/logger.js";
import { publishOrLog } from "./cluster-publish.js";

/** How often an instance re-sends its list although nothing changed: the others' proof that it is still there. */
export const SNAPSHOT_HEARTBEAT_MS = 10_000;
/** A list not re-sent for this long is dropped: its instance died without saying goodbye (kill -9, cut network). */
export const SNAPSHOT_STALE_MS = 30_000;

export interface InstanceSnapshotMirrorOptions<T> {
  cluster: ClusterCoordinator;
  /** One topic per kind of list, e.g. `gateway.presence`. */
  topic: string;
  /** This instance's current list. */
  local: () => T[];
  /** Parses one item of another instance's list (they cross a process boundary). */
  item: z.ZodType<T>;
  /** Items of one list at most; more are cut (and logged) on sending and refused on receiving. */
  maxItems: number;
  logger: Logger;
  /** Called when what the other instances hold changed (a list changed, arrived, left or went stale). */
  onRemoteChange?: () => void;
  heartbeatMs?: number;
  staleMs?: number;
  now?: () => number;
}

export interface InstanceSnapshotMirror<T> {
  /** The items of every other instance whose list is fresh, grouped by instance id in arrival order. */
  remote(): T[];
  /** The fresh lists by instance id. */
  remoteByInstance(): ReadonlyMap<string, readonly T[]>;
  /** Sends this instance's list soon; calls within one tick become one message. */
  localChanged(): void;
  /** Sends this instance's list now (before whatever the caller publishes next, since the port keeps order). */
  publishNow(): void;
  /** Bumped whenever `remote()` may have changed. */
  readonly version: number;
  /** Says goodbye (an empty list marked `leaving`) so the others drop this instance at once, and stops. */
  close(): void;
}

interface RemoteList<T> {
  items: T[];
  /** The list as it arrived, to tell a heartbeat (same list) from a change. */
  fingerprint: string;
  /** Local clock: freshness is measured on the receiver, so clock skew between hosts cannot expire a list. */
  receivedAt: number;
}

/**
 * Each instance's list of something only it knows (its connections, its pending approvals), mirrored on every
 * other instance: sent on change and every `heartbeatMs`, dropped after `staleMs` without news or on goodbye.
 * A new instance says hello; everyone answers with their list, so it knows the cluster at once rather than after a
 * heartbeat.
 */
export function createInstanceSnapshotMirror<T>(
  o: InstanceSnapshotMirrorOptions<T>,
): InstanceSnapshotMirror<T> {
  const now = o.now ?? Date.now;
  const staleMs = o.staleMs ?? SNAPSHOT_STALE_MS;
  const heartbeatMs = o.heartbeatMs ?? SNAPSHOT_HEARTBEAT_MS;
  const logger = o.logger.child({ component: "cluster-mirror", topic: o.topic });
  const messageSchema = z.object({
    items: z.array(z.unknown()).max(o.maxItems),
    hello: z.boolean().optional(),
    leaving: z.boolean().optional(),
  });
  const lists = new Map<string, RemoteList<T>>();
  let version = 0;
  let closed = false;
  let scheduled = false;

  const changed = () => {
    version += 1;
    o.onRemoteChange?.();
  };

  const send = (flags: { hello?: boolean; leaving?: boolean } = {}) => {
    let items = flags.leaving ? [] : o.local();
    if (items.length > o.maxItems) {
      logger.warn("list cut for the other gateway instances: more items than a message carries", {
        items: items.length,
        sent: o.maxItems,
      });
      items = items.slice(0, o.maxItems);
    }
    publishOrLog(o.cluster, o.topic, { items, ...flags }, logger, { items: items.length });
  };

  const dropStale = (): boolean => {
    const cutoff = now() - staleMs;
    let dropped = false;
    for (const [instanceId, list] of lists) {
      if (list.receivedAt >= cutoff) continue;
      lists.delete(instanceId);
      dropped = true;
      logger.info("gateway instance's list dropped: not heard from it within the staleness window", {
        instanceId,
        staleMs,
      });
    }
    return dropped;
  };

  const onMessage = (payload: unknown, origin: string) => {
    if (closed) return;
    const message = messageSchema.safeParse(payload);
    if (!message.success) {
      logger.warn("list from another gateway instance ignored: not in the expected shape", {
        origin,
        error: message.error.issues[0]?.message,
      });
      return;
    }
    if (message.data.leaving) {
      if (lists.delete(origin)) changed();
      return;
    }
    const items: T[] = [];
    for (const raw of message.data.items) {
      const parsed = o.item.safeParse(raw);
      if (parsed.success) items.push(parsed.data);
      else
        logger.warn("item from another gateway instance ignored", {
          origin,
          error: parsed.error.issues[0]?.message,
        });
    }
    const fingerprint = JSON.stringify(items);
    const previous = lists.get(origin);
    lists.set(origin, { items, fingerprint, receivedAt: now() });
    if (message.data.hello) send();
    if (previous?.fingerprint !== fingerprint) changed();
  };

  const unsubscribe = o.cluster.subscribe(o.topic, onMessage);
  // Back from a store outage: what was sent meanwhile was lost both ways, so say hello again rather than wait.
  const stopWatching = o.cluster.onAvailabilityChange((available) => {
    if (available && !closed) send({ hello: true });
  });
  const heartbeat = setInterval(() => {
    send();
    if (dropStale()) changed();
  }, heartbeatMs);
  heartbeat.unref();
  send({ hello: true });

  const fresh = () => {
    const cutoff = now() - staleMs;
    return [...lists].filter(([, list]) => list.receivedAt >= cutoff);
  };

  return {
    remote: () => fresh().flatMap(([, list]) => list.items),
    remoteByInstance: () => new Map(fresh().map(([instanceId, list]) => [instanceId, list.items])),
    localChanged() {
      if (closed || scheduled) return;
      scheduled = true;
      queueMicrotask(() => {
        scheduled = false;
        if (!closed) send();
      });
    },
    publishNow() {
      if (!closed) send();
    },
    get version() {
      return version;
    },
    close() {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      unsubscribe();
      stopWatching();
      send({ leaving: true });
      lists.clear();
    },
  };
}
