import {
  assertClusterKey,
  assertInstanceId,
  CLAIM_RETENTION_MS,
  CLUSTER_LIMITS,
  type ClusterCoordinator,
  type ClusterLease,
  type ClusterListener,
  type ClusterMember,
  type ClusterMemberInfo,
  ClusterMemberInfoSchema,
  clusterClosedError,
  type LeaseOptions,
  type LeaseRecord,
  MEMBER_RETENTION_MS,
  type OpenClusterOptions,
  parseClusterMemberInfo,
} from "@openclaw/sessions";
import { LATEST_SCHEMA_VERSION } from "../postgres-migrations.js";
import type { ResolvedPostgresStorageOptions } from "../postgres-storage-options.js";
import { ClusterConnection, type ClusterConnectionOptions } from "./cluster-connection.js";
import { ClusterEvents } from "./cluster-events.js";
import { PostgresLeases } from "./cluster-leases.js";
import { channelName } from "./cluster-notifications.js";
import { type ClusterStatements, clusterStatements } from "./cluster-statements.js";

/** Large event rows are read within moments of their NOTIFY; ten minutes covers a slow receiver. */
const EVENT_RETENTION_MS = 10 * 60_000;
/** Housekeeping (old events, claims, members) runs this often per instance, at a random offset. */
const CLEANUP_EVERY_MS = 5 * 60_000;
/** close() gives up waiting on an unreachable server after this long (leases then expire on their own). */
const CLOSE_TIMEOUT_MS = 3_000;

export interface PostgresClusterOptions extends OpenClusterOptions {
  storage: ResolvedPostgresStorageOptions;
  location: string;
}

/**
 * Joins the cluster of gateways sharing one PostgreSQL schema: leases and claims are rows, events are
 * LISTEN/NOTIFY on the schema's channel, membership is heartbeat rows, all timed by the server's clock.
 */
export async function openPostgresCluster(options: PostgresClusterOptions): Promise<ClusterCoordinator> {
  assertInstanceId(options.instanceId);
  const connectionOptions: ClusterConnectionOptions = {
    options: options.storage,
    location: options.location,
    instanceId: options.instanceId,
    ...(options.logger ? { logger: options.logger } : {}),
  };
  const coordinator = new PostgresClusterCoordinator(connectionOptions, `"${options.storage.schema}"`);
  try {
    await coordinator.start();
  } catch (error) {
    await coordinator.close();
    throw error;
  }
  return coordinator;
}

class PostgresClusterCoordinator implements ClusterCoordinator {
  readonly instanceId: string;
  private readonly connection: ClusterConnection;
  private readonly sql: ClusterStatements;
  private readonly leases: PostgresLeases;
  private readonly events: ClusterEvents;
  private readonly logger: OpenClusterOptions["logger"];
  private memberInfo: ClusterMemberInfo | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private cleanupTimer: NodeJS.Timeout | undefined;
  private closing: Promise<void> | undefined;

  constructor(o: ClusterConnectionOptions, quotedSchema: string) {
    this.instanceId = o.instanceId;
    this.logger = o.logger;
    this.connection = new ClusterConnection(o);
    this.sql = clusterStatements(quotedSchema);
    const channel = channelName(o.options.schema);
    this.leases = new PostgresLeases(
      this.connection,
      this.sql,
      this.instanceId,
      channel,
      () => this.events.flush(),
      o.logger,
    );
    this.events = new ClusterEvents(
      this.connection,
      this.sql,
      o,
      channel,
      (name) => this.leases.released(name),
      o.logger,
    );
  }

  async start(): Promise<void> {
    await this.events.start();
    this.cleanupTimer = setTimeout(() => void this.cleanup(), Math.random() * CLEANUP_EVERY_MS);
    this.cleanupTimer.unref();
  }

  get available(): boolean {
    return this.connection.available;
  }

  onAvailabilityChange(listener: (available: boolean) => void): () => void {
    return this.connection.onAvailabilityChange(listener);
  }

  async join(info: ClusterMemberInfo): Promise<void> {
    this.assertOpen();
    const parsed = parseClusterMemberInfo(info);
    await this.connection.query(this.sql.upsertMember, [this.instanceId, JSON.stringify(parsed)]);
    this.memberInfo = parsed;
    if (this.heartbeatTimer) return;
    this.heartbeatTimer = setInterval(() => void this.heartbeat(), CLUSTER_LIMITS.heartbeatMs);
    this.heartbeatTimer.unref();
  }

  async members(): Promise<ClusterMember[]> {
    this.assertOpen();
    const result = await this.connection.query<{
      instance_id: string;
      info: unknown;
      last_seen: number;
      alive: boolean;
    }>(this.sql.members, [3 * CLUSTER_LIMITS.heartbeatMs, MEMBER_RETENTION_MS]);
    // Rows other instances (maybe other versions) wrote: parsed, and one that does not fit is left out.
    return result.rows.flatMap((row) => {
      const info = ClusterMemberInfoSchema.safeParse(row.info);
      if (!info.success) {
        this.logger?.warn("cluster.member_row_invalid", { instanceId: row.instance_id });
        return [];
      }
      return [{ ...info.data, instanceId: row.instance_id, lastSeenAt: row.last_seen, alive: row.alive }];
    });
  }

  publish(topic: string, payload: unknown): void {
    this.events.publish(topic, payload);
  }

  flush(): Promise<void> {
    return this.events.flush();
  }

  subscribe(topic: string, listener: ClusterListener): () => void {
    return this.events.subscribe(topic, listener);
  }

  tryAcquireLease(name: string, options?: LeaseOptions): Promise<ClusterLease | undefined> {
    return this.whileOpen(() => this.leases.tryAcquire(name, options));
  }

  acquireLease(name: string, options?: LeaseOptions & { signal?: AbortSignal }): Promise<ClusterLease> {
    return this.whileOpen(() => this.leases.acquire(name, options));
  }

  listLeases(prefix: string): Promise<LeaseRecord[]> {
    return this.whileOpen(() => this.leases.list(prefix));
  }

  async claimOnce(key: string): Promise<boolean> {
    this.assertOpen();
    assertClusterKey(key, "claim key");
    const result = await this.connection.query(this.sql.claim, [key, this.instanceId]);
    return result.rowCount === 1;
  }

  async clockSkewMs(): Promise<number> {
    this.assertOpen();
    const sentAt = Date.now();
    const result = await this.connection.query<{ now: number }>(this.sql.clock);
    const receivedAt = Date.now();
    const storeNow = result.rows[0]?.now ?? receivedAt;
    return Math.round((sentAt + receivedAt) / 2 - storeNow);
  }

  async schemaVersion(): Promise<{ current: number; expected: number }> {
    this.assertOpen();
    const result = await this.connection.query<{ version: number }>(this.sql.schemaVersion);
    return { current: result.rows[0]?.version ?? 0, expected: LATEST_SCHEMA_VERSION };
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    if (this.cleanupTimer) clearTimeout(this.cleanupTimer);
    // Refuses new calls and publishes from here on; what is queued still goes out.
    this.connection.markClosed();
    const leave = async () => {
      // releaseAll stops every lease's timers at once, before its DELETE: nothing renews after close returns.
      await Promise.all([this.events.flush(), this.leases.releaseAll()]);
      if (this.memberInfo) {
        await this.connection
          .untilClosed(this.sql.removeMember, [this.instanceId])
          .catch((error: unknown) => {
            this.logger?.warn("cluster.leave_failed", { error: String(error) });
          });
      }
      await this.events.stop();
    };
    // Bounded: with the server unreachable each step would wait for its own timeout.
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), CLOSE_TIMEOUT_MS);
    });
    const outcome = await Promise.race([leave().then(() => "done" as const), timedOut]);
    clearTimeout(timer);
    this.connection.markClosed();
    if (outcome === "timeout") {
      this.logger?.warn("cluster.close_timed_out", { afterMs: CLOSE_TIMEOUT_MS });
      void this.events.stop();
      void this.connection.end().catch(() => undefined);
      return;
    }
    await this.connection.end();
  }

  private async heartbeat(): Promise<void> {
    try {
      const result = await this.connection.query(this.sql.heartbeat, [this.instanceId]);
      // The row was removed (a cleanup after a long outage): register again.
      if (result.rowCount === 0 && this.memberInfo) {
        await this.connection.query(this.sql.upsertMember, [
          this.instanceId,
          JSON.stringify(this.memberInfo),
        ]);
      }
    } catch (error) {
      this.logger?.warn("cluster.heartbeat_failed", { error: String(error) });
    }
  }

  private async cleanup(): Promise<void> {
    try {
      await this.connection.query(this.sql.cleanup, [
        EVENT_RETENTION_MS,
        CLAIM_RETENTION_MS,
        MEMBER_RETENTION_MS,
      ]);
    } catch (error) {
      this.logger?.warn("cluster.cleanup_failed", { error: String(error) });
    }
    if (this.connection.isClosed) return;
    this.cleanupTimer = setTimeout(() => void this.cleanup(), CLEANUP_EVERY_MS);
    this.cleanupTimer.unref();
  }

  private whileOpen<T>(work: () => Promise<T>): Promise<T> {
    try {
      this.assertOpen();
      return work();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  private assertOpen(): void {
    if (this.connection.isClosed || this.closing) throw clusterClosedError(this.instanceId);
  }
}
