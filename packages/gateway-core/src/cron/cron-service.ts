import { createHash, randomUUID } from "node:crypto";
import type {
  CronAddParams,
  CronEvent,
  CronJob,
  CronJobPatch,
  CronListParams,
  CronListResult,
  CronRunLogEntry,
  CronRunMode,
  CronRunResult,
  CronRunsParams,
  CronRunsResult,
  CronStatusResult,
} from "@openclaw/protocol";
import { normalizeAgentId } from "@openclaw/sessions";
import { type Logger, silentLogger } from "../logging/logger.js";
import { type CronClock, systemCronClock } from "./cron-clock.js";
import { ClusterCronCoordination, type CronCoordination } from "./cron-coordination.js";
import { CronError } from "./cron-error.js";
import { FileCronStore } from "./cron-file-store.js";
import { type CronJobEditContext, createCronJob, patchCronJob } from "./cron-job-edits.js";
import { jobEvent } from "./cron-job-state.js";
import type { CronJobStore, StoredCronJob } from "./cron-job-store.js";
import { checkCronAgent, checkCronJobDefinition, defaultCronAgentId } from "./cron-job-target.js";
import { CronLeadership } from "./cron-leadership.js";
import { filterCronRuns, listCronJobs, toWireJob } from "./cron-queries.js";
import { CronRunExecutor } from "./cron-run-executor.js";
import { CronScheduler } from "./cron-scheduler.js";
import {
  type CronServiceOptions,
  type CronSettings,
  DEFAULT_CATCH_UP_DELAY_MS,
  DEFAULT_STOP_GRACE_MS,
} from "./cron-service-options.js";

export { toWireJob } from "./cron-queries.js";
export {
  type CronChat,
  type CronDeliveryRequest,
  type CronServiceOptions,
  type CronSettings,
  DEFAULT_CATCH_UP_DELAY_MS,
} from "./cron-service-options.js";

/**
 * The scheduler: stored jobs (the files under `<stateDir>/cron/`, or the storage port's tables through an injected
 * `store`), a timer on an injectable clock, and runs that go through the chat service like any other turn, with the
 * answer optionally delivered to a channel peer.
 *
 * Exactly once per slot: before a run starts, the slot is claimed in the store (`state.runningAtMs`, `lastRunAtMs`,
 * and `nextRunAtMs` moved past it). A restart therefore never runs a claimed slot again; a run that was cut short by
 * the restart is recorded as an `error` ("interrupted") and is not replayed. One run per job at a time: a slot that
 * falls due while the previous run is still going is skipped and recorded.
 *
 * Catch-up policy for slots missed while the gateway was down: each enabled job whose `nextRunAtMs` passed gets
 * at most ONE catch-up run, `catchUpDelayMs` (10 s) after start, so start-up itself stays free of model calls. The
 * older missed slots are skipped and recorded as one `skipped` history entry that counts them. With
 * `cron.skipMissedJobs: true` recurring jobs (`every`, `cron`) get no catch-up run: they move to their next future
 * slot and the skip is recorded. A one-shot (`at`) job that was missed always runs once, however late.
 */
export class CronService {
  readonly #store: CronJobStore;
  readonly #scheduler: CronScheduler;
  readonly #emit: (event: CronEvent) => void;
  readonly #clock: CronClock;
  readonly #logger: Logger;
  readonly #agents: CronServiceOptions["agents"];
  readonly #mainKey: () => string | undefined;
  readonly #settings: () => CronSettings;
  readonly #canDeliver: boolean;
  readonly #coordination: CronCoordination | undefined;
  readonly #leadership: CronLeadership | undefined;
  #unsubscribe: (() => void) | undefined;

  constructor(options: CronServiceOptions) {
    this.#logger = options.logger ?? silentLogger;
    this.#store = options.store ?? new FileCronStore(options.stateDir, this.#logger);
    this.#emit = options.emit ?? (() => undefined);
    this.#clock = options.clock ?? systemCronClock;
    this.#agents = options.agents;
    this.#mainKey = options.mainKey ?? (() => undefined);
    this.#settings = options.settings ?? (() => ({ enabled: true, skipMissedJobs: false }));
    this.#canDeliver = options.deliver !== undefined;
    const executor = new CronRunExecutor({
      chat: options.chat,
      deliver: options.deliver,
      clock: this.#clock,
      logger: this.#logger,
      targetContext: () => ({ roster: this.#agents?.(), mainKey: this.#mainKey() }),
      ...(options.heartbeat ? { heartbeat: options.heartbeat } : {}),
    });
    const cluster = options.cluster;
    this.#coordination = cluster ? new ClusterCronCoordination(cluster, this.#logger) : undefined;
    this.#scheduler = new CronScheduler({
      store: this.#store,
      executor,
      clock: this.#clock,
      logger: this.#logger,
      emit: this.#emit,
      settings: this.#settings,
      catchUpDelayMs: options.catchUpDelayMs ?? DEFAULT_CATCH_UP_DELAY_MS,
      stopGraceMs: options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS,
      ...(this.#coordination ? { coordination: this.#coordination } : {}),
    });
    this.#leadership = cluster
      ? new CronLeadership({
          cluster,
          logger: this.#logger,
          ...(options.leaderRetryMs === undefined ? {} : { retryMs: options.leaderRetryMs }),
          lead: () => this.#scheduler.lead(),
          follow: () => this.#scheduler.follow(),
        })
      : undefined;
  }

  /** In a cluster: whether this instance holds the cron leader lease (arms the timer). Alone: always true. */
  get leading(): boolean {
    return this.#leadership ? this.#leadership.leading : true;
  }

  /** Where the jobs live: the jobs file, or the table store's location. */
  get storePath(): string {
    return this.#store.location;
  }

  /**
   * Loads the jobs, settles runs a previous process left unfinished, applies the catch-up policy, arms the timer.
   * In a cluster the last three wait for the cron leader lease (tried at once, then every `leaderRetryMs`), and
   * the jobs are reloaded whenever another instance changes them.
   */
  async start(): Promise<void> {
    // Subscribed before loading, so a change made meanwhile is reloaded after the load, not missed.
    this.#unsubscribe ??= this.#coordination?.onChange(() => this.#scheduler.requestReload());
    await this.#scheduler.start();
    await this.#leadership?.start();
  }

  /**
   * Stops the timer and waits (briefly) for runs in flight, so their answers are delivered and recorded. In a
   * cluster the leader lease is given back first, so another instance takes over at once.
   */
  async stop(): Promise<void> {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    await this.#leadership?.stop();
    await this.#scheduler.stop();
  }

  /** Resolves once no tick, claim or run is in progress (tests wait on it after moving the clock). */
  settled(): Promise<void> {
    return this.#scheduler.settled();
  }

  status(): CronStatusResult {
    return {
      enabled: this.#settings().enabled,
      storePath: this.#store.location,
      jobs: this.#scheduler.jobs.size,
      nextWakeAtMs: this.#scheduler.nextWake() ?? null,
    };
  }

  /**
   * One page of jobs, with OpenClaw's `snapshotRevision`: a digest of every job as stored, so a client paging
   * through the list can tell the jobs changed between its pages (OpenClaw's CLI refuses a page without it).
   */
  list(params: CronListParams = {}): CronListResult {
    const jobs = [...this.#scheduler.jobs.values()];
    const digest = createHash("sha256");
    for (const job of [...jobs].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
      digest.update(JSON.stringify(job));
    }
    return {
      ...listCronJobs(jobs, params, (job) => this.#agentOf(job)),
      snapshotRevision: `sha256:${digest.digest("base64url")}`,
    };
  }

  /** One job in its wire shape; throws `CRON_JOB_NOT_FOUND`. */
  get(jobId: string): CronJob {
    return toWireJob(this.#require(jobId));
  }

  async add(params: CronAddParams): Promise<CronJob> {
    this.#scheduler.assertAccepting();
    const jobId = randomUUID();
    const job = await this.#scheduler.mutate(async () => {
      const job = await createCronJob(jobId, params, this.#editContext());
      this.#scheduler.jobs.set(job.id, job);
      await this.#scheduler.saveJobs();
      return job;
    });
    this.#logger.info("cron job added", { jobId: job.id, name: job.name, schedule: job.schedule.kind });
    this.#emit(jobEvent(job, "added"));
    this.#scheduler.arm();
    return toWireJob(job);
  }

  async update(jobId: string, patch: CronJobPatch): Promise<CronJob> {
    this.#scheduler.assertAccepting();
    const job = await this.#scheduler.mutate(async () => {
      const next = await patchCronJob(this.#require(jobId), patch, this.#editContext());
      this.#scheduler.jobs.set(jobId, next);
      await this.#scheduler.saveJobs();
      return next;
    });
    this.#emit(jobEvent(job, "updated"));
    this.#scheduler.arm();
    return toWireJob(job);
  }

  async remove(jobId: string): Promise<{ ok: true; removed: boolean }> {
    this.#scheduler.assertAccepting();
    await this.#scheduler.mutate(async () => {
      this.#require(jobId);
      this.#scheduler.jobs.delete(jobId);
      await this.#scheduler.saveJobs();
    });
    this.#logger.info("cron job removed", { jobId });
    this.#emit({ jobId, action: "removed" });
    this.#scheduler.arm();
    return { ok: true, removed: true };
  }

  /**
   * Starts a run now and returns its id; follow it with `runs`. `force` (the default) runs even a disabled job
   * and leaves its schedule alone; `if-enabled` refuses a disabled job; `due` runs only a job whose slot is due
   * and consumes that slot.
   */
  async run(jobId: string, mode: CronRunMode = "force"): Promise<CronRunResult> {
    this.#scheduler.assertAccepting();
    const started = await this.#scheduler.mutate(async () => {
      const job = this.#require(jobId);
      if (this.#scheduler.isRunning(jobId)) return "already-running" as const;
      if (mode === "if-enabled" && !job.enabled) return "disabled" as const;
      const now = this.#clock.now();
      const due = job.enabled && job.state.nextRunAtMs !== undefined && job.state.nextRunAtMs <= now;
      if (mode === "due" && !due) return "not-due" as const;
      const claimed = await this.#scheduler.claim(job, now, mode === "due");
      // "taken": another instance claimed this slot first, so it is no longer due here.
      return claimed === "taken" ? ("not-due" as const) : claimed;
    });
    if (typeof started === "string") return { ok: true, enqueued: false, ran: false, reason: started };
    return { ok: true, enqueued: true, runId: started.runId };
  }

  async runs(params: CronRunsParams = {}): Promise<CronRunsResult> {
    const jobId = params.id ?? params.jobId;
    const scope = params.scope ?? (jobId ? "job" : "all");
    let entries: CronRunLogEntry[];
    if (scope === "job") {
      if (!jobId) {
        throw new CronError(
          "CRON_INVALID_JOB",
          'cron.runs with scope "job" needs id (or jobId): name the job',
        );
      }
      entries = await this.#store.readRuns(jobId);
    } else {
      const ids = [...this.#scheduler.jobs.keys()];
      entries = (await Promise.all(ids.map((id) => this.#store.readRuns(id)))).flat();
    }
    return filterCronRuns(entries, params, (id) => {
      const job = this.#scheduler.jobs.get(id);
      return job ? this.#agentOf(job) : undefined;
    });
  }

  /** Re-reads the settings now (a config reload), so pausing or resuming does not wait for the next poll. */
  settingsChanged(): void {
    this.#scheduler.arm();
  }

  #require(jobId: string): StoredCronJob {
    const job = this.#scheduler.jobs.get(jobId);
    if (!job) {
      throw new CronError(
        "CRON_JOB_NOT_FOUND",
        `no cron job "${jobId}": see cron.list (includeDisabled: true)`,
        {
          jobId,
        },
      );
    }
    return job;
  }

  /** The normalized agent a job runs as (the default agent when it names none). */
  #agentOf(job: StoredCronJob): string {
    return normalizeAgentId(job.agentId ?? defaultCronAgentId(this.#agents?.()));
  }

  /** Agent checks at add time, and on update when the patch changes which agent or session the job runs as. */
  #editContext(): CronJobEditContext {
    return {
      now: this.#clock.now(),
      checkAgent: (agentId) => checkCronAgent(agentId, this.#agents?.()),
      checkDefinition: (job, checkAgents) =>
        checkCronJobDefinition(job, {
          roster: this.#agents?.(),
          mainKey: this.#mainKey(),
          canDeliver: this.#canDeliver,
          checkAgents,
        }),
    };
  }
}
