import type { CronEvent, CronTimeSchedule } from "@openclaw/protocol";
import type { StoredCronJob } from "./cron-job-store.js";
import { nextSlotAfter, parseAtMs } from "./cron-schedule.js";

/** Sets an optional field, or deletes it for null/undefined (stored jobs carry no `undefined` keys). */
export function setOrClear<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | null): void {
  if (value === null || value === undefined) delete target[key];
  else target[key] = value;
}

/** The first slot of a new or rescheduled job: an `at` in the past still runs (once, at the next tick). */
export async function firstSlot(
  schedule: CronTimeSchedule,
  now: number,
  job: { id: string; createdAtMs: number },
): Promise<number | undefined> {
  if (schedule.kind === "at") return parseAtMs(schedule.at);
  return nextSlotAfter(schedule, now, job);
}

/** The `cron` event of a job change (`added`, `updated`, `started`). */
export function jobEvent(job: StoredCronJob, action: CronEvent["action"]): CronEvent {
  const event: CronEvent = { jobId: job.id, action };
  if (job.state.nextRunAtMs !== undefined) event.nextRunAtMs = job.state.nextRunAtMs;
  return event;
}
