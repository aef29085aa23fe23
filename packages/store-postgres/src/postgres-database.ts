import { storageClosedError } from "@openclaw/sessions";
import pg from "pg";
import { mapPostgresError } from "./map-postgres-error.js";
import { DEFAULT_POOL_MAX, type ResolvedPostgresStorageOptions } from "./postgres-storage-options.js";

export interface StorageLogger {
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
}

/** A statement, optionally named so each pooled connection parses and plans it once. */
export interface QueryConfig {
  name?: string;
  text: string;
  values?: unknown[];
}

export type Queryable = Pick<pg.PoolClient, "query">;

/**
 * The pool plus what every call needs around it: errors mapped to this package's, closed-state checks, and a
 * record of calls in flight so `close()` waits for them before ending the pool.
 */
export class PostgresDatabase {
  private closed = false;
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly rollbacks = new Set<Promise<void>>();

  private constructor(
    readonly pool: pg.Pool,
    readonly location: string,
  ) {}

  static create(
    options: ResolvedPostgresStorageOptions,
    location: string,
    logger?: StorageLogger,
  ): PostgresDatabase {
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.pool?.max ?? DEFAULT_POOL_MAX,
      connectionTimeoutMillis: options.connectTimeoutMs,
      // Tells a DBA which deployment a connection serves (pg_stat_activity); PostgreSQL cuts it at 63 bytes.
      application_name: `openclaw:${options.schema}`,
      // A promise resolves only once the write is on disk, whatever the server's default says.
      options: "-c synchronous_commit=on",
      ...(options.statementTimeoutMs === undefined ? {} : { statement_timeout: options.statementTimeoutMs }),
    });
    // An idle connection the server drops must not crash the process; the next call reconnects.
    pool.on("error", (error) =>
      logger?.warn("storage.postgres.connection_lost", { location, error: error.message }),
    );
    return new PostgresDatabase(pool, location);
  }

  /** Runs `work` as one storage call: refused once closed, errors mapped, awaited by `close()`. */
  run<T>(work: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(storageClosedError("postgres"));
    const call = work().catch((error: unknown) => {
      throw mapPostgresError(error, this.location);
    });
    this.inFlight.add(call);
    const forget = () => this.inFlight.delete(call);
    call.then(forget, forget);
    return call;
  }

  query<R extends pg.QueryResultRow>(
    config: QueryConfig,
    on: Queryable = this.pool,
  ): Promise<pg.QueryResult<R>> {
    return on.query<R>(config as pg.QueryConfig);
  }

  /**
   * Runs `work` in one transaction on one connection; any error rolls it back. The error is reported at once and the
   * rollback finishes in the background: a writer that lost a version race retries on another connection without
   * waiting one more round trip, which would hand the next race to the winner again.
   */
  async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      const result = await work(client);
      await client.query("COMMIT");
      client.release();
      return result;
    } catch (error) {
      const rollback = client.query("ROLLBACK").then(
        () => client.release(),
        // A connection that could not even roll back is discarded rather than handed to the next caller.
        (rollbackError: Error) => client.release(rollbackError),
      );
      this.rollbacks.add(rollback);
      rollback.finally(() => this.rollbacks.delete(rollback));
      throw error;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.inFlight]);
    await Promise.allSettled([...this.rollbacks]);
    await this.pool.end();
  }
}
