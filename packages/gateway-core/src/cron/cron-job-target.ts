import {
  buildCronSessionKey,
  buildMainSessionKey,
  isSessionError,
  normalizeAgentId,
  normalizeSessionKey,
  parseSessionKey,
} from "@openclaw/sessions";
import { CronError } from "./cron-error.js";
import type { StoredCronJob } from "./cron-job-store.js";

/** The configured agents; without a roster any agent id is accepted and the default is `main`. */
export interface CronAgentRoster {
  ids: readonly string[];
  defaultId: string;
}

export interface CronTargetContext {
  roster: CronAgentRoster | undefined;
  /** `session.mainKey`, for jobs that run in the main session. */
  mainKey: string | undefined;
}

export function defaultCronAgentId(roster: CronAgentRoster | undefined): string {
  return normalizeAgentId(roster?.defaultId);
}

/**
 * The normalized id when `agentId` is configured; throws `CRON_INVALID_JOB` otherwise, since a run for it would
 * create `agents/<id>/` in the state directory.
 */
export function checkCronAgent(
  agentId: string,
  roster: CronAgentRoster | undefined,
  what = "agentId",
): string {
  const id = normalizeAgentId(agentId);
  if (roster && !roster.ids.some((known) => normalizeAgentId(known) === id)) {
    throw new CronError(
      "CRON_INVALID_JOB",
      `${what} "${agentId}" is not a configured agent: use one of ${roster.ids.join(", ") || "(none configured)"}, or add it under agents.list`,
    );
  }
  return id;
}

/** The session a job runs in; throws `CRON_INVALID_JOB` for one the sessions package refuses. */
export function cronSessionKey(job: StoredCronJob, agentId: string, mainKey: string | undefined): string {
  const target = job.sessionTarget;
  try {
    if (target === "isolated") return buildCronSessionKey(job.id, agentId);
    if (target === "main") return buildMainSessionKey(agentId, mainKey);
    const raw = target === "current" ? (job.sessionKey ?? "") : target.slice("session:".length);
    const key = normalizeSessionKey(raw, { agentId, mainKey });
    return key.startsWith("agent:") ? key : normalizeSessionKey(`agent:${agentId}:${key}`);
  } catch (error) {
    if (!isSessionError(error)) throw error;
    throw new CronError("CRON_INVALID_JOB", `the job's session is invalid: ${error.message}`, {
      cause: error,
    });
  }
}

/**
 * The agent and session a job runs as, both checked against the roster: its `agentId` (or the default agent) and
 * the agent an `agent:<id>:...` session key names. Throws `CRON_INVALID_JOB` when either is not configured.
 */
export function resolveCronTarget(
  job: StoredCronJob,
  context: CronTargetContext,
): { agentId: string; sessionKey: string } {
  const agentId = checkCronAgent(job.agentId ?? defaultCronAgentId(context.roster), context.roster);
  const sessionKey = cronSessionKey(job, agentId, context.mainKey);
  const sessionAgent = parseSessionKey(sessionKey)?.agentId;
  if (sessionAgent !== undefined) checkCronAgent(sessionAgent, context.roster, "the session key's agent");
  return { agentId, sessionKey };
}

/** What a job must be to run here; refused at add/update time rather than failing at 3 am. */
export function checkCronJobDefinition(
  job: StoredCronJob,
  context: CronTargetContext & { canDeliver: boolean; checkAgents: boolean },
): void {
  if (job.payload.kind !== "agentTurn" && job.payload.kind !== "systemEvent") {
    throw new CronError(
      "CRON_UNSUPPORTED",
      `payload kind "${job.payload.kind}" is not supported by this gateway: use "agentTurn" (or "systemEvent")`,
    );
  }
  if (job.sessionTarget === "current" && !job.sessionKey) {
    throw new CronError(
      "CRON_INVALID_JOB",
      'sessionTarget "current" needs sessionKey (the session the job belongs to): pass it, or use "main" or "isolated"',
    );
  }
  if (context.checkAgents) resolveCronTarget(job, context);
  else cronSessionKey(job, job.agentId ?? defaultCronAgentId(context.roster), context.mainKey);
  const delivery = job.delivery;
  if (!delivery || delivery.mode === "none") return;
  if (delivery.mode === "webhook") {
    throw new CronError(
      "CRON_UNSUPPORTED",
      'delivery mode "webhook" is not supported by this gateway: use "announce" with channel and to, or "none"',
    );
  }
  if (!delivery.channel || delivery.channel === "last" || !delivery.to) {
    throw new CronError(
      "CRON_INVALID_JOB",
      'announce delivery needs a concrete channel and to (channel "last" is not resolved here): e.g. { mode: "announce", channel: "telegram", to: "<chat id>" }; with OpenClaw\'s CLI pass --channel <channel> --to <chat id>, or --no-deliver',
    );
  }
  if (!context.canDeliver) {
    throw new CronError(
      "CRON_UNSUPPORTED",
      'this gateway cannot deliver cron answers to a channel: use delivery mode "none"',
    );
  }
}
