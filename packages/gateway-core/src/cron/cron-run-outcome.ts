import type { CronEvent, CronRunLogEntry, CronRunStatus } from "@openclaw/protocol";
import { setOrClear } from "./cron-job-state.js";
import type { StoredCronJob } from "./cron-job-store.js";

/** Which run this is: its id and the slot (or the moment of a manual run) it was claimed for. */
export interface RunOrigin {
  runId: string;
  runAtMs: number;
}

/** How a run ended, before it is written into the job's state and history. */
export interface RunOutcome {
  status: CronRunStatus;
  error?: string;
  summary?: string;
  model?: string;
  delivered?: boolean;
  deliveryStatus: "delivered" | "not-delivered" | "unknown" | "not-requested";
  deliveryError?: string;
}

/** Writes a finished run into the job's state (the `last*` fields and the counters). */
export function applyOutcome(job: StoredCronJob, outcome: RunOutcome, durationMs: number): void {
  const state = job.state;
  delete state.runningAtMs;
  state.lastRunStatus = outcome.status;
  state.lastStatus = outcome.status;
  state.lastDurationMs = durationMs;
  setOrClear(state, "lastError", outcome.error ?? null);
  state.consecutiveErrors = outcome.status === "error" ? (state.consecutiveErrors ?? 0) + 1 : 0;
  if (outcome.status !== "skipped") state.consecutiveSkipped = 0;
  state.lastDeliveryStatus = outcome.deliveryStatus;
  setOrClear(state, "lastDelivered", outcome.delivered ?? null);
  setOrClear(state, "lastDeliveryError", outcome.deliveryError ?? null);
}

/** The history entry of a finished run; a run that asked for delivery and got none did not succeed. */
export function finishedRunEntry(
  job: StoredCronJob,
  origin: RunOrigin,
  outcome: RunOutcome,
  run: { now: number; durationMs: number; sessionKey: string | undefined },
): CronRunLogEntry {
  const entry: CronRunLogEntry = {
    ts: run.now,
    jobId: job.id,
    action: "finished",
    status: outcome.status,
    completionStatus:
      outcome.status === "ok" && outcome.deliveryStatus !== "not-delivered" ? "succeeded" : "failed",
    runId: origin.runId,
    runAtMs: origin.runAtMs,
    durationMs: run.durationMs,
    deliveryStatus: outcome.deliveryStatus,
    jobName: job.name,
  };
  if (outcome.error) entry.error = outcome.error;
  if (outcome.summary) entry.summary = outcome.summary;
  if (outcome.delivered !== undefined) entry.delivered = outcome.delivered;
  if (outcome.deliveryError) entry.deliveryError = outcome.deliveryError;
  if (outcome.model) entry.model = outcome.model;
  if (run.sessionKey) entry.sessionKey = run.sessionKey;
  return entry;
}

/** The `cron` event of a finished run: the history entry's fields clients are told about. */
export function finishedRunEvent(entry: CronRunLogEntry): CronEvent {
  const event: CronEvent = { jobId: entry.jobId, action: "finished" };
  const fields = [
    "runId",
    "runAtMs",
    "durationMs",
    "status",
    "deliveryStatus",
    "error",
    "summary",
    "delivered",
    "sessionKey",
    "nextRunAtMs",
  ] as const;
  for (const field of fields) {
    if (entry[field] !== undefined) Object.assign(event, { [field]: entry[field] });
  }
  return event;
}

/** A history entry for slots that did not run (missed, or the previous run still going). */
export function skippedRunEntry(job: StoredCronJob, now: number, summary: string): CronRunLogEntry {
  return {
    ts: now,
    jobId: job.id,
    action: "finished",
    status: "skipped",
    summary,
    jobName: job.name,
    runAtMs: now,
  };
}
