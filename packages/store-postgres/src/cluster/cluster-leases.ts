import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import {
  acquireLeaseWhenFree,
  assertClusterKey,
  assertLeasePrefix,
  type ClusterLease,
  clusterClosedError,
  type LeaseOptions,
  type LeaseRecord,
  leaseTtlMs,
} from "@openclaw/sessions";
import type { ClusterConnection, ClusterLogger } from "./cluster-connection.js";
import { releaseNotification } from "./cluster-notifications.js";
import type { ClusterStatements } from "./cluster-statements.js";

/** A waiting `acquireLease` looks again this often when no release notification woke it (expiries notify nobody). */
export const ACQUIRE_POLL_MS = 250;

interface Waiter {
  name: string;
  wake: () => void;
}

/** The leases one coordinator holds and the `acquireLease` calls waiting for one. */
export class PostgresLeases {
  private readonly held = new Set<PostgresLease>();
  private readonly waiters = new Set<Waiter>();

  constructor(
    private readonly connection: ClusterConnection,
    private readonly sql: ClusterStatements,
    private readonly instanceId: string,
    private readonly channel: string,
    /**
     * Hands what this instance published so far to the store. A release waits for it, so the next holder's events
     * (say, the next run of a session) can never reach a receiver before the last ones sent under this lease.
     */
    private readonly flushEvents: () => Promise<void>,
    private readonly logger?: ClusterLogger,
  ) {}

  async tryAcquire(name: string, options?: LeaseOptions): Promise<ClusterLease | undefined> {
    assertClusterKey(name, "lease name");
    const ttlMs = leaseTtlMs(options);
    const token = randomUUID();
    const sentAt = performance.now();
    const statement = options?.durable === false ? this.sql.takeLeaseNotDurable : this.sql.takeLease;
    const result = await this.connection.query(statement, [name, this.instanceId, token, ttlMs]);
    if (result.rowCount === 0) return undefined;
    if (this.connection.isClosed) {
      // close() began while this was in flight: give it back rather than hold it past close.
      await this.release(name, token);
      throw clusterClosedError(this.instanceId);
    }
    const lease = new PostgresLease(name, token, ttlMs, this, () => this.held.delete(lease));
    this.held.add(lease);
    lease.start(sentAt);
    return lease;
  }

  acquire(name: string, options?: LeaseOptions & { signal?: AbortSignal }): Promise<ClusterLease> {
    return acquireLeaseWhenFree(
      () => this.tryAcquire(name, options),
      () => this.nextChance(name, options?.signal),
      options?.signal,
    );
  }

  async list(prefix: string): Promise<LeaseRecord[]> {
    assertLeasePrefix(prefix);
    const result = await this.connection.query<{ name: string; owner: string; expires_at: number }>(
      this.sql.listLeases,
      [prefix],
    );
    return result.rows.map((row) => ({ name: row.name, owner: row.owner, expiresAt: row.expires_at }));
  }

  /** A release of `name` somewhere in the cluster (a notification) or here: waiters try again at once. */
  released(name: string): void {
    for (const waiter of [...this.waiters]) if (waiter.name === name) waiter.wake();
  }

  async releaseAll(): Promise<void> {
    await Promise.all([...this.held].map((lease) => lease.release()));
  }

  // What a lease needs of its owner.

  async renew(name: string, token: string, ttlMs: number): Promise<boolean> {
    const result = await this.connection.untilClosed(this.sql.renewLease, [name, token, ttlMs]);
    return result.rowCount === 1;
  }

  async release(name: string, token: string): Promise<void> {
    try {
      await this.flushEvents();
      await this.connection.untilClosed(this.sql.releaseLease, [
        name,
        token,
        this.channel,
        releaseNotification(this.instanceId, name),
      ]);
    } catch (error) {
      // Never rejects, as the port says: the row expires on its own.
      this.logger?.warn("cluster.lease_release_failed", { name, error: String(error) });
    }
    this.released(name);
  }

  warn(event: string, fields: Record<string, unknown>): void {
    this.logger?.warn(event, fields);
  }

  private nextChance(name: string, signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve) => {
      const waiter: Waiter = { name, wake: () => done() };
      const timer = setTimeout(() => done(), ACQUIRE_POLL_MS);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
        signal?.removeEventListener("abort", done);
        resolve();
      };
      this.waiters.add(waiter);
      signal?.addEventListener("abort", done, { once: true });
    });
  }
}

/**
 * One held lease: renewed every third of its ttl (sooner again after a failed try). Lost when a renewal finds
 * another owner or the row expired, or when no renewal got through before the lease would expire: then this holder can no longer be
 * sure, whatever the store says later.
 */
class PostgresLease implements ClusterLease {
  private state: "held" | "released" | "lost" = "held";
  private renewTimer: NodeJS.Timeout | undefined;
  private deadlineTimer: NodeJS.Timeout | undefined;
  private readonly lostListeners: Array<() => void> = [];

  constructor(
    readonly name: string,
    private readonly token: string,
    private readonly ttlMs: number,
    private readonly owner: PostgresLeases,
    private readonly forget: () => void,
  ) {}

  get held(): boolean {
    return this.state === "held";
  }

  /** `confirmedAt`: when the statement that took it was sent (performance.now), the safe start of its lifetime. */
  start(confirmedAt: number): void {
    this.confirmed(confirmedAt);
    this.scheduleRenewal(Math.floor(this.ttlMs / 3));
  }

  onLost(listener: () => void): void {
    if (this.state === "lost") listener();
    else if (this.state === "held") this.lostListeners.push(listener);
  }

  async release(): Promise<void> {
    if (this.state !== "held") return;
    this.state = "released";
    this.stop();
    this.lostListeners.length = 0;
    await this.owner.release(this.name, this.token);
  }

  private scheduleRenewal(delayMs: number): void {
    this.renewTimer = setTimeout(() => void this.renew(), delayMs);
    this.renewTimer.unref();
  }

  private async renew(): Promise<void> {
    if (this.state !== "held") return;
    const sentAt = performance.now();
    try {
      const mine = await this.owner.renew(this.name, this.token, this.ttlMs);
      if (this.state !== "held") return;
      if (!mine) return this.lose("taken over by another instance, or expired in the store");
      this.confirmed(sentAt);
      this.scheduleRenewal(Math.floor(this.ttlMs / 3));
    } catch (error) {
      if (this.state !== "held") return;
      this.owner.warn("cluster.lease_renewal_failed", { name: this.name, error: String(error) });
      this.scheduleRenewal(Math.max(100, Math.floor(this.ttlMs / 6)));
    }
  }

  /** The store extended the lease to (at least) `sentAt + ttl` in this process's elapsed time. */
  private confirmed(sentAt: number): void {
    if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
    const remaining = sentAt + this.ttlMs - performance.now();
    this.deadlineTimer = setTimeout(() => this.lose("no renewal reached the store before expiry"), remaining);
    this.deadlineTimer.unref();
  }

  private lose(reason: string): void {
    if (this.state !== "held") return;
    this.state = "lost";
    this.stop();
    this.owner.warn("cluster.lease_lost", { name: this.name, reason });
    for (const listener of this.lostListeners.splice(0)) {
      try {
        listener();
      } catch (error) {
        this.owner.warn("cluster.listener_failed", { name: this.name, error: String(error) });
      }
    }
  }

  private stop(): void {
    if (this.renewTimer) clearTimeout(this.renewTimer);
    if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
    this.forget();
  }
}
