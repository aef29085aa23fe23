import {
  type CronAddParams,
  type CronDelivery,
  CronDeliverySchema,
  type CronJobPatch,
  type CronPayload,
} from "@openclaw/protocol";
import { CronError } from "./cron-error.js";
import { firstSlot, setOrClear } from "./cron-job-state.js";
import type { StoredCronJob } from "./cron-job-store.js";
import { isTimeSchedule, validateSchedule } from "./cron-schedule.js";

/** What `cron.add` and `cron.update` check a job against. */
export interface CronJobEditContext {
  now: number;
  /** The normalized id of a configured agent; throws `CRON_INVALID_JOB` for one that is not configured. */
  checkAgent(agentId: string): string;
  /** Refuses a job that cannot run here; `checkAgents` false skips the agent checks. */
  checkDefinition(job: StoredCronJob, checkAgents: boolean): void;
}

/** A new job from `cron.add` params, its first slot set when it is enabled. */
export async function createCronJob(
  id: string,
  params: CronAddParams,
  context: CronJobEditContext,
): Promise<StoredCronJob> {
  refuseUnsupportedExtras(params);
  const { now } = context;
  const schedule = await validateSchedule(params.schedule);
  const job: StoredCronJob = {
    id,
    name: params.name,
    enabled: params.enabled ?? true,
    createdAtMs: now,
    updatedAtMs: now,
    schedule,
    sessionTarget: params.sessionTarget,
    wakeMode: params.wakeMode,
    payload: params.payload,
    state: {},
  };
  if (params.declarationKey) job.declarationKey = params.declarationKey;
  if (params.displayName) job.displayName = params.displayName;
  if (params.description !== undefined) job.description = params.description;
  if (params.agentId) job.agentId = context.checkAgent(params.agentId);
  if (params.sessionKey) job.sessionKey = params.sessionKey;
  const deleteAfterRun = params.deleteAfterRun ?? (schedule.kind === "at" ? true : undefined);
  if (deleteAfterRun !== undefined) job.deleteAfterRun = deleteAfterRun;
  if (params.delivery) job.delivery = params.delivery;
  context.checkDefinition(job, true);
  if (job.enabled) job.state.nextRunAtMs = await firstSlot(schedule, now, job);
  return job;
}

/** `current` with a `cron.update` patch applied (a copy); rescheduled when the schedule or `enabled` changed. */
export async function patchCronJob(
  current: StoredCronJob,
  patch: CronJobPatch,
  context: CronJobEditContext,
): Promise<StoredCronJob> {
  refuseUnsupportedExtras(patch);
  const { now } = context;
  const next: StoredCronJob = structuredClone(current);
  if (patch.name !== undefined) next.name = patch.name;
  if (patch.displayName !== undefined) setOrClear(next, "displayName", patch.displayName);
  if (patch.description !== undefined) next.description = patch.description;
  if (patch.agentId !== undefined)
    setOrClear(next, "agentId", patch.agentId === null ? null : context.checkAgent(patch.agentId));
  if (patch.sessionKey !== undefined) setOrClear(next, "sessionKey", patch.sessionKey);
  if (patch.deleteAfterRun !== undefined) next.deleteAfterRun = patch.deleteAfterRun;
  if (patch.sessionTarget !== undefined) next.sessionTarget = patch.sessionTarget;
  if (patch.wakeMode !== undefined) next.wakeMode = patch.wakeMode;
  if (patch.schedule !== undefined) next.schedule = await validateSchedule(patch.schedule);
  if (patch.payload !== undefined) next.payload = mergePayload(current.payload, patch.payload);
  if (patch.delivery !== undefined) next.delivery = mergeDelivery(current.delivery, patch.delivery);
  if (patch.enabled !== undefined) next.enabled = patch.enabled;
  // A job whose agent was removed can still be renamed, paused or removed; retargeting it must name a real one.
  const retargeted = [patch.agentId, patch.sessionKey, patch.sessionTarget].some(
    (field) => field !== undefined,
  );
  context.checkDefinition(next, retargeted);
  next.updatedAtMs = Math.max(now, current.updatedAtMs);
  // A new schedule, or a job switched back on, starts a new scheduling decision from now.
  const reschedule =
    patch.schedule !== undefined ||
    (next.enabled && (!current.enabled || current.state.nextRunAtMs === undefined));
  if (!next.enabled) delete next.state.nextRunAtMs;
  else if (reschedule && isTimeSchedule(next.schedule))
    setOrClear(next.state, "nextRunAtMs", (await firstSlot(next.schedule, now, next)) ?? null);
  return next;
}

function refuseUnsupportedExtras(params: {
  owner?: unknown;
  pacing?: unknown;
  trigger?: unknown;
  failureAlert?: unknown;
}): void {
  for (const field of ["owner", "pacing", "trigger"] as const) {
    if (params[field] !== undefined && params[field] !== null) {
      throw new CronError(
        "CRON_UNSUPPORTED",
        `${field} is not supported by this gateway: remove it from the job`,
      );
    }
  }
  if (params.failureAlert !== undefined && params.failureAlert !== null && params.failureAlert !== false) {
    throw new CronError(
      "CRON_UNSUPPORTED",
      "failureAlert is not supported by this gateway: remove it (or send false); failures show in cron.runs",
    );
  }
}

function mergePayload(current: CronPayload, patch: NonNullable<CronJobPatch["payload"]>): CronPayload {
  if (patch.kind !== "agentTurn" && patch.kind !== "systemEvent") return patch as CronPayload;
  const base: Record<string, unknown> = current.kind === patch.kind ? { ...current } : { kind: patch.kind };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete base[key];
    else if (value !== undefined) base[key] = value;
  }
  if (patch.kind === "agentTurn" && typeof base.message !== "string") {
    throw new CronError("CRON_INVALID_JOB", "switching the payload to agentTurn needs payload.message");
  }
  if (patch.kind === "systemEvent" && typeof base.text !== "string") {
    throw new CronError("CRON_INVALID_JOB", "switching the payload to systemEvent needs payload.text");
  }
  return base as CronPayload;
}

function mergeDelivery(
  current: CronDelivery | undefined,
  patch: NonNullable<CronJobPatch["delivery"]>,
): CronDelivery {
  const base: Record<string, unknown> = { ...(current ?? { mode: "none" }) };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete base[key];
    else if (value !== undefined) base[key] = value;
  }
  const parsed = CronDeliverySchema.safeParse(base);
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (issue) => `${issue.path.join(".") || "delivery"}: ${issue.message}`,
    );
    throw new CronError("CRON_INVALID_JOB", `the patched delivery is invalid: ${issues.join("; ")}`);
  }
  return parsed.data;
}
