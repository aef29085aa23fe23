import { CLAIM_RETENTION_MS, MEMBER_RETENTION_MS } from "./cluster-arguments.js";
import {
  CLUSTER_LIMITS,
  type ClusterMember,
  type ClusterMemberInfo,
  type LeaseRecord,
} from "./cluster-port.js";

/** What the hub needs of a coordinator: receiving messages and hearing that one of its leases was taken. */
export interface HubParticipant {
  readonly instanceId: string;
  receive(topic: string, json: string, origin: string): void;
}

interface LeaseRow {
  owner: string;
  token: number;
  expiresAt: number;
  /** Told when another owner takes the lease over after it expired. */
  onTakenOver: () => void;
}

/**
 * The "database" the memory coordinators of one `MemoryStorageData` share: lease rows, claims, members, and the
 * message bus. Every method runs in one synchronous step, so each is a transaction.
 */
export class MemoryClusterHub {
  private readonly leases = new Map<string, LeaseRow>();
  private readonly claims = new Map<string, number>();
  private readonly memberRows = new Map<string, { info: ClusterMemberInfo; lastSeenAt: number }>();
  private readonly participants = new Set<HubParticipant>();
  private readonly releaseWaiters = new Set<() => void>();
  private nextToken = 1;

  constructor(readonly now: () => number) {}

  attach(participant: HubParticipant): void {
    this.participants.add(participant);
  }

  detach(participant: HubParticipant): void {
    this.participants.delete(participant);
  }

  /** Hands a message to every other instance (a later tick, in publish order: one FIFO of setImmediate). */
  deliver(origin: string, topic: string, json: string): void {
    for (const participant of this.participants) {
      if (participant.instanceId !== origin) participant.receive(topic, json, origin);
    }
  }

  /** Takes `name` when free or expired; the token proves ownership to `renew` and `release`. */
  take(name: string, owner: string, ttlMs: number, onTakenOver: () => void): number | undefined {
    const now = this.now();
    const existing = this.leases.get(name);
    if (existing && existing.expiresAt > now) return undefined;
    const token = this.nextToken++;
    this.leases.set(name, { owner, token, expiresAt: now + ttlMs, onTakenOver });
    // The previous holder stopped renewing (or its clock jumped): it must hear it lost the lease.
    if (existing) existing.onTakenOver();
    return token;
  }

  /** Extends the lease when `token` still owns it and it has not expired; false otherwise (as the port says). */
  renew(name: string, token: number, ttlMs: number): boolean {
    const row = this.leases.get(name);
    if (row?.token !== token || row.expiresAt <= this.now()) return false;
    row.expiresAt = this.now() + ttlMs;
    return true;
  }

  release(name: string, token: number): void {
    if (this.leases.get(name)?.token !== token) return;
    this.leases.delete(name);
    const waiters = [...this.releaseWaiters];
    this.releaseWaiters.clear();
    for (const wake of waiters) wake();
  }

  /** Test hook: makes the lease look expired, as if its holder had stopped renewing long ago. */
  expire(name: string): boolean {
    const row = this.leases.get(name);
    if (!row) return false;
    row.expiresAt = this.now() - 1;
    return true;
  }

  /** Calls `wake` once on the next release of any lease; returns a function that forgets it. */
  onNextRelease(wake: () => void): () => void {
    this.releaseWaiters.add(wake);
    return () => this.releaseWaiters.delete(wake);
  }

  listLeases(prefix: string): LeaseRecord[] {
    const now = this.now();
    return [...this.leases.entries()]
      .filter(([name, row]) => name.startsWith(prefix) && row.expiresAt > now)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, row]) => ({ name, owner: row.owner, expiresAt: row.expiresAt }));
  }

  claim(key: string): boolean {
    const now = this.now();
    for (const [old, at] of this.claims) if (at < now - CLAIM_RETENTION_MS) this.claims.delete(old);
    if (this.claims.has(key)) return false;
    this.claims.set(key, now);
    return true;
  }

  upsertMember(instanceId: string, info: ClusterMemberInfo): void {
    this.memberRows.set(instanceId, { info: structuredClone(info), lastSeenAt: this.now() });
  }

  heartbeat(instanceId: string): void {
    const row = this.memberRows.get(instanceId);
    if (row) row.lastSeenAt = this.now();
  }

  removeMember(instanceId: string): void {
    this.memberRows.delete(instanceId);
  }

  members(): ClusterMember[] {
    const now = this.now();
    const aliveWindow = 3 * CLUSTER_LIMITS.heartbeatMs;
    return [...this.memberRows.entries()]
      .filter(([, row]) => row.lastSeenAt >= now - MEMBER_RETENTION_MS)
      .map(([instanceId, row]) => ({
        ...structuredClone(row.info),
        instanceId,
        lastSeenAt: row.lastSeenAt,
        alive: now - row.lastSeenAt <= aliveWindow,
      }))
      .sort((a, b) => (a.instanceId < b.instanceId ? -1 : a.instanceId > b.instanceId ? 1 : 0));
  }
}
