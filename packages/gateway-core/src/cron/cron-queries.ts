import type {
  CronJob,
  CronListParams,
  CronListResult,
  CronRunLogEntry,
  CronRunsParams,
  CronRunsResult,
} from "@openclaw/protocol";
import { normalizeAgentId } from "@openclaw/sessions";
import type { StoredCronJob } from "./cron-job-store.js";

const DEFAULT_PAGE = 50;

/** `cron.list`: the jobs that match the filters, sorted and paged, in their wire shape. */
export function listCronJobs(
  all: Iterable<StoredCronJob>,
  params: CronListParams,
  agentOf: (job: StoredCronJob) => string,
): Omit<CronListResult, "snapshotRevision"> {
  const query = params?.query?.trim().toLowerCase();
  const enabledFilter = params?.enabled ?? (params?.includeDisabled ? "all" : "enabled");
  const agentId = params?.agentId ? normalizeAgentId(params.agentId) : undefined;
  const jobs = [...all].filter((job) => {
    if (enabledFilter === "enabled" && !job.enabled) return false;
    if (enabledFilter === "disabled" && job.enabled) return false;
    if (params?.scheduleKind && params.scheduleKind !== "all" && job.schedule.kind !== params.scheduleKind)
      return false;
    const last = job.state.lastRunStatus ?? "unknown";
    if (params?.lastRunStatus && params.lastRunStatus !== "all" && last !== params.lastRunStatus)
      return false;
    // No job here has a condition trigger.
    if (params?.trigger === "conditional") return false;
    if (agentId && agentOf(job) !== agentId) return false;
    if (query) {
      const haystack = [job.id, job.name, job.displayName, job.description].join("\n").toLowerCase();
      if (!haystack.includes(query)) return false;
    }
    return true;
  });
  const direction = params?.sortDir === "desc" ? -1 : 1;
  const sortBy = params?.sortBy ?? "nextRunAtMs";
  jobs.sort((a, b) => {
    if (sortBy === "name") return direction * a.name.localeCompare(b.name);
    if (sortBy === "updatedAtMs") return direction * (a.updatedAtMs - b.updatedAtMs);
    const an = a.state.nextRunAtMs ?? Number.MAX_SAFE_INTEGER;
    const bn = b.state.nextRunAtMs ?? Number.MAX_SAFE_INTEGER;
    return direction * (an - bn) || a.createdAtMs - b.createdAtMs;
  });
  const { items, ...page } = paginate(jobs.map(toWireJob), params?.offset, params?.limit);
  return { jobs: items, ...page };
}

/**
 * `cron.runs`: history entries that match the filters, newest first unless asked otherwise, paged. `agentOf`
 * names the agent of a job still configured (undefined for a removed job, which an agent filter leaves out).
 */
export function filterCronRuns(
  entries: CronRunLogEntry[],
  params: CronRunsParams,
  agentOf: (jobId: string) => string | undefined,
): CronRunsResult {
  const statuses = new Set<string>(
    params?.statuses ?? (params?.status && params.status !== "all" ? [params.status] : []),
  );
  const deliveries = new Set<string>(
    params?.deliveryStatuses ?? (params?.deliveryStatus ? [params.deliveryStatus] : []),
  );
  const query = params?.query?.trim().toLowerCase();
  const agentId = params?.agentId ? normalizeAgentId(params.agentId) : undefined;
  const matching = entries.filter((entry) => {
    if (params?.runId && entry.runId !== params.runId) return false;
    if (statuses.size > 0 && !statuses.has(entry.status ?? "")) return false;
    if (deliveries.size > 0 && !deliveries.has(entry.deliveryStatus ?? "unknown")) return false;
    if (agentId && agentOf(entry.jobId) !== agentId) return false;
    if (query) {
      const haystack = [entry.jobName, entry.summary, entry.error].join("\n").toLowerCase();
      if (!haystack.includes(query)) return false;
    }
    return true;
  });
  const direction = params?.sortDir === "asc" ? 1 : -1;
  matching.sort((a, b) => direction * (a.ts - b.ts));
  const { items, ...page } = paginate(matching, params?.offset, params?.limit);
  return { entries: items, ...page };
}

/** The wire shape: the stored job plus OpenClaw's top-level copies of the state fields. */
export function toWireJob(job: StoredCronJob): CronJob {
  const wire: CronJob = structuredClone(job);
  const state = job.state;
  if (state.nextRunAtMs !== undefined) wire.nextRunAtMs = state.nextRunAtMs;
  if (state.lastRunAtMs !== undefined) wire.lastRunAtMs = state.lastRunAtMs;
  if (state.lastRunStatus !== undefined) wire.lastRunStatus = state.lastRunStatus;
  if (state.lastError !== undefined) wire.lastRunError = state.lastError;
  if (state.lastDelivered !== undefined) wire.lastDelivered = state.lastDelivered;
  if (state.lastDeliveryStatus !== undefined) wire.lastDeliveryStatus = state.lastDeliveryStatus;
  if (state.lastDeliveryError !== undefined) wire.lastDeliveryError = state.lastDeliveryError;
  return wire;
}

function paginate<T>(items: T[], offset = 0, limit = DEFAULT_PAGE) {
  const page = items.slice(offset, offset + limit);
  const hasMore = offset + page.length < items.length;
  return {
    items: page,
    total: items.length,
    offset,
    limit,
    hasMore,
    nextOffset: hasMore ? offset + page.length : null,
  };
}
