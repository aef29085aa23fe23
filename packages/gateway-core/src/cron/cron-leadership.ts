import type { ClusterCoordinator, ClusterLease } from "@openclaw/sessions";
import type { Logger } from "../logging/logger.js";
import { CRON_LEADER_LEASE } from "./cron-coordination.js";

/** How often an instance that is not the cron leader tries to become it. */
export const DEFAULT_LEADER_RETRY_MS = 2_000;

export interface CronLeadershipOptions {
  cluster: ClusterCoordinator;
  logger: Logger;
  retryMs?: number;
  /** Called once the lease is taken: load the jobs, recover, arm the timer. A throw gives the lease back. */
  lead(): Promise<void>;
  /** Called when the lease is lost (or given back): disarm at once, another instance takes over. */
  follow(): void;
}

/**
 * The cron leader lease: one instance of the cluster arms the timer; the others try to take over every
 * `retryMs`, so when the leader stops (release) or dies (expiry) another one leads within a few seconds.
 */
export class CronLeadership {
  readonly #options: CronLeadershipOptions;
  readonly #retryMs: number;
  #lease: ClusterLease | undefined;
  #retry: NodeJS.Timeout | undefined;
  #attempt: Promise<void> | undefined;
  #stopped = false;

  constructor(options: CronLeadershipOptions) {
    this.#options = options;
    this.#retryMs = options.retryMs ?? DEFAULT_LEADER_RETRY_MS;
  }

  get leading(): boolean {
    return this.#lease?.held === true;
  }

  /** Tries at once; resolves after the first attempt (led or not), then keeps trying in the background. */
  start(): Promise<void> {
    return this.#try();
  }

  /** Stops trying and gives the lease up, so another instance leads without waiting for it to expire. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#retry);
    await this.#attempt;
    const lease = this.#lease;
    this.#lease = undefined;
    if (lease) {
      this.#options.follow();
      await lease.release();
    }
  }

  #try(): Promise<void> {
    this.#attempt ??= this.#acquire().finally(() => {
      this.#attempt = undefined;
    });
    return this.#attempt;
  }

  async #acquire(): Promise<void> {
    if (this.#stopped || this.#lease) return;
    const { cluster, logger } = this.#options;
    let lease: ClusterLease | undefined;
    try {
      lease = await cluster.tryAcquireLease(CRON_LEADER_LEASE);
    } catch (error) {
      logger.warn("cannot reach the cluster to take the cron leader lease; retrying", {
        error: (error as Error).message,
      });
    }
    if (!lease) return this.#scheduleRetry();
    if (this.#stopped) {
      await lease.release();
      return;
    }
    this.#lease = lease;
    try {
      await this.#options.lead();
    } catch (error) {
      logger.error("cron leader could not load the jobs; giving the lease back", {
        error: (error as Error).message,
      });
      this.#lease = undefined;
      this.#options.follow();
      await lease.release();
      return this.#scheduleRetry();
    }
    logger.info("cron leader: this instance runs the scheduled jobs", { instanceId: cluster.instanceId });
    lease.onLost(() => {
      if (this.#lease !== lease) return;
      this.#lease = undefined;
      logger.warn("cron leader lease lost; another instance takes the scheduled jobs over");
      this.#options.follow();
      this.#scheduleRetry();
    });
  }

  #scheduleRetry(): void {
    if (this.#stopped) return;
    clearTimeout(this.#retry);
    this.#retry = setTimeout(() => void this.#try(), this.#retryMs);
    this.#retry.unref();
  }
}
