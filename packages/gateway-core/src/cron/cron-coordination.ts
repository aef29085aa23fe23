import { createHash } from "node:crypto";
import { type ClusterCoordinator, type ClusterLease, isSessionError } from "@openclaw/sessions";
import type { Logger } from "../logging/logger.js";
import { CronError } from "./cron-error.js";

/** The lease whose holder arms the timer and applies start-up recovery: one scheduler per cluster. */
export const CRON_LEADER_LEASE = "cron:leader";
/** Published after every write of the jobs, so every instance reloads them. */
export const CRON_CHANGED_TOPIC = "cron.changed";
/** Held by the instance running a job, for as long as the run lasts: one run per job at a time, cluster-wide. */
const RUN_LEASE_PREFIX = "cron:run:";
/** A run lease is renewed every third of this; an instance killed mid-run lets it expire this long after. */
const RUN_LEASE_TTL_MS = 15_000;
const MAX_ENCODED_JOB_ID = 400;

/**
 * What the scheduler needs to share one set of jobs with other gateway instances. Without a cluster the scheduler
 * has none of it and is the only writer, as before.
 */
export interface CronCoordination {
  /** Claims a due slot cluster-wide, once: false when another instance already claimed (and ran) it. */
  claimSlot(jobId: string, slotMs: number): Promise<boolean>;
  /** Takes the job's run lease; undefined while the job runs on another instance. */
  acquireRunLease(jobId: string): Promise<ClusterLease | undefined>;
  /** Of `jobIds`, those running on some instance now (their run lease is held). */
  runningAnywhere(jobIds: readonly string[]): Promise<Set<string>>;
  /** Tells the other instances the jobs changed, so they reload them. */
  announceChange(): void;
  /** Calls `listener` when another instance changed the jobs. */
  onChange(listener: () => void): () => void;
}

/** `CronCoordination` over the cluster port. */
export class ClusterCronCoordination implements CronCoordination {
  readonly #cluster: ClusterCoordinator;
  readonly #logger: Logger;
  /** Slots this instance claimed: a claim retried after a version conflict must not be refused by its own claim. */
  readonly #claimed = new Set<string>();

  constructor(cluster: ClusterCoordinator, logger: Logger) {
    this.#cluster = cluster;
    this.#logger = logger;
  }

  async claimSlot(jobId: string, slotMs: number): Promise<boolean> {
    const key = `cron:${encodedJobId(jobId)}:${slotMs}`;
    if (this.#claimed.has(key)) return true;
    if (!(await this.#cluster.claimOnce(key))) return false;
    this.#claimed.add(key);
    // Only a retry right after the claim needs it; keep the set from growing with every slot ever run.
    if (this.#claimed.size > 1_000) this.#claimed.delete(this.#claimed.values().next().value ?? "");
    return true;
  }

  acquireRunLease(jobId: string): Promise<ClusterLease | undefined> {
    return this.#cluster.tryAcquireLease(runLeaseName(jobId), { ttlMs: RUN_LEASE_TTL_MS });
  }

  async runningAnywhere(jobIds: readonly string[]): Promise<Set<string>> {
    if (jobIds.length === 0) return new Set();
    const held = new Set((await this.#cluster.listLeases(RUN_LEASE_PREFIX)).map((lease) => lease.name));
    return new Set(jobIds.filter((jobId) => held.has(runLeaseName(jobId))));
  }

  announceChange(): void {
    try {
      this.#cluster.publish(CRON_CHANGED_TOPIC, { at: Date.now() });
    } catch (error) {
      this.#logger.warn("cannot announce a cron job change to the other instances", {
        error: (error as Error).message,
      });
    }
  }

  onChange(listener: () => void): () => void {
    return this.#cluster.subscribe(CRON_CHANGED_TOPIC, () => listener());
  }
}

function runLeaseName(jobId: string): string {
  return `${RUN_LEASE_PREFIX}${encodedJobId(jobId)}`;
}

/** Job ids are UUIDs, but an imported one may be anything: encoded, and digested when too long for a key. */
function encodedJobId(jobId: string): string {
  const encoded = encodeURIComponent(jobId);
  if (encoded.length <= MAX_ENCODED_JOB_ID) return encoded;
  return `#${createHash("sha256").update(jobId).digest("hex")}`;
}

/** A job write refused because another instance changed the row since this one read it. */
export function isCronVersionConflict(error: unknown): boolean {
  return (
    error instanceof CronError &&
    error.code === "CRON_STORE_IO" &&
    isSessionError(error.cause, "SESSION_CONFLICT")
  );
}

/**
 * Runs `work`; a write refused because another instance changed the row first is retried once after `reload`,
 * so staleness never loses an edit.
 */
export async function retryOnCronVersionConflict<T>(
  work: () => Promise<T>,
  reload: () => Promise<void>,
  logger: Logger,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!isCronVersionConflict(error)) throw error;
    logger.info("cron jobs changed on another instance; reloaded them and retrying");
    await reload();
    return work();
  }
}
