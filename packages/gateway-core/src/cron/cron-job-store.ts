import type { CronJob, CronRunLogEntry } from "@openclaw/protocol";

/** A job as stored: the wire shape without the top-level copies of `state` fields (those are derived). */
export type StoredCronJob = Omit<
  CronJob,
  | "nextRunAtMs"
  | "lastRunAtMs"
  | "lastRunStatus"
  | "lastRunError"
  | "lastDelivered"
  | "lastDeliveryStatus"
  | "lastDeliveryError"
>;

/** Run history kept per job, as in OpenClaw: the newest 2000 entries. */
export const MAX_RUNS_PER_JOB = 2_000;

/**
 * Where the scheduler keeps its jobs and their run history. Two implementations: the files under
 * `<stateDir>/cron/` (`FileCronStore`, the default) and the storage port's tables (`createTableCronStore`).
 *
 * What the scheduler relies on:
 * - `save` resolves only once the list is durable: a run starts after its slot's claim is saved, so a restart
 *   never runs a claimed slot twice. Saves are applied in call order.
 * - `appendRun` resolves once the entry is durable, and a job's history stays bounded (the newest
 *   `MAX_RUNS_PER_JOB`, trimmed in batches, so it may briefly hold up to a tenth more).
 * - Entries that do not validate are never handed out and never destroyed: they stay where a later version can
 *   recover them.
 */
export interface CronJobStore {
  /** Where the jobs live, shown as `cron.status` `storePath`. */
  readonly location: string;
  load(): Promise<StoredCronJob[]>;
  /** Replaces the stored list with `jobs`. */
  save(jobs: readonly StoredCronJob[]): Promise<void>;
  appendRun(entry: CronRunLogEntry): Promise<void>;
  /** A job's history, oldest first. */
  readRuns(jobId: string): Promise<CronRunLogEntry[]>;
  /** Waits for pending writes (the gateway stopping). */
  flush(): Promise<void>;
}
