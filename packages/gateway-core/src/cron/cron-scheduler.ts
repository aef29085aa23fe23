import { randomUUID } from "node:crypto";
import type { CronEvent, CronRunLogEntry } from "@openclaw/protocol";
import type { Logger } from "../logging/logger.js";
import { recoverCronJob } from "./cron-catch-up.js";
import type { CronClock, CronTimer } from "./cron-clock.js";
import { CronError } from "./cron-error.js";
import { jobEvent, setOrClear } from "./cron-job-state.js";
import type { CronJobStore, StoredCronJob } from "./cron-job-store.js";
import type { CronRunExecutor } from "./cron-run-executor.js";
import {
  applyOutcome,
  finishedRunEntry,
  finishedRunEvent,
  type RunOrigin,
  type RunOutcome,
  skippedRunEntry,
} from "./cron-run-outcome.js";
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
}

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

  constructor(options: CronSchedulerOptions) {
    this.#options = options;
  }

  /** Loads the jobs, settles runs a previous process left unfinished, applies the catch-up policy, arms the timer. */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    const { store, clock, settings, catchUpDelayMs, logger } = this.#options;
    await this.exclusive(async () => {
      try {
        for (const job of await store.load()) this.jobs.set(job.id, job);
      } catch (error) {
        this.#failure =
          error instanceof CronError
            ? error
            : new CronError("CRON_STORE_IO", `cannot load cron jobs: ${(error as Error).message}`, {
                cause: error,
              });
        throw this.#failure;
      }
      if (this.jobs.size === 0) return;
      const now = clock.now();
      const policy = { skipMissedJobs: settings().skipMissedJobs, catchUpDelayMs, logger };
      const history: CronRunLogEntry[] = [];
      for (const job of this.jobs.values()) history.push(...(await recoverCronJob(job, now, policy)));
      await this.saveJobs();
      for (const entry of history) await store.appendRun(entry);
    });
    this.arm();
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

  saveJobs(): Promise<void> {
    return this.#options.store.save([...this.jobs.values()]);
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
    if (!this.#started || this.#stopped) return;
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
   * runs); a forced manual run leaves the schedule alone. Must run under {@link exclusive}.
   */
  async claim(job: StoredCronJob, now: number, consumeSlot: boolean): Promise<RunOrigin> {
    const origin: RunOrigin = { runId: randomUUID(), runAtMs: now };
    const before = structuredClone(job.state);
    job.state.runningAtMs = now;
    job.state.lastRunAtMs = now;
    try {
      if (consumeSlot && isTimeSchedule(job.schedule)) {
        setOrClear(job.state, "nextRunAtMs", (await nextSlotAfter(job.schedule, now, job)) ?? null);
      }
      await this.saveJobs();
    } catch (error) {
      // Not claimed on disk, so not started: the slot stays due and the next tick tries again.
      job.state = before;
      throw error;
    }
    const snapshot = structuredClone(job);
    const running = this.#execute(snapshot, origin).finally(() => {
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
      await this.exclusive(async () => {
        const now = this.#options.clock.now();
        for (const job of [...this.jobs.values()]) {
          const due = job.state.nextRunAtMs;
          if (!job.enabled || due === undefined || due > now || this.#stopped) continue;
          if (this.#running.has(job.id)) await this.#skipBusySlot(job, now);
          else await this.claim(job, now, true);
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
    await this.exclusive(() => this.#record(snapshot, origin, outcome, { durationMs, sessionKey }));
  }

  /** Writes a finished run into the history and the job's state. Must run under {@link exclusive}. */
  async #record(
    snapshot: StoredCronJob,
    origin: RunOrigin,
    outcome: RunOutcome,
    run: { durationMs: number; sessionKey: string | undefined },
  ): Promise<void> {
    if (this.#closed) return;
    const { store, clock, logger, emit } = this.#options;
    const jobId = snapshot.id;
    const job = this.jobs.get(jobId);
    const entry = finishedRunEntry(snapshot, origin, outcome, { ...run, now: clock.now() });
    if (job) {
      applyOutcome(job, outcome, run.durationMs);
      // A one-shot is done after its run: deleted after success (unless kept), otherwise kept disabled.
      if (job.schedule.kind === "at" && job.state.nextRunAtMs === undefined) {
        if (entry.completionStatus === "succeeded" && job.deleteAfterRun !== false) this.jobs.delete(jobId);
        else job.enabled = false;
      }
      if (job.state.nextRunAtMs !== undefined) entry.nextRunAtMs = job.state.nextRunAtMs;
      await this.saveJobs();
    }
    await store.appendRun(entry);
    const fields = {
      jobId,
      runId: origin.runId,
      status: outcome.status,
      deliveryStatus: outcome.deliveryStatus,
    };
    if (outcome.status === "ok") logger.info("cron run finished", fields);
    else logger.warn("cron run finished", { ...fields, error: outcome.error });
    emit(finishedRunEvent(entry));
    if (job && !this.jobs.has(jobId)) emit({ jobId, action: "removed" });
  }
}
