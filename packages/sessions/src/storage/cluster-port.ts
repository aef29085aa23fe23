/**
 * The cluster port: what several gateway instances sharing one storage engine need of it besides rows. A storage
 * that can be shared (PostgreSQL; the memory storage within one process, for tests) offers `openCluster`; a
 * gateway that finds it joins the cluster, and everything else (leases for channel accounts and sessions, cron
 * claims, cross-instance events, membership) is written once in the gateway over this interface.
 *
 * Rules every implementation keeps:
 * - Time that decides ownership (lease expiry, liveness) is the store's clock, never an instance's.
 * - `publish` delivers to every other instance that subscribed to the topic, in the order this instance published,
 *   at most once; an instance never receives its own messages.
 * - A lease is held by one owner at a time; `onLost` fires once when the holder can no longer be sure it holds it
 *   (renewal refused because another owns it or it expired in the store, or the store unreachable until the lease's
 *   expiry). An expired lease is never renewed: another may have taken it and let it go meanwhile. Release is not a
 *   loss.
 * - Releasing a lease delivers everything this instance published before the release ahead of anything the next
 *   holder publishes: a receiver sees one holder's messages (say, a session run's last events) before the next
 *   holder's. The release itself flushes; a caller need not `flush` first.
 * - Calls while the store is unreachable fail with the storage's "unreachable" error and flip `available` to false;
 *   the next call that reaches it flips it back.
 */

/** What an instance tells the others about itself when it joins. */
export interface ClusterMemberInfo {
  /** Where clients reach it (`host:port`), when known. */
  address?: string;
  version: string;
  hostname: string;
  pid: number;
  /** Epoch ms. */
  startedAt: number;
}

/** An instance as the store last saw it. */
export interface ClusterMember extends ClusterMemberInfo {
  instanceId: string;
  /** Epoch ms of its last heartbeat (store clock). */
  lastSeenAt: number;
  /** Seen within the liveness window (three heartbeats). */
  alive: boolean;
}

/** A named lease this instance holds. Kept renewed in the background until released or lost. */
export interface ClusterLease {
  readonly name: string;
  /** False once released or lost. */
  readonly held: boolean;
  /** Called once if the lease is lost while held (not on release). Called at once when already lost. */
  onLost(listener: () => void): void;
  /**
   * Gives the lease up (waiters elsewhere are woken) once what this instance published so far is handed to the store.
   * Never rejects; an unreachable store lets it expire.
   */
  release(): Promise<void>;
}

/** A lease as `listLeases` reports it. */
export interface LeaseRecord {
  name: string;
  /** The holder's instance id. */
  owner: string;
  /** Epoch ms (store clock). */
  expiresAt: number;
}

export interface LeaseOptions {
  /** How long the lease lasts without renewal; renewed every third of it. Default 6000 ms. */
  ttlMs?: number;
  /**
   * False: the take need not survive a crash of the store's server (it may then come back free). Saves a durable
   * write (a WAL flush on PostgreSQL) for a lease whose holder makes a durable write before anything relies on it,
   * which also makes the take durable. Default true.
   */
  durable?: boolean;
}

export type ClusterListener = (payload: unknown, origin: string) => void;

/** Bounds every implementation keeps (and the gateway relies on). */
export const CLUSTER_LIMITS = {
  /** A topic: `[a-z][a-z0-9._:-]*`, at most this long. */
  topicLength: 128,
  /** A published payload, as JSON, at most this many bytes; larger ones are refused (RangeError). */
  payloadBytes: 1024 * 1024,
  /** A lease name or claim key, at most this long. */
  keyLength: 512,
  /** Default lease lifetime. */
  leaseTtlMs: 6000,
  /** Heartbeat period of `join`; a member unseen for three of them is not alive. */
  heartbeatMs: 2000,
} as const;

export interface ClusterCoordinator {
  /** This instance's id (as passed to `openCluster`). */
  readonly instanceId: string;
  /** False since a call failed to reach the store, until one reaches it again. */
  readonly available: boolean;
  onAvailabilityChange(listener: (available: boolean) => void): () => void;

  /** Registers this instance and keeps its heartbeat going until `close`. */
  join(info: ClusterMemberInfo): Promise<void>;
  /** Every registered instance (alive or not, for at most a day after it was last seen), this one included. */
  members(): Promise<ClusterMember[]>;

  /** Sends to the other instances subscribed to `topic`; queued in order, failures logged, never throws but for limits. */
  publish(topic: string, payload: unknown): void;
  /** Resolves once everything published so far was handed to the store (or failed). */
  flush(): Promise<void>;
  subscribe(topic: string, listener: ClusterListener): () => void;

  /** Takes the lease if it is free or expired; undefined when another instance holds it. */
  tryAcquireLease(name: string, options?: LeaseOptions): Promise<ClusterLease | undefined>;
  /** Waits until the lease is free and takes it (woken by releases, polling as a fallback). */
  acquireLease(name: string, options?: LeaseOptions & { signal?: AbortSignal }): Promise<ClusterLease>;
  /** Leases whose name starts with `prefix` and have not expired. */
  listLeases(prefix: string): Promise<LeaseRecord[]>;

  /** True for the first caller cluster-wide that claims `key`, false for every later one. Claims last 7 days. */
  claimOnce(key: string): Promise<boolean>;

  /** How far this host's clock is ahead of the store's, in ms (negative: behind); half a round trip of error. */
  clockSkewMs(): Promise<number>;
  /** The store's schema version next to the newest this code knows. */
  schemaVersion(): Promise<{ current: number; expected: number }>;

  /** Leaves the cluster: releases leases, stops heartbeats and listening, removes this member's row. */
  close(): Promise<void>;
}

export interface OpenClusterOptions {
  instanceId: string;
  logger?: {
    info(event: string, fields?: Record<string, unknown>): void;
    warn(event: string, fields?: Record<string, unknown>): void;
  };
}
