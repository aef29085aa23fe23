/**
 * Whole epoch milliseconds of a timestamptz (which has microseconds), as a float8 so pg returns a JS number: the
 * port's times are integers like Date.now(), and the protocol's schemas say so.
 */
const ms = (column: string) => `floor(extract(epoch FROM ${column}) * 1000)::float8`;

/**
 * Joined into a statement's FROM: commits that statement's implicit transaction without waiting for the WAL flush
 * (`SET LOCAL synchronous_commit = off`, in the same round trip). Only for writes whose loss in a server crash is
 * harmless: a lease release that is lost leaves a row that expires on its own (the next holder waits, two never
 * hold it), and an event row is read within moments of its NOTIFY, at most once anyway. A NOTIFY commit holds the
 * database's notification lock until it returns, so a flush there would also hold up every other notifying
 * transaction (other instances' events) for the length of an fsync. Leases taken (unless asked with
 * `durable: false`) or renewed, claims and members stay durable: mutual exclusion after a server crash depends on them.
 */
const ASYNC_COMMIT = "(SELECT set_config('synchronous_commit', 'off', true)) AS async_commit";

/**
 * The cluster's SQL over one schema (`s` is the quoted schema). Every time that decides ownership or liveness is
 * `clock_timestamp()`: the server's clock at the statement, the same for every instance.
 */
export function clusterStatements(s: string) {
  return {
    // Leases -------------------------------------------------------------------------------------------------
    /** $1 name, $2 owner, $3 token, $4 ttl ms. A row back = taken (free, or expired and taken over). */
    takeLease: `INSERT INTO ${s}.cluster_leases AS l (name, owner, token, expires_at)
      VALUES ($1, $2, $3, clock_timestamp() + $4 * interval '1 millisecond')
      ON CONFLICT (name) DO UPDATE
        SET owner = EXCLUDED.owner, token = EXCLUDED.token, expires_at = EXCLUDED.expires_at
        WHERE l.expires_at <= clock_timestamp()
      RETURNING ${ms("expires_at")} AS expires_at`,
    /** takeLease committed without waiting for the flush: for a holder whose next durable write flushes it too. */
    takeLeaseNotDurable: `INSERT INTO ${s}.cluster_leases AS l (name, owner, token, expires_at)
      SELECT $1, $2, $3, clock_timestamp() + $4 * interval '1 millisecond' FROM ${ASYNC_COMMIT}
      ON CONFLICT (name) DO UPDATE
        SET owner = EXCLUDED.owner, token = EXCLUDED.token, expires_at = EXCLUDED.expires_at
        WHERE l.expires_at <= clock_timestamp()
      RETURNING ${ms("expires_at")} AS expires_at`,
    /** $1 name, $2 token, $3 ttl ms. No row = another owner took it, or it expired (another may have held it since). */
    renewLease: `UPDATE ${s}.cluster_leases SET expires_at = clock_timestamp() + $3 * interval '1 millisecond'
      WHERE name = $1 AND token = $2 AND expires_at > clock_timestamp()`,
    /**
     * $1 name, $2 token, $3 channel, $4 the release notification: deletes and wakes waiters in one statement,
     * committed without waiting for the flush (see ASYNC_COMMIT).
     */
    releaseLease: `WITH released AS (DELETE FROM ${s}.cluster_leases WHERE name = $1 AND token = $2 RETURNING name)
      SELECT pg_notify($3, $4) FROM released, ${ASYNC_COMMIT}`,
    /** $1 prefix (literal text, not a LIKE pattern). */
    listLeases: `SELECT name, owner, ${ms("expires_at")} AS expires_at FROM ${s}.cluster_leases
      WHERE starts_with(name, $1) AND expires_at > clock_timestamp() ORDER BY name`,

    // Claims -------------------------------------------------------------------------------------------------
    /** $1 key, $2 instance. A row back = this call claimed it first. */
    claim: `INSERT INTO ${s}.cluster_claims (key, claimed_by, claimed_at) VALUES ($1, $2, clock_timestamp())
      ON CONFLICT (key) DO NOTHING RETURNING key`,

    // Members ------------------------------------------------------------------------------------------------
    /** $1 instance, $2 info json. */
    upsertMember: `INSERT INTO ${s}.cluster_members (instance_id, info, last_seen) VALUES ($1, $2, clock_timestamp())
      ON CONFLICT (instance_id) DO UPDATE SET info = EXCLUDED.info, last_seen = EXCLUDED.last_seen`,
    /** $1 instance. No row = someone removed it (a cleanup after a long outage): join again. */
    heartbeat: `UPDATE ${s}.cluster_members SET last_seen = clock_timestamp() WHERE instance_id = $1`,
    removeMember: `DELETE FROM ${s}.cluster_members WHERE instance_id = $1`,
    /** $1 liveness window ms, $2 retention ms. */
    members: `SELECT instance_id, info, ${ms("last_seen")} AS last_seen,
        last_seen > clock_timestamp() - $1 * interval '1 millisecond' AS alive
      FROM ${s}.cluster_members WHERE last_seen > clock_timestamp() - $2 * interval '1 millisecond'
      ORDER BY instance_id`,

    // Events -------------------------------------------------------------------------------------------------
    /**
     * $1 channel, $2 text[] of notifications, sent in array order in one statement (one transaction). It writes no
     * WAL before its commit record, so PostgreSQL commits it without waiting for a flush already.
     */
    notifyMany: `SELECT pg_notify($1, m) FROM unnest($2::text[]) AS m`,
    /**
     * $1 channel, $2 payload JSON, $3 the notification's JSON prefix (without its closing brace): stores a large
     * payload and notifies its id, in one statement, committed without waiting for the flush (see ASYNC_COMMIT).
     */
    notifyLarge: `WITH e AS (INSERT INTO ${s}.cluster_events (payload, created_at) VALUES ($2, clock_timestamp())
        RETURNING id)
      SELECT pg_notify($1, $3 || ',"e":' || e.id || '}') FROM e, ${ASYNC_COMMIT}`,
    /** $1 id. */
    readEvent: `SELECT payload FROM ${s}.cluster_events WHERE id = $1`,

    // Housekeeping -------------------------------------------------------------------------------------------
    /** $1 event retention ms, $2 claim retention ms, $3 member retention ms. */
    cleanup: `WITH e AS (DELETE FROM ${s}.cluster_events
          WHERE created_at < clock_timestamp() - $1 * interval '1 millisecond'),
        c AS (DELETE FROM ${s}.cluster_claims WHERE claimed_at < clock_timestamp() - $2 * interval '1 millisecond')
      DELETE FROM ${s}.cluster_members WHERE last_seen < clock_timestamp() - $3 * interval '1 millisecond'`,
    clock: `SELECT ${ms("clock_timestamp()")} AS now`,
    schemaVersion: `SELECT coalesce(max(version), 0)::int AS version FROM ${s}.schema_migrations`,
  };
}

export type ClusterStatements = ReturnType<typeof clusterStatements>;
