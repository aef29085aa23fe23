import {
  acquireLeaseWhenFree,
  assertClusterKey,
  assertClusterTopic,
  assertInstanceId,
  assertLeasePrefix,
  clusterClosedError,
  leaseTtlMs,
  parseClusterMemberInfo,
  serializeClusterPayload,
} from "./cluster-arguments.js";
import {
  CLUSTER_LIMITS,
  type ClusterCoordinator,
  type ClusterLease,
  type ClusterListener,
  type ClusterMember,
  type ClusterMemberInfo,
  type LeaseOptions,
  type LeaseRecord,
  type OpenClusterOptions,
} from "./cluster-port.js";
import { ClusterSubscriptions } from "./cluster-subscriptions.js";
import { type HubParticipant, MemoryClusterHub } from "./memory-cluster-hub.js";
import type { MemoryStorageData } from "./memory-storage-data.js";

/** The memory storage has no schema; it reports this version as both current and expected. */
export const MEMORY_CLUSTER_SCHEMA_VERSION = 1;
/** How often a waiting `acquireLease` looks again when no release woke it (expiries wake nobody). */
const ACQUIRE_POLL_MS = 250;

const hubs = new WeakMap<object, MemoryClusterHub>();

/**
 * The hub every coordinator opened over `data` shares. The first caller's clock is the "store clock" of the hub
 * (lease expiry and liveness), as a database's clock is for all its clients.
 */
function hubOf(data: MemoryStorageData, now: () => number): MemoryClusterHub {
  let hub = hubs.get(data);
  if (!hub) {
    hub = new MemoryClusterHub(now);
    hubs.set(data, hub);
  }
  return hub;
}

export interface MemoryClusterOptions extends OpenClusterOptions {
  /** The store clock (epoch ms) of the hub when this call creates it; default Date.now. */
  now?: () => number;
}

/**
 * A `ClusterCoordinator` over process memory: every coordinator opened on the same `MemoryStorageData` (through
 * `createMemoryStorage({ data }).openCluster`) is one instance of an in-process cluster. Always available; for
 * gateway tests of clustering without a database.
 */
export async function openMemoryCluster(
  data: MemoryStorageData,
  options: MemoryClusterOptions,
): Promise<ClusterCoordinator> {
  assertInstanceId(options.instanceId);
  const coordinator = new MemoryClusterCoordinator(hubOf(data, options.now ?? Date.now), options);
  return coordinator;
}

/**
 * Test hook: makes lease `name` in the cluster of `data` look expired, as if its holder had stopped renewing, so
 * another instance can take it (and the holder then loses it). False when nobody holds it.
 */
export function expireMemoryClusterLease(data: MemoryStorageData, name: string): boolean {
  return hubs.get(data)?.expire(name) ?? false;
}

class MemoryClusterCoordinator implements ClusterCoordinator, HubParticipant {
  readonly instanceId: string;
  readonly available = true;
  private closed = false;
  private readonly subscriptions: ClusterSubscriptions;
  private readonly leases = new Set<MemoryLease>();
  private heartbeat: NodeJS.Timeout | undefined;
  private lastPublish: Promise<void> = Promise.resolve();

  constructor(
    private readonly hub: MemoryClusterHub,
    private readonly options: OpenClusterOptions,
  ) {
    this.instanceId = options.instanceId;
    this.subscriptions = new ClusterSubscriptions(options.logger);
    hub.attach(this);
  }

  onAvailabilityChange(_listener: (available: boolean) => void): () => void {
    return () => {};
  }

  async join(info: ClusterMemberInfo): Promise<void> {
    this.assertOpen();
    this.hub.upsertMember(this.instanceId, parseClusterMemberInfo(info));
    if (this.heartbeat) return;
    this.heartbeat = setInterval(() => this.hub.heartbeat(this.instanceId), CLUSTER_LIMITS.heartbeatMs);
    this.heartbeat.unref();
  }

  async members(): Promise<ClusterMember[]> {
    this.assertOpen();
    return this.hub.members();
  }

  publish(topic: string, payload: unknown): void {
    assertClusterTopic(topic);
    const json = serializeClusterPayload(payload);
    if (this.closed) {
      this.options.logger?.warn("cluster.publish_after_close", { topic });
      return;
    }
    // One setImmediate per message: they run first in, first out, which keeps this publisher's order.
    this.lastPublish = new Promise<void>((resolve) =>
      setImmediate(() => {
        this.hub.deliver(this.instanceId, topic, json);
        resolve();
      }),
    );
  }

  flush(): Promise<void> {
    return this.lastPublish;
  }

  subscribe(topic: string, listener: ClusterListener): () => void {
    return this.subscriptions.subscribe(topic, listener);
  }

  receive(topic: string, json: string, origin: string): void {
    if (this.closed || !this.subscriptions.has(topic)) return;
    this.subscriptions.deliver(topic, JSON.parse(json), origin);
  }

  async tryAcquireLease(name: string, options?: LeaseOptions): Promise<ClusterLease | undefined> {
    this.assertOpen();
    assertClusterKey(name, "lease name");
    const ttlMs = leaseTtlMs(options);
    const lease = new MemoryLease(
      name,
      ttlMs,
      this.hub,
      () => this.leases.delete(lease),
      () => this.flush(),
    );
    const token = this.hub.take(name, this.instanceId, ttlMs, () => lease.lose());
    if (token === undefined) return undefined;
    lease.start(token);
    this.leases.add(lease);
    return lease;
  }

  acquireLease(name: string, options?: LeaseOptions & { signal?: AbortSignal }): Promise<ClusterLease> {
    const signal = options?.signal;
    return acquireLeaseWhenFree(
      () => this.tryAcquireLease(name, options),
      () =>
        new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer);
            forget();
            signal?.removeEventListener("abort", done);
            resolve();
          };
          const timer = setTimeout(done, ACQUIRE_POLL_MS);
          const forget = this.hub.onNextRelease(done);
          signal?.addEventListener("abort", done, { once: true });
        }),
      signal,
    );
  }

  async listLeases(prefix: string): Promise<LeaseRecord[]> {
    this.assertOpen();
    assertLeasePrefix(prefix);
    return this.hub.listLeases(prefix);
  }

  async claimOnce(key: string): Promise<boolean> {
    this.assertOpen();
    assertClusterKey(key, "claim key");
    return this.hub.claim(key);
  }

  async clockSkewMs(): Promise<number> {
    this.assertOpen();
    return Date.now() - this.hub.now();
  }

  async schemaVersion(): Promise<{ current: number; expected: number }> {
    this.assertOpen();
    return { current: MEMORY_CLUSTER_SCHEMA_VERSION, expected: MEMORY_CLUSTER_SCHEMA_VERSION };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.lastPublish;
    for (const lease of [...this.leases]) await lease.release();
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.hub.removeMember(this.instanceId);
    this.hub.detach(this);
    this.subscriptions.clear();
  }

  private assertOpen(): void {
    if (this.closed) throw clusterClosedError(this.instanceId);
  }
}

class MemoryLease implements ClusterLease {
  private state: "pending" | "held" | "released" | "lost" = "pending";
  private token = 0;
  private renewal: NodeJS.Timeout | undefined;
  private readonly lostListeners: Array<() => void> = [];

  constructor(
    readonly name: string,
    private readonly ttlMs: number,
    private readonly hub: MemoryClusterHub,
    private readonly forget: () => void,
    /** The coordinator's `flush`: a release waits for it, so the next holder's messages follow this holder's. */
    private readonly flushPublished: () => Promise<void>,
  ) {}

  get held(): boolean {
    return this.state === "held";
  }

  start(token: number): void {
    this.token = token;
    this.state = "held";
    this.renewal = setInterval(
      () => {
        if (!this.hub.renew(this.name, this.token, this.ttlMs)) this.lose();
      },
      Math.floor(this.ttlMs / 3),
    );
    this.renewal.unref();
  }

  onLost(listener: () => void): void {
    if (this.state === "lost") listener();
    else if (this.state !== "released") this.lostListeners.push(listener);
  }

  lose(): void {
    if (this.state !== "held") return;
    this.state = "lost";
    this.stop();
    for (const listener of this.lostListeners.splice(0)) queueMicrotask(listener);
  }

  async release(): Promise<void> {
    if (this.state !== "held") return;
    this.state = "released";
    this.stop();
    this.lostListeners.length = 0;
    await this.flushPublished();
    this.hub.release(this.name, this.token);
  }

  private stop(): void {
    if (this.renewal) clearInterval(this.renewal);
    this.forget();
  }
}
