import { clusterClosedError, type OpenClusterOptions } from "@openclaw/sessions";
import pg from "pg";
import { mapPostgresError } from "../map-postgres-error.js";
import { isPostgresStorageError } from "../postgres-storage-error.js";
import type { ResolvedPostgresStorageOptions } from "../postgres-storage-options.js";

export type ClusterLogger = NonNullable<OpenClusterOptions["logger"]>;

/** A cluster call gives up after this long, so a server that stopped answering cannot stall renewals or close. */
export const CLUSTER_QUERY_TIMEOUT_MS = 5_000;
/** Connecting gives up sooner than the storage's default: a lease renewal must fail fast enough to be retried. */
const CLUSTER_CONNECT_TIMEOUT_MS = 3_000;

export interface ClusterConnectionOptions {
  options: ResolvedPostgresStorageOptions;
  location: string;
  instanceId: string;
  logger?: ClusterLogger;
}

/** `application_name` of the cluster's connections (what a DBA sees in pg_stat_activity), at most 63 bytes. */
export function clusterApplicationName(
  schema: string,
  role: "cluster" | "listen",
  instanceId: string,
): string {
  return `openclaw:${schema}:${role}:${instanceId}`.slice(0, 63);
}

export function clientConfig(o: ClusterConnectionOptions, role: "cluster" | "listen"): pg.ClientConfig {
  return {
    connectionString: o.options.url,
    connectionTimeoutMillis: Math.min(o.options.connectTimeoutMs, CLUSTER_CONNECT_TIMEOUT_MS),
    application_name: clusterApplicationName(o.options.schema, role, o.instanceId),
    options: "-c synchronous_commit=on",
    ...(role === "cluster" ? { query_timeout: CLUSTER_QUERY_TIMEOUT_MS } : {}),
  };
}

/**
 * The coordinator's own small pool (leases must not queue behind the storage's busy pool) and the `available`
 * flag every call keeps: an unreachable server flips it false, the next call that gets through flips it back.
 */
export class ClusterConnection {
  readonly pool: pg.Pool;
  private availableNow = true;
  private closed = false;
  private readonly availabilityListeners = new Set<(available: boolean) => void>();

  constructor(private readonly o: ClusterConnectionOptions) {
    this.pool = new pg.Pool({ ...clientConfig(o, "cluster"), max: 3, idleTimeoutMillis: 30_000 });
    // A connection the server dropped while idle must not crash the process; the next call reconnects.
    this.pool.on("error", (error) =>
      o.logger?.warn("cluster.postgres.connection_lost", { error: error.message }),
    );
  }

  get available(): boolean {
    return this.availableNow;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  onAvailabilityChange(listener: (available: boolean) => void): () => void {
    this.availabilityListeners.add(listener);
    return () => this.availabilityListeners.delete(listener);
  }

  /** One statement as a cluster call: refused once closed, errors mapped, availability kept. */
  async query<R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<pg.QueryResult<R>> {
    if (this.closed) throw clusterClosedError(this.o.instanceId);
    return this.untilClosed(text, values);
  }

  /** The same, also while closing (close releases leases and removes the member row through it). */
  async untilClosed<R extends pg.QueryResultRow>(
    text: string,
    values: unknown[] = [],
  ): Promise<pg.QueryResult<R>> {
    try {
      const result = await this.pool.query<R>(text, values);
      this.setAvailable(true);
      return result;
    } catch (error) {
      throw this.failed(error);
    }
  }

  /** Maps a failure and flips `available` when it says the server cannot be reached. */
  failed(error: unknown): Error {
    const mapped = mapPostgresError(error, this.o.location);
    if (isPostgresStorageError(mapped, "STORAGE_UNREACHABLE")) this.setAvailable(false);
    return mapped;
  }

  setAvailable(available: boolean): void {
    if (this.availableNow === available) return;
    this.availableNow = available;
    this.o.logger?.[available ? "info" : "warn"]("cluster.availability_changed", { available });
    for (const listener of [...this.availabilityListeners]) {
      try {
        listener(available);
      } catch (error) {
        this.o.logger?.warn("cluster.listener_failed", { error: String(error) });
      }
    }
  }

  markClosed(): void {
    this.closed = true;
  }

  async end(): Promise<void> {
    await this.pool.end();
  }
}
