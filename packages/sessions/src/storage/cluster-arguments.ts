import { z } from "zod";
import { SessionError } from "../session-error.js";
import {
  CLUSTER_LIMITS,
  type ClusterLease,
  type ClusterMemberInfo,
  type LeaseOptions,
} from "./cluster-port.js";

/** The bounds every cluster implementation checks the same way (shared so drivers cannot drift apart). */
export const CLUSTER_TOPIC_PATTERN = /^[a-z][a-z0-9._:-]*$/;
/** Lease lifetimes outside this range are refused: shorter cannot be renewed in time, longer hides dead owners. */
export const MIN_LEASE_TTL_MS = 100;
export const MAX_LEASE_TTL_MS = 10 * 60_000;
/** How long `claimOnce` remembers a key. */
export const CLAIM_RETENTION_MS = 7 * 24 * 60 * 60_000;
/** How long `members()` keeps reporting an instance after its last heartbeat. */
export const MEMBER_RETENTION_MS = 24 * 60 * 60_000;

export function assertClusterTopic(topic: string): void {
  if (
    typeof topic === "string" &&
    topic.length <= CLUSTER_LIMITS.topicLength &&
    CLUSTER_TOPIC_PATTERN.test(topic)
  )
    return;
  throw new SessionError(
    "INVALID_STORAGE_REQUEST",
    `cluster topic ${JSON.stringify(String(topic).slice(0, 40))} is invalid; use lower-case letters, digits, ".", "_", ":" or "-", starting with a letter, at most ${CLUSTER_LIMITS.topicLength} characters`,
  );
}

/** A lease name or claim key: non-empty, at most `keyLength` characters. */
export function assertClusterKey(key: string, what: "lease name" | "claim key"): void {
  if (typeof key === "string" && key.length > 0 && key.length <= CLUSTER_LIMITS.keyLength) return;
  throw new SessionError(
    "INVALID_STORAGE_REQUEST",
    `${what} must be a non-empty string of at most ${CLUSTER_LIMITS.keyLength} characters; shorten or hash it`,
    { details: { length: typeof key === "string" ? key.length : undefined } },
  );
}

/** A lease prefix for `listLeases`: a string no longer than a key (empty lists every lease). */
export function assertLeasePrefix(prefix: string): void {
  if (typeof prefix === "string" && prefix.length <= CLUSTER_LIMITS.keyLength) return;
  throw new SessionError(
    "INVALID_STORAGE_REQUEST",
    `lease prefix must be a string of at most ${CLUSTER_LIMITS.keyLength} characters`,
  );
}

export function leaseTtlMs(options: LeaseOptions | undefined): number {
  const ttl = options?.ttlMs ?? CLUSTER_LIMITS.leaseTtlMs;
  if (Number.isInteger(ttl) && ttl >= MIN_LEASE_TTL_MS && ttl <= MAX_LEASE_TTL_MS) return ttl;
  throw new SessionError(
    "INVALID_STORAGE_REQUEST",
    `lease ttlMs must be an integer from ${MIN_LEASE_TTL_MS} to ${MAX_LEASE_TTL_MS}, got ${String(ttl)}`,
  );
}

/**
 * The payload as the JSON text that travels. Refuses (RangeError, as the port says) what is larger than
 * `CLUSTER_LIMITS.payloadBytes` or is not JSON at all, so a receiver never gets something the sender did not mean.
 */
export function serializeClusterPayload(payload: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(payload);
  } catch (error) {
    throw new RangeError(`cluster payload is not JSON-serializable: ${String(error)}`);
  }
  if (text === undefined)
    throw new RangeError("cluster payload is not JSON-serializable (undefined or a function)");
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > CLUSTER_LIMITS.payloadBytes) {
    throw new RangeError(
      `cluster payload is ${bytes} bytes of JSON, more than ${CLUSTER_LIMITS.payloadBytes}; publish an id and let receivers read the row`,
    );
  }
  return text;
}

export function clusterClosedError(instanceId: string): SessionError {
  return new SessionError(
    "STORE_CLOSED",
    `the cluster coordinator of instance "${instanceId}" is closed; open a new one with storage.openCluster`,
    { details: { instanceId } },
  );
}

/** The error an aborted `acquireLease` rejects with (the signal's reason when it has one). */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("acquireLease was aborted", "AbortError");
}

/**
 * The wait of `acquireLease`, the same in every implementation: try to take the lease; one taken while the caller
 * aborted is given back at once; otherwise wait for the next chance (a release anywhere, or the poll) and try again.
 */
export async function acquireLeaseWhenFree(
  tryAcquire: () => Promise<ClusterLease | undefined>,
  nextChance: () => Promise<void>,
  signal: AbortSignal | undefined,
): Promise<ClusterLease> {
  for (;;) {
    if (signal?.aborted) throw abortReason(signal);
    const lease = await tryAcquire();
    if (lease && signal?.aborted) {
      await lease.release();
      throw abortReason(signal);
    }
    if (lease) return lease;
    await nextChance();
  }
}

/** An instance id: printable, no spaces, at most 128 characters (a UUID in practice). */
export function assertInstanceId(instanceId: string): void {
  if (typeof instanceId === "string" && /^[\x21-\x7e]{1,128}$/.test(instanceId)) return;
  throw new SessionError(
    "INVALID_STORAGE_REQUEST",
    "instanceId must be 1 to 128 printable ASCII characters without spaces (the gateway passes its process UUID)",
  );
}

/** What an instance may tell the others in `join` (bounded: it is stored and listed to every instance). */
export const ClusterMemberInfoSchema = z.object({
  address: z.string().max(256).optional(),
  version: z.string().max(128),
  hostname: z.string().max(256),
  pid: z.int().min(0),
  startedAt: z.number().finite(),
});

/** The member info `join` stores, unknown fields dropped; SessionError INVALID_STORAGE_REQUEST when malformed. */
export function parseClusterMemberInfo(info: unknown): ClusterMemberInfo {
  const parsed = ClusterMemberInfoSchema.safeParse(info);
  if (parsed.success) return parsed.data;
  throw new SessionError(
    "INVALID_STORAGE_REQUEST",
    `cluster member info is invalid (${parsed.error.issues.map((i) => `${i.path.join(".") || "info"}: ${i.message}`).join("; ")}); pass { version, hostname, pid, startedAt, address? }`,
  );
}
