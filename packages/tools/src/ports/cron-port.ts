/**
 * What the `cron` tool needs from a gateway's scheduler. Every call carries the calling agent: an implementation
 * lists, changes and runs only that agent's jobs (a job of another agent is reported as not found) and creates jobs
 * for it alone. Jobs and run entries are OpenClaw's wire shapes (`cron.list` / `cron.runs`), passed through as they
 * are. Failures the model should see are thrown as `ToolError` (INVALID_ARGUMENTS, NOT_FOUND, DENIED, UNAVAILABLE).
 */

export interface CronCaller {
  agentId: string;
  /** The calling session: the default `sessionKey` of a job that runs in the "current" session. */
  sessionKey: string;
}

/** A job as OpenClaw's `cron.list` returns it. */
export interface CronJobView {
  id: string;
  name: string;
  enabled: boolean;
  [field: string]: unknown;
}

/** OpenClaw's job fields as the tool validated them (bounded); the implementation checks them against its schema. */
export type CronJobFields = Record<string, unknown>;

export interface CronPage {
  total: number;
  offset: number;
  limit: number;
  hasMore: boolean;
  nextOffset: number | null;
}

export interface CronSchedulerStatus {
  /** False when the scheduler is paused by config: jobs are kept but none runs. */
  enabled: boolean;
  /** The caller's jobs. */
  jobs: number;
  /** When the caller's next job is due, or null. */
  nextWakeAtMs: number | null;
}

export type CronRunOutcome =
  | { ok: true; enqueued: true; runId: string }
  | { ok: true; enqueued: false; ran: false; reason: string };

export interface CronPort {
  status(caller: CronCaller): Promise<CronSchedulerStatus>;
  list(
    caller: CronCaller,
    query: { includeDisabled?: boolean; limit?: number; offset?: number },
  ): Promise<CronPage & { jobs: CronJobView[] }>;
  get(caller: CronCaller, jobId: string): Promise<CronJobView>;
  add(caller: CronCaller, job: CronJobFields): Promise<CronJobView>;
  /** A partial patch: only the fields given change; `null` clears one. */
  update(caller: CronCaller, jobId: string, patch: CronJobFields): Promise<CronJobView>;
  remove(caller: CronCaller, jobId: string): Promise<{ ok: true; removed: boolean }>;
  /** "force" runs now; "due" runs only when the job's slot is due. */
  run(caller: CronCaller, jobId: string, mode: "due" | "force"): Promise<CronRunOutcome>;
  /** Newest first; without `jobId`, the runs of all the caller's jobs. */
  runs(
    caller: CronCaller,
    query: { jobId?: string; limit?: number; offset?: number },
  ): Promise<CronPage & { entries: Record<string, unknown>[] }>;
}
