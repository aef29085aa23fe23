import { createHash } from "node:crypto";
import { hostname } from "node:os";
import { type ClusterInstance, type ClusterSummary, GatewayError } from "@openclaw/protocol";
import {
  CLUSTER_LIMITS,
  type ClusterCoordinator,
  type ClusterMember,
  type SessionStorage,
} from "@openclaw/sessions";
import type { Logger } from "../logging/logger.js";

/** How often the member list shown by `health`/`status` is read again: a snapshot never waits on the store. */
const MEMBERS_REFRESH_MS = 2000;
/** A session's lease outlives a stalled renewal this long; renewals run every third of it while the run goes on. */
const SESSION_LEASE_TTL_MS = 15_000;
/**
 * How long a send waits for another instance accepting the same idempotency key. Accepting is one transcript read
 * and one append; a holder that died lets its lease expire within the default lease lifetime.
 */
const ACCEPT_WAIT_MS = 30_000;

/**
 * A lease name from parts, readable while it fits the port's key limit; a longer one (a session key and an
 * idempotency key may each be long) keeps its prefix and hashes the parts.
 */
export function clusterLeaseName(prefix: string, ...parts: string[]): string {
  const name = [prefix, ...parts].join(":");
  if (name.length <= CLUSTER_LIMITS.keyLength) return name;
  return `${prefix}:#${createHash("sha256").update(JSON.stringify(parts)).digest("hex")}`;
}

/** This gateway as a member of a cluster: the coordinator plus what the control plane shows of it. */
export interface GatewayCluster {
  readonly coordinator: ClusterCoordinator;
  readonly instanceId: string;
  /** Members as last read (refreshed in the background) and whether the store answers. */
  summary(): ClusterSummary;
  /** Registers this instance (its address is known once the gateway listens) and starts the member refresh. */
  join(address: string | undefined, version: string, startedAt: number): Promise<void>;
  /** Takes `session:<key>` for one run, so two instances never run one session at once. */
  sessionLock(run: { sessionKey: string }, signal: AbortSignal): Promise<() => Promise<void>>;
  /** True while another instance holds `session:<key>`: a run of the session may be going on there. */
  sessionHeldElsewhere(sessionKey: string): Promise<boolean>;
  /**
   * Runs `accept` while no other instance accepts the same idempotency key for the session (`chat:<key>:<key>`):
   * one sent to two instances at the same instant runs once, as the second finds the first's durable user message
   * and answers as a retry. A holder that fails or dies leaves nothing behind: a later retry is accepted afresh.
   */
  acceptExclusively<T>(
    turn: { sessionKey: string; idempotencyKey: string },
    accept: () => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T>;
  close(): Promise<void>;
}

/** Opens the cluster when the storage can be shared (PostgreSQL); undefined runs the gateway alone, as before. */
export async function openGatewayCluster(o: {
  storage: SessionStorage | undefined;
  /** False runs the gateway alone even on a shareable store. */
  join: boolean;
  instanceId: string;
  logger: Logger;
}): Promise<GatewayCluster | undefined> {
  if (!o.join || !o.storage?.openCluster) return undefined;
  const logger = o.logger.child({ component: "cluster" });
  const coordinator = await o.storage.openCluster({ instanceId: o.instanceId, logger });
  let members: ClusterMember[] = [];
  let timer: NodeJS.Timeout | undefined;
  coordinator.onAvailabilityChange((available) => {
    if (available) logger.info("shared store reachable again", {});
    else logger.warn("shared store unreachable: writes are refused with UNAVAILABLE until it is back", {});
  });
  const refresh = async () => {
    try {
      members = await coordinator.members();
    } catch {
      // The store is unreachable: the last list stays, marked by `storage: "unavailable"`.
    }
  };
  const toInstance = (member: ClusterMember): ClusterInstance => ({
    instanceId: member.instanceId,
    ...(member.address ? { address: member.address } : {}),
    version: member.version,
    hostname: member.hostname,
    pid: member.pid,
    startedAt: member.startedAt,
    lastSeenAt: member.lastSeenAt,
    alive: member.alive,
    self: member.instanceId === coordinator.instanceId,
  });
  return {
    coordinator,
    instanceId: coordinator.instanceId,
    summary: () => ({
      instanceId: coordinator.instanceId,
      storage: coordinator.available ? "ok" : "unavailable",
      instances: members.map(toInstance),
    }),
    async join(address, version, startedAt) {
      await coordinator.join({
        ...(address ? { address } : {}),
        version,
        hostname: hostname(),
        pid: process.pid,
        startedAt,
      });
      logger.info("joined the cluster", {
        instanceId: coordinator.instanceId,
        ...(address ? { address } : {}),
      });
      await refresh();
      timer = setInterval(() => void refresh(), MEMBERS_REFRESH_MS);
      timer.unref();
    },
    async sessionLock(run, signal) {
      const lease = await coordinator.acquireLease(clusterLeaseName("session", run.sessionKey), {
        signal,
        ttlMs: SESSION_LEASE_TTL_MS,
      });
      lease.onLost(() =>
        logger.warn("session lease lost during a run: another instance may start the next turn early", {
          sessionKey: run.sessionKey,
        }),
      );
      // Release hands the run's last events to the store first (a port rule): the next turn, perhaps on another
      // instance, follows them.
      return () => lease.release();
    },
    async sessionHeldElsewhere(sessionKey) {
      const name = clusterLeaseName("session", sessionKey);
      const leases = await coordinator.listLeases(name);
      return leases.some((lease) => lease.name === name && lease.owner !== coordinator.instanceId);
    },
    async acceptExclusively(turn, accept, signal) {
      const timeout = AbortSignal.timeout(ACCEPT_WAIT_MS);
      const lease = await coordinator
        .acquireLease(clusterLeaseName("chat", turn.sessionKey, turn.idempotencyKey), {
          signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
          // Lost in a server crash only with the user line appended after it (the WAL is flushed in order), and then
          // that append fails too: nothing was accepted, and a retry may be. Saves a flush per send.
          durable: false,
        })
        .catch((error: unknown) => {
          if (!timeout.aborted) throw error;
          throw new GatewayError(
            "UNAVAILABLE",
            `another gateway instance has been accepting idempotency key "${turn.idempotencyKey}" for ${ACCEPT_WAIT_MS / 1000} s; send it again with the same key`,
            { retryable: true, details: { code: "IDEMPOTENCY_KEY_BUSY" } },
          );
        });
      try {
        return await accept();
      } finally {
        // Not awaited: the answer need not wait for the store, and a waiter is woken by the release itself.
        void lease.release();
      }
    },
    async close() {
      if (timer) clearInterval(timer);
      await coordinator.close();
    },
  };
}
