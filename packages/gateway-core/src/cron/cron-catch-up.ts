import type { CronRunLogEntry } from "@openclaw/protocol";
import type { Logger } from "../logging/logger.js";
import { firstSlot, setOrClear } from "./cron-job-state.js";
import type { StoredCronJob } from "./cron-job-store.js";
import { applyOutcome, skippedRunEntry } from "./cron-run-outcome.js";
import { countSlotsBetween, isTimeSchedule, nextSlotAfter } from "./cron-schedule.js";

export interface CatchUpPolicy {
  /** `cron.skipMissedJobs`: recurring jobs get no catch-up run. */
  skipMissedJobs: boolean;
  /** How long after start the one catch-up run waits. */
  catchUpDelayMs: number;
  logger: Logger;
  /** True when the job's claimed run is still going on another instance (a cluster): not settled as interrupted. */
  stillRunning?: (jobId: string) => boolean;
}

/**
 * Start-up for one job, changing it in place: a run a previous process left unfinished is settled as an
 * `error` ("interrupted", never replayed), then the catch-up policy is applied to slots missed while the gateway
 * was down (see `CronService`). Returns the history entries to record.
 */
export async function recoverCronJob(
  job: StoredCronJob,
  now: number,
  policy: CatchUpPolicy,
): Promise<CronRunLogEntry[]> {
  const history: CronRunLogEntry[] = [];
  if (job.state.runningAtMs !== undefined && policy.stillRunning?.(job.id) !== true) {
    history.push(settleInterruptedRun(job, now));
  }
  if (!job.enabled || !isTimeSchedule(job.schedule)) return history;
  const schedule = job.schedule;
  if (job.state.nextRunAtMs === undefined) {
    setOrClear(job.state, "nextRunAtMs", (await firstSlot(schedule, now, job)) ?? null);
    return history;
  }
  const due = job.state.nextRunAtMs;
  if (due > now) return history;
  const missed = 1 + (await countSlotsBetween(schedule, due, now, job));
  if (schedule.kind !== "at" && policy.skipMissedJobs) {
    setOrClear(job.state, "nextRunAtMs", (await nextSlotAfter(schedule, now, job)) ?? null);
    history.push(skippedRunEntry(job, now, `skipped ${plural(missed, "missed run")} (cron.skipMissedJobs)`));
    return history;
  }
  job.state.nextRunAtMs = now + policy.catchUpDelayMs;
  if (missed > 1) {
    history.push(
      skippedRunEntry(
        job,
        now,
        `skipped ${plural(missed - 1, "older missed run")}; one catch-up run follows`,
      ),
    );
  }
  policy.logger.info("cron job missed while the gateway was down; one catch-up run scheduled", {
    jobId: job.id,
    missed,
    runAtMs: job.state.nextRunAtMs,
  });
  return history;
}

function settleInterruptedRun(job: StoredCronJob, now: number): CronRunLogEntry {
  const runAtMs = job.state.runningAtMs ?? now;
  delete job.state.runningAtMs;
  const error = "interrupted: the gateway stopped during this run; the slot is not replayed";
  applyOutcome(job, { status: "error", error, deliveryStatus: "unknown" }, Math.max(0, now - runAtMs));
  if (job.schedule.kind === "at" && job.state.nextRunAtMs === undefined) job.enabled = false;
  return {
    ts: now,
    jobId: job.id,
    action: "finished",
    status: "error",
    completionStatus: "unknown",
    error,
    runAtMs,
    jobName: job.name,
  };
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
