import type { AgentTool } from "@openclaw/agent";
import { parseToolArgs } from "../fs/fs-tool-context.js";
import type { CronCaller, CronJobView, CronPort } from "../ports/cron-port.js";
import { refuseUnsupportedParams } from "../sessions/refuse-unsupported-params.js";
import { ToolError } from "../tool-error.js";
import { type CronToolArgs, CronToolSchema, withCreateDefaults } from "./cron-tool-schema.js";

const DEFAULT_LIST_LIMIT = 50;
const PREVIEW_CHARS = 200;

const UNSUPPORTED = {
  contextMessages:
    "recent-context lines are not added to reminders here; write what matters into the job text",
  in: 'action "next_check" is not available here',
  text: 'action "wake" is not available here',
  mode: 'action "wake" is not available here',
  sessionKey: 'action "wake" is not available here; to target a session, set job.sessionTarget',
};

export function createCronTool(port: CronPort): AgentTool {
  return {
    name: "cron",
    description:
      'Schedule, list, change, run and remove your own jobs. action="add" with job {schedule: {kind:"at", at:"<ISO time>"} | {kind:"every", everyMs} | {kind:"cron", expr, tz?}, payload: {kind:"agentTurn", message} | {kind:"systemEvent", text}, sessionTarget?: "current" (default) | "main" | "isolated", delivery?}. Other actions: status, list, get, update (partial job), remove, run, runs; name the job with jobId.',
    parameters: CronToolSchema,
    async execute(rawArgs, ctx) {
      refuseUnsupportedParams("cron", rawArgs, UNSUPPORTED);
      const args = parseToolArgs("cron", CronToolSchema, rawArgs);
      const caller: CronCaller = { agentId: ctx.agentId, sessionKey: ctx.sessionKey };
      switch (args.action) {
        case "status":
          return port.status(caller);
        case "list":
          return list(port, caller, args);
        case "get":
          return port.get(caller, jobIdOf(args));
        case "add": {
          if (!args.job)
            throw new ToolError("INVALID_ARGUMENTS", 'cron: action "add" needs job (schedule and payload)');
          return port.add(caller, withCreateDefaults(args.job, ctx.sessionKey));
        }
        case "update": {
          const id = jobIdOf(args);
          if (!args.job || Object.keys(args.job).length === 0) {
            throw new ToolError(
              "INVALID_ARGUMENTS",
              'cron: action "update" needs job with the fields to change',
            );
          }
          return port.update(caller, id, args.job);
        }
        case "remove":
          return port.remove(caller, jobIdOf(args));
        case "run":
          return port.run(caller, jobIdOf(args), args.runMode ?? "due");
        case "runs":
          return port.runs(caller, {
            ...((args.jobId ?? args.id) ? { jobId: args.jobId ?? args.id } : {}),
            ...(args.limit ? { limit: args.limit } : {}),
            ...(args.offset ? { offset: args.offset } : {}),
          });
        default:
          throw new ToolError(
            "INVALID_ARGUMENTS",
            `cron: action "${args.action}" is not available here (it belongs to a running job's heartbeat); add a one-shot job with schedule {kind:"at"} instead`,
          );
      }
    },
  };
}

function jobIdOf(args: CronToolArgs): string {
  const id = args.jobId ?? args.id;
  if (id === undefined) throw new ToolError("INVALID_ARGUMENTS", `cron: action "${args.action}" needs jobId`);
  return id;
}

async function list(port: CronPort, caller: CronCaller, args: CronToolArgs) {
  if (args.agentId !== undefined && args.agentId.toLowerCase() !== caller.agentId) {
    throw new ToolError("DENIED", `cron: only your own agent's jobs ("${caller.agentId}") are visible here`);
  }
  const page = await port.list(caller, {
    ...(args.includeDisabled ? { includeDisabled: true } : {}),
    limit: args.limit ?? DEFAULT_LIST_LIMIT,
    ...(args.offset ? { offset: args.offset } : {}),
  });
  return { ...page, jobs: page.jobs.map(compactJob), scope: "caller" };
}

/** OpenClaw's compact list row: schedule and last-run state, the payload cut to a preview. */
function compactJob(job: CronJobView) {
  const state = (job.state ?? {}) as Record<string, unknown>;
  const schedule = job.schedule as { kind?: string } | undefined;
  const payload = (job.payload ?? {}) as { kind?: string; message?: unknown; text?: unknown };
  const body =
    typeof payload.message === "string"
      ? payload.message
      : typeof payload.text === "string"
        ? payload.text
        : "";
  const nextRunAtMs = numberOrNull(state.nextRunAtMs);
  const lastRunAtMs = numberOrNull(state.lastRunAtMs);
  return {
    id: job.id,
    name: job.name,
    ...(typeof job.agentId === "string" ? { agentId: job.agentId } : {}),
    ...(typeof job.displayName === "string" ? { displayName: job.displayName } : {}),
    enabled: job.enabled,
    scheduleKind: schedule?.kind ?? "unknown",
    schedule: job.schedule,
    sessionTarget: job.sessionTarget,
    payloadKind: payload.kind,
    payloadPreview: body.length > PREVIEW_CHARS ? `${body.slice(0, PREVIEW_CHARS)}…` : body,
    nextRunAt: nextRunAtMs === null ? null : new Date(nextRunAtMs).toISOString(),
    nextRunAtMs,
    lastRunAt: lastRunAtMs === null ? null : new Date(lastRunAtMs).toISOString(),
    lastRunAtMs,
    lastRunStatus: typeof state.lastRunStatus === "string" ? state.lastRunStatus : null,
    lastRunError: typeof state.lastError === "string" ? state.lastError : null,
  };
}

function numberOrNull(value: unknown): number | null {
  return typeof value === "number" ? value : null;
}
