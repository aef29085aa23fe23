import { randomUUID } from "node:crypto";
import type { CronEvent, CronRunLogEntry } from "@openclaw/protocol";
import type { ClusterLease } from "@openclaw/sessions";
import type { Logger } from "../logging/logger.js";
import { recoverCronJob } from "./cron-catch-up.js";
import type { CronClock, CronTimer } from "./cron-clock.js";
import { type CronCoordination, retryOnCronVersionConflict } from "./cron-coordination.js";
import { CronError } from "./cron-error.js";
import { jobEvent, setOrClear } from "./cron-job-state.js";
import type { CronJobStore, StoredCronJob } from "./cron-job-store.js";
import type { CronRunExecutor } from "./cron-run-executor.js";
import { type RunOrigin, skippedRunEntry } from "./cron-run-outcome.js";
import { recordFinishedRun } from "./cron-run-record.js";
import { isTimeSchedule, nextSlotAfter } from "./cron-schedule.js";
import type { CronSettings } from "./cron-service-options.js";

/** The loop wakes at least this often, so a wall clock that jumped (suspend, NTP) is noticed. */
const MAX_SLEEP_MS = 60_000;

export interface CronSchedulerOptions {
  store: CronJobStore;
  executor: CronRunExecutor;
  clock: CronClock;
  logger: Logger;
  emit: (event: CronEvent) => void;
  settings: () => CronSettings;
  catchUpDelayMs: number;
  stopGraceMs: number;
  /**
   * Other gateway instances sharing the jobs (a cluster). With it the scheduler only loads the jobs at start and
   * arms no timer until {@link CronScheduler.lead} (the leader lease); every run takes the job's run lease and a
   * scheduled slot is claimed cluster-wide before it starts.
   */
  coordination?: CronCoordination;
}

/** Why a claim started no run: the job runs elsewhere, or another instance already claimed the slot. */
export type ClaimRefusal = "already-running" | "taken";

/**
 * The jobs in memory, the timer, and the runs: claims a due slot durably, starts the run, records how it ended.
 * Every change to the jobs goes through {@link CronScheduler.exclusive}, so a claim, a record and a `cron.update`
 * never interleave; `CronService` puts the method-facing operations on top.
 */
export class CronScheduler {
  readonly jobs = new Map<string, StoredCronJob>();
  readonly #options: CronSchedulerOptions;
  readonly #running = new Map<string, Promise<void>>();
  readonly #inflight = new Set<Promise<unknown>>();
  #lock: Promise<void> = Promise.resolve();
  #timer: CronTimer | undefined;
  #started = false;
  #stopped = false;
  /** Set once stop() returns: a run that outlives the grace period leaves no trace, as if the process had died. */
  #closed = false;
  /** Why start() failed; every mutation reports it until a restart, so a bad store is never overwritten. */
  #failure: CronError | undefined;
  /** Whether this scheduler arms the timer: always alone, only while holding the leader lease in a cluster. */
  #leading: boolean;
  #reloadQueued = false;

  constructor(options: CronSchedulerOptions) {
    this.#options = options;
    this.#leading = options.coordination === undefined;
  }

  /**
   * Loads the jobs. Alone it then settles runs a previous process left unfinished, applies the catch-up policy
   * and arms the timer; in a cluster that waits for {@link lead}.
   */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    await this.exclusive(async () => {
      try {
        await this.#loadJobs();
      } catch (error) {
        this.#failure =
          error instanceof CronError
            ? error
            : new CronError("CRON_STORE_IO", `cannot load cron jobs: ${(error as Error).message}`, {
                cause: error,
              });
        throw this.#failure;
      }
      if (this.#leading) await this.#recover();
    });
    this.arm();
  }

  /**
   * This instance took the cron leader lease: re-reads the jobs, applies start-up recovery (runs whose instance is
   * gone are settled as interrupted; missed slots get their one catch-up run) and arms the timer.
   */
  async lead(): Promise<void> {
    if (this.#stopped) return;
    await this.exclusive(async () => {
      await this.#loadJobs();
      await this.#recover();
      this.#failure = undefined;
    });
    this.#leading = true;
    this.arm();
  }

  /** The leader lease is gone: no timer from now on (runs already started finish and are recorded). */
  follow(): void {
    this.#leading = false;
    if (this.#timer) this.#options.clock.clearTimer(this.#timer);
    this.#timer = undefined;
  }

  /** Another instance changed the jobs: re-reads them after the changes queued here (coalesced). */
  requestReload(): void {
    if (this.#reloadQueued || this.#stopped || !this.#started) return;
    this.#reloadQueued = true;
    void this.exclusive(async () => {
      this.#reloadQueued = false;
      await this.#loadJobs();
    }).then(
      () => this.arm(),
      (error: unknown) =>
        this.#options.logger.warn("cannot reload the cron jobs another instance changed", {
          error: (error as Error).message,
        }),
    );
  }

  /**
   * Runs a change to the jobs under {@link exclusive}. In a cluster, a write refused because another instance
   * changed the row first is retried once on the reloaded jobs, so staleness never loses an edit.
   */
  mutate<T>(work: () => Promise<T>): Promise<T> {
    if (this.#options.coordination === undefined) return this.exclusive(work);
    return this.exclusive(() =>
      retryOnCronVersionConflict(work, () => this.#loadJobs(), this.#options.logger),
    );
  }

  async #loadJobs(): Promise<void> {
    const loaded = await this.#options.store.load();
    this.jobs.clear();
    for (const job of loaded) this.jobs.set(job.id, job);
  }

  /** Start-up recovery and catch-up (see `recoverCronJob`). Must run under {@link exclusive}. */
  async #recover(): Promise<void> {
    if (this.jobs.size === 0) return;
    const { store, clock, settings, catchUpDelayMs, logger, coordination } = this.#options;
    const claimed = [...this.jobs.values()].filter((job) => job.state.runningAtMs !== undefined);
    const elsewhere = coordination
      ? await coordination.runningAnywhere(claimed.map((job) => job.id))
      : new Set<string>();
    const now = clock.now();
    const policy = {
      skipMissedJobs: settings().skipMissedJobs,
      catchUpDelayMs,
      logger,
      stillRunning: (jobId: string) => this.#running.has(jobId) || elsewhere.has(jobId),
    };
    const history: CronRunLogEntry[] = [];
    for (const job of this.jobs.values()) history.push(...(await recoverCronJob(job, now, policy)));
    await this.saveJobs();
    for (const entry of history) await store.appendRun(entry);
  }

  /** Stops the timer and waits (briefly) for runs in flight, so their answers are delivered and recorded. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    if (this.#timer) this.#options.clock.clearTimer(this.#timer);
    this.#timer = undefined;
    let grace: NodeJS.Timeout | undefined;
    await Promise.race([
      this.settled(),
      new Promise<void>((resolve) => {
        grace = setTimeout(resolve, this.#options.stopGraceMs);
        grace.unref();
      }),
    ]);
    clearTimeout(grace);
    await this.#options.store.flush();
    this.#closed = true;
  }

  /** Resolves once no tick, claim or run is in progress. */
  async settled(): Promise<void> {
    while (this.#inflight.size > 0 || this.#running.size > 0) {
      await Promise.allSettled([...this.#inflight, ...this.#running.values()]);
    }
    await this.#lock;
  }

  /** Throws why changes are refused: a store that failed to load, or a scheduler that is stopping. */
  assertAccepting(): void {
    if (this.#failure) throw this.#failure;
    if (this.#stopped)
      throw new CronError("CRON_STOPPED", "the scheduler is stopping: retry once the gateway is back");
  }

  /** Runs `work` after every earlier change to the jobs has finished. */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const result = this.#lock.then(work);
    this.#lock = result.then(
      () => undefined,
      () => undefined,
    );
    this.#track(result);
    return result;
  }

  isRunning(jobId: string): boolean {
    return this.#running.has(jobId);
  }

  async saveJobs(): Promise<void> {
    await this.#options.store.save([...this.jobs.values()]);
    this.#options.coordination?.announceChange();
  }

  /** The earliest slot of an enabled job, if any. */
  nextWake(): number | undefined {
    let next: number | undefined;
    for (const job of this.jobs.values()) {
      const at = job.state.nextRunAtMs;
      if (!job.enabled || at === undefined) continue;
      if (next === undefined || at < next) next = at;
    }
    return next;
  }

  /** `minDelayMs` keeps a failing tick (disk full) from spinning; a paused scheduler only polls its settings. */
  arm(minDelayMs = 0): void {
    if (!this.#started || this.#stopped || !this.#leading) return;
    const { clock, settings } = this.#options;
    if (this.#timer) clock.clearTimer(this.#timer);
    this.#timer = undefined;
    const next = this.nextWake();
    // No job waiting: no timer at all, so an idle gateway costs nothing.
    if (next === undefined) return;
    const wanted = settings().enabled ? next - clock.now() : MAX_SLEEP_MS;
    const delay = Math.min(Math.max(minDelayMs, wanted), MAX_SLEEP_MS);
    this.#timer = clock.setTimer(() => {
      this.#timer = undefined;
      this.#track(this.#tick());
    }, delay);
  }

  /**
   * Claims a slot durably, then starts the run. `consumeSlot` moves `nextRunAtMs` past now (scheduled and `due`
   * runs); a forced manual run leaves the schedule alone. In a cluster the job's run lease is taken first and a
   * consumed slot is claimed cluster-wide (so a leader handover never runs a slot twice). Must run under
   * {@link exclusive}.
   */
  async claim(job: StoredCronJob, now: number, consumeSlot: boolean): Promise<RunOrigin | ClaimRefusal> {
    const { coordination } = this.#options;
    let lease: ClusterLease | undefined;
    if (coordination) {
      lease = await coordination.acquireRunLease(job.id);
      if (!lease) return "already-running";
    }
    const origin: RunOrigin = { runId: randomUUID(), runAtMs: now };
    const before = structuredClone(job.state);
    try {
      const slot = job.state.nextRunAtMs;
      if (
        coordination &&
        consumeSlot &&
        slot !== undefined &&
        !(await coordination.claimSlot(job.id, slot))
      ) {
        // Another instance claimed this slot. Moving past it here either conflicts with the row that instance
        // saved (the caller reloads it) or, when that instance died before saving, keeps the slot from spinning.
        await lease?.release();
        if (isTimeSchedule(job.schedule)) {
          setOrClear(job.state, "nextRunAtMs", (await nextSlotAfter(job.schedule, now, job)) ?? null);
          await this.saveJobs();
        }
        return "taken";
      }
      job.state.runningAtMs = now;
      job.state.lastRunAtMs = now;
      if (consumeSlot && isTimeSchedule(job.schedule)) {
        setOrClear(job.state, "nextRunAtMs", (await nextSlotAfter(job.schedule, now, job)) ?? null);
      }
      await this.saveJobs();
    } catch (error) {
      // Not claimed on disk, so not started: the slot stays due and the next tick tries again.
      job.state = before;
      await lease?.release();
      throw error;
    }
    const snapshot = structuredClone(job);
    const running = this.#execute(snapshot, origin).finally(async () => {
      // The run is over only once its lease is given back: a tick right after must find the job free.
      await lease?.release();
      this.#running.delete(job.id);
      this.arm();
    });
    this.#running.set(job.id, running);
    this.#options.emit({ ...jobEvent(job, "started"), runId: origin.runId, runAtMs: now });
    return origin;
  }

  #track(promise: Promise<unknown>): void {
    const tracked = promise.then(
      () => undefined,
      () => undefined,
    );
    this.#inflight.add(tracked);
    void tracked.then(() => this.#inflight.delete(tracked));
  }

  async #tick(): Promise<void> {
    if (this.#stopped) return;
    let failed = false;
    try {
      if (!this.#options.settings().enabled) return;
      await this.mutate(async () => {
        const now = this.#options.clock.now();
        for (const job of [...this.jobs.values()]) {
          const due = job.state.nextRunAtMs;
          if (!job.enabled || due === undefined || due > now || this.#stopped || !this.#leading) continue;
          if (this.#running.has(job.id)) await this.#skipBusySlot(job, now);
          else if ((await this.claim(job, now, true)) === "already-running")
            await this.#skipBusySlot(job, now);
        }
      });
    } catch (error) {
      failed = true;
      this.#options.logger.error("cron tick failed", { error: (error as Error).message });
    } finally {
      this.arm(failed ? 1_000 : 0);
    }
  }

  async #skipBusySlot(job: StoredCronJob, now: number): Promise<void> {
    if (!isTimeSchedule(job.schedule)) return;
    setOrClear(job.state, "nextRunAtMs", (await nextSlotAfter(job.schedule, now, job)) ?? null);
    job.state.consecutiveSkipped = (job.state.consecutiveSkipped ?? 0) + 1;
    await this.saveJobs();
    const entry = skippedRunEntry(job, now, "skipped: the previous run of this job was still in progress");
    if (job.state.nextRunAtMs !== undefined) entry.nextRunAtMs = job.state.nextRunAtMs;
    await this.#options.store.appendRun(entry);
    this.#options.logger.warn("cron slot skipped: previous run still in progress", { jobId: job.id });
  }

  async #execute(snapshot: StoredCronJob, origin: RunOrigin): Promise<void> {
    const { outcome, durationMs, sessionKey } = await this.#options.executor.run(snapshot, origin);
    // In a cluster another instance may have written the job meanwhile: recorded on the reloaded job then.
    await this.mutate(async () => {
      if (this.#closed) return;
      const target = { ...this.#options, jobs: this.jobs, saveJobs: () => this.saveJobs() };
      await recordFinishedRun(target, snapshot, origin, outcome, { durationMs, sessionKey });
    });
  }
}
