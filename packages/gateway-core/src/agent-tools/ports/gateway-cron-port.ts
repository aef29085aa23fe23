import {
  type CronAddParams,
  CronAddParamsSchema,
  type CronJob,
  type CronJobPatch,
  CronJobPatchSchema,
} from "@openclaw/protocol";
import { isSessionError, normalizeAgentId, normalizeSessionKey, parseSessionKey } from "@openclaw/sessions";
import {
  type CronCaller,
  type CronJobFields,
  type CronJobView,
  type CronPort,
  ToolError,
} from "@openclaw/tools/config";
import { z } from "zod";
import { isCronError } from "../../cron/cron-error.js";
import type { CronService } from "../../cron/cron-service.js";
import { type GatewayMessagingDeps, resolveOutboundTarget } from "./gateway-messaging-port.js";

export interface GatewayCronDeps extends Omit<GatewayMessagingDeps, "channels"> {
  cron: Pick<CronService, "status" | "list" | "get" | "add" | "update" | "remove" | "run" | "runs">;
  /** The agent a job without `agentId` runs as. */
  defaultAgentId(): string;
  mainKey(): string | undefined;
}

/**
 * The `cron` tool's port over the scheduler, scoped to the calling agent: it sees and changes only jobs that run
 * as that agent, creates jobs for it alone, may not point a job at another agent's session, and may announce a
 * job's answer only to a chat it could message itself. A new agent-turn job without delivery is announced to the
 * calling session's conversation when it has one, as OpenClaw does for reminders.
 */
export function createGatewayCronPort(deps: GatewayCronDeps): CronPort {
  const owns = (job: CronJob, caller: CronCaller) =>
    normalizeAgentId(job.agentId ?? deps.defaultAgentId()) === caller.agentId;
  const ownJob = (caller: CronCaller, jobId: string): CronJob => {
    const job = translate(() => deps.cron.get(jobId));
    if (!owns(job, caller)) throw notFound(jobId);
    return job;
  };
  const checkSessions = (
    caller: CronCaller,
    fields: { sessionTarget?: string; sessionKey?: string | null },
  ) => {
    const keys = [fields.sessionKey ?? undefined];
    if (fields.sessionTarget?.startsWith("session:"))
      keys.push(fields.sessionTarget.slice("session:".length));
    for (const raw of keys) {
      if (!raw) continue;
      const key = translate(() =>
        normalizeSessionKey(raw, { agentId: caller.agentId, mainKey: deps.mainKey() }),
      );
      const agent = parseSessionKey(key)?.agentId ?? caller.agentId;
      if (agent !== caller.agentId) {
        throw new ToolError(
          "DENIED",
          `cron: a job of agent "${caller.agentId}" cannot run in ${key}, a session of agent "${agent}"`,
        );
      }
    }
  };
  const checkDelivery = (
    caller: CronCaller,
    delivery: CronAddParams["delivery"] | CronJobPatch["delivery"],
  ) => {
    if (delivery?.mode !== "announce" || !delivery.channel || delivery.channel === "last" || !delivery.to)
      return;
    resolveOutboundTarget(deps, {
      requesterSessionKey: caller.sessionKey,
      channel: delivery.channel,
      to: delivery.to,
      ...(delivery.accountId ? { accountId: delivery.accountId } : {}),
      ...(delivery.threadId !== undefined && delivery.threadId !== null
        ? { threadId: String(delivery.threadId) }
        : {}),
    });
  };

  return {
    async status(caller) {
      const status = deps.cron.status();
      const own = deps.cron.list({ includeDisabled: true, agentId: caller.agentId, limit: 200 });
      const next = own.jobs
        .map((job) => (job.enabled ? job.state.nextRunAtMs : undefined))
        .filter((at): at is number => at !== undefined)
        .sort((a, b) => a - b)[0];
      return { enabled: status.enabled, jobs: own.total, nextWakeAtMs: next ?? null };
    },
    async list(caller, query) {
      const page = translate(() =>
        deps.cron.list({
          agentId: caller.agentId,
          ...(query.includeDisabled ? { includeDisabled: true } : {}),
          ...(query.limit !== undefined ? { limit: query.limit } : {}),
          ...(query.offset !== undefined ? { offset: query.offset } : {}),
        }),
      );
      return { ...page, jobs: page.jobs.map(view) };
    },
    async get(caller, jobId) {
      return view(ownJob(caller, jobId));
    },
    async add(caller, fields) {
      const params = parse(CronAddParamsSchema, { ...fields, agentId: caller.agentId }, "job");
      checkSessions(caller, params);
      if (params.delivery === undefined && params.payload.kind === "agentTurn") {
        const route = deps.routeOf(caller.sessionKey);
        if (route) params.delivery = { mode: "announce", ...route };
      }
      checkDelivery(caller, params.delivery);
      return view(await translateAsync(() => deps.cron.add(params)));
    },
    async update(caller, jobId, fields) {
      ownJob(caller, jobId);
      if ("agentId" in fields) {
        throw new ToolError(
          "DENIED",
          "cron: a job cannot be moved to another agent from a tool; leave agentId out",
        );
      }
      const patch = parse(CronJobPatchSchema, fields, "job");
      checkSessions(caller, patch);
      checkDelivery(caller, patch.delivery as CronAddParams["delivery"]);
      return view(await translateAsync(() => deps.cron.update(jobId, patch)));
    },
    async remove(caller, jobId) {
      ownJob(caller, jobId);
      return translateAsync(() => deps.cron.remove(jobId));
    },
    async run(caller, jobId, mode) {
      ownJob(caller, jobId);
      return translateAsync(() => deps.cron.run(jobId, mode));
    },
    async runs(caller, query) {
      if (query.jobId !== undefined) ownJob(caller, query.jobId);
      const page = await translateAsync(() =>
        deps.cron.runs({
          agentId: caller.agentId,
          ...(query.jobId !== undefined
            ? { scope: "job" as const, id: query.jobId }
            : { scope: "all" as const }),
          ...(query.limit !== undefined ? { limit: query.limit } : {}),
          ...(query.offset !== undefined ? { offset: query.offset } : {}),
        }),
      );
      return { ...page, entries: page.entries as Record<string, unknown>[] };
    },
  };
}

function view(job: CronJob): CronJobView {
  return job as CronJobView;
}

function notFound(jobId: string): ToolError {
  return new ToolError("NOT_FOUND", `cron: no job ${jobId} of yours; list your jobs with action "list"`);
}

function parse<S extends z.ZodType>(schema: S, value: CronJobFields, what: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new ToolError("INVALID_ARGUMENTS", `cron: invalid ${what}\n${z.prettifyError(parsed.error)}`);
}

function toToolError(error: unknown): unknown {
  if (isSessionError(error)) return new ToolError("INVALID_ARGUMENTS", `cron: ${error.message}`);
  if (!isCronError(error)) return error;
  if (error.code === "CRON_JOB_NOT_FOUND") return notFound(error.jobId ?? "");
  if (error.code === "CRON_STORE_IO" || error.code === "CRON_STOPPED") {
    return new ToolError("UNAVAILABLE", `cron: ${error.message}`);
  }
  return new ToolError("INVALID_ARGUMENTS", `cron: ${error.message}`);
}

function translate<T>(call: () => T): T {
  try {
    return call();
  } catch (error) {
    throw toToolError(error);
  }
}

async function translateAsync<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toToolError(error);
  }
}
