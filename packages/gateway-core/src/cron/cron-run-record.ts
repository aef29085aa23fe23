import type { CronEvent } from "@openclaw/protocol";
import type { Logger } from "../logging/logger.js";
import type { CronClock } from "./cron-clock.js";
import type { CronJobStore, StoredCronJob } from "./cron-job-store.js";
import {
  applyOutcome,
  finishedRunEntry,
  finishedRunEvent,
  type RunOrigin,
  type RunOutcome,
} from "./cron-run-outcome.js";

/** Where a finished run is written: the scheduler's jobs, their store and the clients' events. */
export interface CronRunRecordTarget {
  jobs: Map<string, StoredCronJob>;
  saveJobs(): Promise<void>;
  store: Pick<CronJobStore, "appendRun">;
  clock: Pick<CronClock, "now">;
  logger: Logger;
  emit: (event: CronEvent) => void;
}

/**
 * Writes a finished run into the history and the job's state (the job as it is now, which in a cluster may have
 * been reloaded since the run started). A one-shot is done after its run: deleted after success (unless kept),
 * otherwise kept disabled. Must run under the scheduler's `exclusive`.
 */
export async function recordFinishedRun(
  target: CronRunRecordTarget,
  snapshot: StoredCronJob,
  origin: RunOrigin,
  outcome: RunOutcome,
  run: { durationMs: number; sessionKey: string | undefined },
): Promise<void> {
  const { jobs, logger, emit } = target;
  const jobId = snapshot.id;
  const job = jobs.get(jobId);
  const entry = finishedRunEntry(snapshot, origin, outcome, { ...run, now: target.clock.now() });
  if (job) {
    applyOutcome(job, outcome, run.durationMs);
    if (job.schedule.kind === "at" && job.state.nextRunAtMs === undefined) {
      if (entry.completionStatus === "succeeded" && job.deleteAfterRun !== false) jobs.delete(jobId);
      else job.enabled = false;
    }
    if (job.state.nextRunAtMs !== undefined) entry.nextRunAtMs = job.state.nextRunAtMs;
    await target.saveJobs();
  }
  await target.store.appendRun(entry);
  const fields = {
    jobId,
    runId: origin.runId,
    status: outcome.status,
    deliveryStatus: outcome.deliveryStatus,
  };
  if (outcome.status === "ok") logger.info("cron run finished", fields);
  else logger.warn("cron run finished", { ...fields, error: outcome.error });
  emit(finishedRunEvent(entry));
  if (job && !jobs.has(jobId)) emit({ jobId, action: "removed" });
}
