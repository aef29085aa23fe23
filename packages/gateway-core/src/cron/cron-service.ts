import { randomUUID } from "node:crypto";
import type { AgentRunResult } from "@openclaw/agent";
import {
  type CronAddParams,
  type CronDelivery,
  CronDeliverySchema,
  type CronEvent,
  type CronJob,
  type CronJobPatch,
  type CronListParams,
  type CronListResult,
  type CronPayload,
  type CronRunLogEntry,
  type CronRunMode,
  type CronRunResult,
  type CronRunStatus,
  type CronRunsParams,
  type CronRunsResult,
  type CronStatusResult,
  type CronTimeSchedule,
} from "@openclaw/protocol";
import { normalizeAgentId } from "@openclaw/sessions";
import type { ChatTurn, ChatTurnRequest } from "../chat/chat-service.js";
import { type Logger, silentLogger } from "../logging/logger.js";
import { type CronClock, type CronTimer, systemCronClock } from "./cron-clock.js";
import { CronError } from "./cron-error.js";
import {
  type CronAgentRoster,
  type CronTargetContext,
  checkCronAgent,
  checkCronJobDefinition,
  defaultCronAgentId,
  resolveCronTarget,
} from "./cron-job-target.js";
import {
  countSlotsBetween,
  isTimeSchedule,
  nextSlotAfter,
  parseAtMs,
  validateSchedule,
} from "./cron-schedule.js";
import { CronStore, type StoredCronJob } from "./cron-store.js";

/** What the scheduler needs from the chat service: the entry point `chat.send` and the hooks use. */
export interface CronChat {
  start(request: ChatTurnRequest): ChatTurn;
}

export interface CronDeliveryRequest {
  channel: string;
  to: string;
  accountId?: string;
  threadId?: string;
  text: string;
  jobId: string;
  runId: string;
}

/** Read on every tick, so a config reload pauses or resumes the scheduler without a restart. */
export interface CronSettings {
  /** `cron.enabled` (default true): false keeps the jobs but runs none. */
  enabled: boolean;
  /** `cron.skipMissedJobs` (default false): see the catch-up policy on {@link CronService}. */
  skipMissedJobs: boolean;
}

export interface CronServiceOptions {
  stateDir: string;
  chat: CronChat;
  /** Sends a finished run's answer to a channel peer; without it jobs with announce delivery are refused. */
  deliver?: (delivery: CronDeliveryRequest) => Promise<void>;
  /** Receives the `cron` event of every job change and run start/finish. */
  emit?: (event: CronEvent) => void;
  clock?: CronClock;
  logger?: Logger;
  /** The configured agents; without it any agent id is accepted and the default is `main`. */
  agents?: () => CronAgentRoster;
  /** `session.mainKey`, for jobs that run in the main session. */
  mainKey?: () => string | undefined;
  settings?: () => CronSettings;
  /** How long after start the one catch-up run of a job missed while the gateway was down waits. */
  catchUpDelayMs?: number;
  /** How long `stop` lets runs in flight finish (and deliver) before the gateway closes the agent under them. */
  stopGraceMs?: number;
}

export const DEFAULT_CATCH_UP_DELAY_MS = 10_000;
/** The loop wakes at least this often, so a wall clock that jumped (suspend, NTP) is noticed. */
const MAX_SLEEP_MS = 60_000;
const SUMMARY_MAX_CHARS = 2_000;
const DEFAULT_PAGE = 50;
const DEFAULT_STOP_GRACE_MS = 5_000;

interface RunOrigin {
  runId: string;
  runAtMs: number;
}

/**
 * The scheduler: stored jobs under `<stateDir>/cron/`, a timer on an injectable clock, and runs that go through
 * the chat service like any other turn, with the answer optionally delivered to a channel peer.
 *
 * Exactly once per slot: before a run starts, the slot is claimed on disk (`state.runningAtMs`, `lastRunAtMs`, and
 * `nextRunAtMs` moved past it). A restart therefore never runs a claimed slot again; a run that was cut short by
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
  readonly #store: CronStore;
  readonly #chat: CronChat;
  readonly #deliver: CronServiceOptions["deliver"];
  readonly #emit: (event: CronEvent) => void;
  readonly #clock: CronClock;
  readonly #logger: Logger;
  readonly #agents: CronServiceOptions["agents"];
  readonly #mainKey: () => string | undefined;
  readonly #settings: () => CronSettings;
  readonly #catchUpDelayMs: number;
  readonly #stopGraceMs: number;
  readonly #jobs = new Map<string, StoredCronJob>();
  readonly #running = new Map<string, Promise<void>>();
  readonly #inflight = new Set<Promise<unknown>>();
  #lock: Promise<void> = Promise.resolve();
  #timer: CronTimer | undefined;
  #started = false;
  #stopped = false;
  /** Set once stop() returns: a run that outlives the grace period leaves no trace, as if the process had died. */
  #closed = false;
  /** Why start() failed; every mutation reports it until a restart, so a bad store is never overwritten. */
  #failure: CronError | undefined;

  constructor(options: CronServiceOptions) {
    this.#logger = options.logger ?? silentLogger;
    this.#store = new CronStore(options.stateDir, this.#logger);
    this.#chat = options.chat;
    this.#deliver = options.deliver;
    this.#emit = options.emit ?? (() => undefined);
    this.#clock = options.clock ?? systemCronClock;
    this.#agents = options.agents;
    this.#mainKey = options.mainKey ?? (() => undefined);
    this.#settings = options.settings ?? (() => ({ enabled: true, skipMissedJobs: false }));
    this.#catchUpDelayMs = options.catchUpDelayMs ?? DEFAULT_CATCH_UP_DELAY_MS;
    this.#stopGraceMs = options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS;
  }

  get storePath(): string {
    return this.#store.jobsPath;
  }

  /** Loads the jobs, settles runs a previous process left unfinished, applies the catch-up policy, arms the timer. */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    await this.#exclusive(async () => {
      try {
        for (const job of await this.#store.load()) this.#jobs.set(job.id, job);
      } catch (error) {
        this.#failure =
          error instanceof CronError
            ? error
            : new CronError("CRON_STORE_IO", `cannot load cron jobs: ${(error as Error).message}`, {
                cause: error,
              });
        throw this.#failure;
      }
      if (this.#jobs.size === 0) return;
      const now = this.#clock.now();
      const history: CronRunLogEntry[] = [];
      for (const job of this.#jobs.values()) history.push(...(await this.#recover(job, now)));
      await this.#store.save([...this.#jobs.values()]);
      for (const entry of history) await this.#store.appendRun(entry);
    });
    this.#arm();
  }

  /** Stops the timer and waits (briefly) for runs in flight, so their answers are delivered and recorded. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    if (this.#timer) this.#clock.clearTimer(this.#timer);
    this.#timer = undefined;
    let grace: NodeJS.Timeout | undefined;
    await Promise.race([
      this.settled(),
      new Promise<void>((resolve) => {
        grace = setTimeout(resolve, this.#stopGraceMs);
        grace.unref();
      }),
    ]);
    clearTimeout(grace);
    await this.#store.flush();
    this.#closed = true;
  }

  /** Resolves once no tick, claim or run is in progress (tests wait on it after moving the clock). */
  async settled(): Promise<void> {
    while (this.#inflight.size > 0 || this.#running.size > 0) {
      await Promise.allSettled([...this.#inflight, ...this.#running.values()]);
    }
    await this.#lock;
  }

  status(): CronStatusResult {
    const next = this.#nextWake();
    return {
      enabled: this.#settings().enabled,
      storePath: this.#store.jobsPath,
      jobs: this.#jobs.size,
      nextWakeAtMs: next ?? null,
    };
  }

  list(params: CronListParams = {}): CronListResult {
    const enabledFilter = params.enabled ?? (params.includeDisabled ? "all" : "enabled");
    const query = params.query?.trim().toLowerCase();
    const agentId = params.agentId ? normalizeAgentId(params.agentId) : undefined;
    let jobs = [...this.#jobs.values()].filter((job) => {
      if (enabledFilter === "enabled" && !job.enabled) return false;
      if (enabledFilter === "disabled" && job.enabled) return false;
      if (params.scheduleKind && params.scheduleKind !== "all" && job.schedule.kind !== params.scheduleKind)
        return false;
      const last = job.state.lastRunStatus ?? "unknown";
      if (params.lastRunStatus && params.lastRunStatus !== "all" && last !== params.lastRunStatus)
        return false;
      // No job here has a condition trigger.
      if (params.trigger === "conditional") return false;
      if (agentId && normalizeAgentId(job.agentId ?? this.#defaultAgentId()) !== agentId) return false;
      if (query) {
        const haystack = [job.id, job.name, job.displayName, job.description].join("\n").toLowerCase();
        if (!haystack.includes(query)) return false;
      }
      return true;
    });
    const direction = params.sortDir === "desc" ? -1 : 1;
    const sortBy = params.sortBy ?? "nextRunAtMs";
    jobs = jobs.sort((a, b) => {
      if (sortBy === "name") return direction * a.name.localeCompare(b.name);
      if (sortBy === "updatedAtMs") return direction * (a.updatedAtMs - b.updatedAtMs);
      const an = a.state.nextRunAtMs ?? Number.MAX_SAFE_INTEGER;
      const bn = b.state.nextRunAtMs ?? Number.MAX_SAFE_INTEGER;
      return direction * (an - bn) || a.createdAtMs - b.createdAtMs;
    });
    return { ...paginate(jobs.map(toWireJob), params.offset, params.limit, "jobs") };
  }

  /** One job in its wire shape; throws `CRON_JOB_NOT_FOUND`. */
  get(jobId: string): CronJob {
    return toWireJob(this.#require(jobId));
  }

  async add(params: CronAddParams): Promise<CronJob> {
    this.#assertRunning();
    const job = await this.#exclusive(async () => {
      refuseUnsupportedExtras(params);
      const now = this.#clock.now();
      const id = randomUUID();
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
      if (params.agentId) job.agentId = checkCronAgent(params.agentId, this.#agents?.());
      if (params.sessionKey) job.sessionKey = params.sessionKey;
      const deleteAfterRun = params.deleteAfterRun ?? (schedule.kind === "at" ? true : undefined);
      if (deleteAfterRun !== undefined) job.deleteAfterRun = deleteAfterRun;
      if (params.delivery) job.delivery = params.delivery;
      this.#checkDefinition(job);
      if (job.enabled) job.state.nextRunAtMs = await firstSlot(schedule, now, job);
      this.#jobs.set(id, job);
      await this.#store.save([...this.#jobs.values()]);
      return job;
    });
    this.#logger.info("cron job added", { jobId: job.id, name: job.name, schedule: job.schedule.kind });
    this.#emit(jobEvent(job, "added"));
    this.#arm();
    return toWireJob(job);
  }

  async update(jobId: string, patch: CronJobPatch): Promise<CronJob> {
    this.#assertRunning();
    const job = await this.#exclusive(async () => {
      const current = this.#require(jobId);
      refuseUnsupportedExtras(patch);
      const now = this.#clock.now();
      const next: StoredCronJob = structuredClone(current);
      if (patch.name !== undefined) next.name = patch.name;
      if (patch.displayName !== undefined) setOrClear(next, "displayName", patch.displayName);
      if (patch.description !== undefined) next.description = patch.description;
      if (patch.agentId !== undefined)
        setOrClear(
          next,
          "agentId",
          patch.agentId === null ? null : checkCronAgent(patch.agentId, this.#agents?.()),
        );
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
      this.#checkDefinition(next, retargeted);
      next.updatedAtMs = Math.max(now, current.updatedAtMs);
      // A new schedule, or a job switched back on, starts a new scheduling decision from now.
      const reschedule =
        patch.schedule !== undefined ||
        (next.enabled && (!current.enabled || current.state.nextRunAtMs === undefined));
      if (!next.enabled) delete next.state.nextRunAtMs;
      else if (reschedule && isTimeSchedule(next.schedule))
        setOrClear(next.state, "nextRunAtMs", (await firstSlot(next.schedule, now, next)) ?? null);
      this.#jobs.set(jobId, next);
      await this.#store.save([...this.#jobs.values()]);
      return next;
    });
    this.#emit(jobEvent(job, "updated"));
    this.#arm();
    return toWireJob(job);
  }

  async remove(jobId: string): Promise<{ ok: true; removed: boolean }> {
    this.#assertRunning();
    await this.#exclusive(async () => {
      this.#require(jobId);
      this.#jobs.delete(jobId);
      await this.#store.save([...this.#jobs.values()]);
    });
    this.#logger.info("cron job removed", { jobId });
    this.#emit({ jobId, action: "removed" });
    this.#arm();
    return { ok: true, removed: true };
  }

  /**
   * Starts a run now and returns its id; follow it with `runs`. `force` (the default) runs even a disabled job
   * and leaves its schedule alone; `if-enabled` refuses a disabled job; `due` runs only a job whose slot is due
   * and consumes that slot.
   */
  async run(jobId: string, mode: CronRunMode = "force"): Promise<CronRunResult> {
    this.#assertRunning();
    const started = await this.#exclusive(async () => {
      const job = this.#require(jobId);
      if (this.#running.has(jobId)) return "already-running" as const;
      if (mode === "if-enabled" && !job.enabled) return "disabled" as const;
      const now = this.#clock.now();
      if (
        mode === "due" &&
        !(job.enabled && job.state.nextRunAtMs !== undefined && job.state.nextRunAtMs <= now)
      )
        return "not-due" as const;
      return this.#claim(job, now, mode === "due");
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
      const all = await Promise.all([...this.#jobs.keys()].map((id) => this.#store.readRuns(id)));
      entries = all.flat();
    }
    const statuses = new Set<string>(
      params.statuses ?? (params.status && params.status !== "all" ? [params.status] : []),
    );
    const deliveries = new Set<string>(
      params.deliveryStatuses ?? (params.deliveryStatus ? [params.deliveryStatus] : []),
    );
    const query = params.query?.trim().toLowerCase();
    const agentId = params.agentId ? normalizeAgentId(params.agentId) : undefined;
    entries = entries.filter((entry) => {
      if (params.runId && entry.runId !== params.runId) return false;
      if (statuses.size > 0 && !statuses.has(entry.status ?? "")) return false;
      if (deliveries.size > 0 && !deliveries.has(entry.deliveryStatus ?? "unknown")) return false;
      if (agentId) {
        const job = this.#jobs.get(entry.jobId);
        if (!job || normalizeAgentId(job.agentId ?? this.#defaultAgentId()) !== agentId) return false;
      }
      if (query) {
        const haystack = [entry.jobName, entry.summary, entry.error].join("\n").toLowerCase();
        if (!haystack.includes(query)) return false;
      }
      return true;
    });
    const direction = params.sortDir === "asc" ? 1 : -1;
    entries.sort((a, b) => direction * (a.ts - b.ts));
    return paginate(entries, params.offset, params.limit, "entries");
  }

  /** Re-reads the settings now (a config reload), so pausing or resuming does not wait for the next poll. */
  settingsChanged(): void {
    this.#arm();
  }

  // --- the loop -------------------------------------------------------------------------------------------------

  /** `minDelayMs` keeps a failing tick (disk full) from spinning; a paused scheduler only polls its settings. */
  #arm(minDelayMs = 0): void {
    if (!this.#started || this.#stopped) return;
    if (this.#timer) this.#clock.clearTimer(this.#timer);
    this.#timer = undefined;
    const next = this.#nextWake();
    // No job waiting: no timer at all, so an idle gateway costs nothing.
    if (next === undefined) return;
    const wanted = this.#settings().enabled ? next - this.#clock.now() : MAX_SLEEP_MS;
    const delay = Math.min(Math.max(minDelayMs, wanted), MAX_SLEEP_MS);
    this.#timer = this.#clock.setTimer(() => {
      this.#timer = undefined;
      this.#track(this.#tick());
    }, delay);
  }

  #nextWake(): number | undefined {
    let next: number | undefined;
    for (const job of this.#jobs.values()) {
      const at = job.state.nextRunAtMs;
      if (!job.enabled || at === undefined) continue;
      if (next === undefined || at < next) next = at;
    }
    return next;
  }

  async #tick(): Promise<void> {
    if (this.#stopped) return;
    let failed = false;
    try {
      if (!this.#settings().enabled) return;
      await this.#exclusive(async () => {
        const now = this.#clock.now();
        for (const job of [...this.#jobs.values()]) {
          const due = job.state.nextRunAtMs;
          if (!job.enabled || due === undefined || due > now || this.#stopped) continue;
          if (this.#running.has(job.id)) await this.#skipBusySlot(job, now);
          else await this.#claim(job, now, true);
        }
      });
    } catch (error) {
      failed = true;
      this.#logger.error("cron tick failed", { error: (error as Error).message });
    } finally {
      this.#arm(failed ? 1_000 : 0);
    }
  }

  /**
   * Claims a slot durably, then starts the run. `consumeSlot` moves `nextRunAtMs` past now (scheduled and `due`
   * runs); a forced manual run leaves the schedule alone. Must run under the lock.
   */
  async #claim(job: StoredCronJob, now: number, consumeSlot: boolean): Promise<RunOrigin> {
    const origin: RunOrigin = { runId: randomUUID(), runAtMs: now };
    const before = structuredClone(job.state);
    job.state.runningAtMs = now;
    job.state.lastRunAtMs = now;
    try {
      if (consumeSlot && isTimeSchedule(job.schedule)) {
        setOrClear(job.state, "nextRunAtMs", (await nextSlotAfter(job.schedule, now, job)) ?? null);
      }
      await this.#store.save([...this.#jobs.values()]);
    } catch (error) {
      // Not claimed on disk, so not started: the slot stays due and the next tick tries again.
      job.state = before;
      throw error;
    }
    const snapshot = structuredClone(job);
    const running = this.#execute(snapshot, origin).finally(() => {
      this.#running.delete(job.id);
      this.#arm();
    });
    this.#running.set(job.id, running);
    this.#emit({ ...jobEvent(job, "started"), runId: origin.runId, runAtMs: now });
    return origin;
  }

  async #skipBusySlot(job: StoredCronJob, now: number): Promise<void> {
    if (!isTimeSchedule(job.schedule)) return;
    setOrClear(job.state, "nextRunAtMs", (await nextSlotAfter(job.schedule, now, job)) ?? null);
    job.state.consecutiveSkipped = (job.state.consecutiveSkipped ?? 0) + 1;
    await this.#store.save([...this.#jobs.values()]);
    await this.#store.appendRun({
      ts: now,
      jobId: job.id,
      action: "finished",
      status: "skipped",
      summary: "skipped: the previous run of this job was still in progress",
      runAtMs: now,
      jobName: job.name,
      ...(job.state.nextRunAtMs !== undefined ? { nextRunAtMs: job.state.nextRunAtMs } : {}),
    });
    this.#logger.warn("cron slot skipped: previous run still in progress", { jobId: job.id });
  }

  async #execute(job: StoredCronJob, origin: RunOrigin): Promise<void> {
    const startedAt = this.#clock.now();
    const outcome: RunOutcome = { status: "error", deliveryStatus: "not-requested" };
    let sessionKey: string | undefined;
    try {
      const payload = job.payload;
      if (payload.kind !== "agentTurn" && payload.kind !== "systemEvent") {
        throw new CronError("CRON_UNSUPPORTED", `payload kind "${payload.kind}" cannot run on this gateway`);
      }
      // An agent removed from the config since the job was added fails the run (recorded and logged) before anything
      // is written, so no `agents/<id>/` is created for it.
      const target = resolveCronTarget(job, this.#targetContext());
      const agentId = target.agentId;
      sessionKey = target.sessionKey;
      const timeoutSeconds = payload.kind === "agentTurn" ? payload.timeoutSeconds : undefined;
      const turn = this.#chat.start({
        runId: origin.runId,
        sessionKey,
        agentId,
        message: payload.kind === "agentTurn" ? payload.message : payload.text,
        ...(payload.kind === "agentTurn" && payload.model ? { model: payload.model } : {}),
        ...(timeoutSeconds ? { timeoutMs: Math.round(timeoutSeconds * 1000) } : {}),
        // A shared session may be mid-conversation: the job waits its turn instead of cutting in.
        ...(job.sessionTarget === "isolated" ? {} : { queueMode: "followup" as const }),
        extraSystemPrompt:
          payload.kind === "agentTurn"
            ? `The next message is the scheduled job ${JSON.stringify(job.name)}, run by the gateway's scheduler with no one watching: do the task and answer with the result.`
            : `The next message is a system event from the scheduled job ${JSON.stringify(job.name)}, not text the user typed.`,
      });
      sessionKey = turn.sessionKey;
      const result = await turn.done;
      Object.assign(outcome, await this.#finishTurn(job, origin, result));
    } catch (error) {
      outcome.status = "error";
      outcome.error = error instanceof Error ? error.message : String(error);
    }
    const durationMs = Math.max(0, this.#clock.now() - startedAt);
    await this.#exclusive(() => this.#record(job.id, job, origin, outcome, durationMs, sessionKey));
  }

  async #finishTurn(
    job: StoredCronJob,
    origin: RunOrigin,
    result: AgentRunResult,
  ): Promise<Partial<RunOutcome>> {
    const status: CronRunStatus =
      result.status === "ok" ? "ok" : result.status === "aborted" ? "skipped" : "error";
    const text = result.text.trim();
    const outcome: Partial<RunOutcome> = { status, deliveryStatus: "not-requested" };
    if (text !== "") outcome.summary = text.slice(0, SUMMARY_MAX_CHARS);
    if (status !== "ok")
      outcome.error = result.error?.message ?? `the run ended with status ${result.status}`;
    if (result.model) outcome.model = result.model;
    const target = deliveryTarget(job.delivery);
    if (!target) return outcome;
    if (status !== "ok" || text === "" || !this.#deliver) {
      outcome.deliveryStatus = "not-delivered";
      outcome.delivered = false;
      return outcome;
    }
    try {
      await this.#deliver({ ...target, text: result.text, jobId: job.id, runId: origin.runId });
      outcome.delivered = true;
      outcome.deliveryStatus = "delivered";
    } catch (error) {
      outcome.delivered = false;
      outcome.deliveryStatus = "not-delivered";
      outcome.deliveryError = error instanceof Error ? error.message : String(error);
      this.#logger.warn("cron delivery failed", {
        jobId: job.id,
        runId: origin.runId,
        error: outcome.deliveryError,
      });
    }
    return outcome;
  }

  /** Writes a finished run into the history and the job's state. Must run under the lock. */
  async #record(
    jobId: string,
    snapshot: StoredCronJob,
    origin: RunOrigin,
    outcome: RunOutcome,
    durationMs: number,
    sessionKey: string | undefined,
  ): Promise<void> {
    if (this.#closed) return;
    const now = this.#clock.now();
    const job = this.#jobs.get(jobId);
    const entry: CronRunLogEntry = {
      ts: now,
      jobId,
      action: "finished",
      status: outcome.status,
      completionStatus:
        outcome.status === "ok" && outcome.deliveryStatus !== "not-delivered" ? "succeeded" : "failed",
      runId: origin.runId,
      runAtMs: origin.runAtMs,
      durationMs,
      deliveryStatus: outcome.deliveryStatus,
      jobName: snapshot.name,
    };
    if (outcome.error) entry.error = outcome.error;
    if (outcome.summary) entry.summary = outcome.summary;
    if (outcome.delivered !== undefined) entry.delivered = outcome.delivered;
    if (outcome.deliveryError) entry.deliveryError = outcome.deliveryError;
    if (outcome.model) entry.model = outcome.model;
    if (sessionKey) entry.sessionKey = sessionKey;
    if (job) {
      applyOutcome(job, outcome, durationMs);
      // A one-shot is done after its run: deleted after success (unless kept), otherwise kept disabled.
      if (job.schedule.kind === "at" && job.state.nextRunAtMs === undefined) {
        if (
          outcome.status === "ok" &&
          entry.completionStatus === "succeeded" &&
          job.deleteAfterRun !== false
        ) {
          this.#jobs.delete(jobId);
        } else {
          job.enabled = false;
        }
      }
      if (job.state.nextRunAtMs !== undefined) entry.nextRunAtMs = job.state.nextRunAtMs;
      await this.#store.save([...this.#jobs.values()]);
    }
    await this.#store.appendRun(entry);
    const fields = {
      jobId,
      runId: origin.runId,
      status: outcome.status,
      deliveryStatus: outcome.deliveryStatus,
    };
    if (outcome.status === "ok") this.#logger.info("cron run finished", fields);
    else this.#logger.warn("cron run finished", { ...fields, error: outcome.error });
    const event: CronEvent = {
      jobId,
      action: "finished",
      runId: origin.runId,
      runAtMs: origin.runAtMs,
      durationMs,
      status: outcome.status,
      deliveryStatus: outcome.deliveryStatus,
    };
    if (outcome.error) event.error = outcome.error;
    if (outcome.summary) event.summary = outcome.summary;
    if (outcome.delivered !== undefined) event.delivered = outcome.delivered;
    if (sessionKey) event.sessionKey = sessionKey;
    if (entry.nextRunAtMs !== undefined) event.nextRunAtMs = entry.nextRunAtMs;
    this.#emit(event);
    if (job && !this.#jobs.has(jobId)) this.#emit({ jobId, action: "removed" });
  }

  /** Start-up for one job: settle an interrupted run, then apply the catch-up policy. Under the lock. */
  async #recover(job: StoredCronJob, now: number): Promise<CronRunLogEntry[]> {
    const history: CronRunLogEntry[] = [];
    if (job.state.runningAtMs !== undefined) {
      const runAtMs = job.state.runningAtMs;
      delete job.state.runningAtMs;
      const error = "interrupted: the gateway stopped during this run; the slot is not replayed";
      applyOutcome(job, { status: "error", error, deliveryStatus: "unknown" }, Math.max(0, now - runAtMs));
      history.push({
        ts: now,
        jobId: job.id,
        action: "finished",
        status: "error",
        completionStatus: "unknown",
        error,
        runAtMs,
        jobName: job.name,
      });
      if (job.schedule.kind === "at" && job.state.nextRunAtMs === undefined) job.enabled = false;
    }
    if (!job.enabled || !isTimeSchedule(job.schedule)) return history;
    const schedule = job.schedule;
    if (job.state.nextRunAtMs === undefined) {
      setOrClear(job.state, "nextRunAtMs", (await firstSlot(schedule, now, job)) ?? null);
      return history;
    }
    const due = job.state.nextRunAtMs;
    if (due > now) return history;
    const missed = 1 + (await countSlotsBetween(schedule, due, now, job));
    if (schedule.kind !== "at" && this.#settings().skipMissedJobs) {
      setOrClear(job.state, "nextRunAtMs", (await nextSlotAfter(schedule, now, job)) ?? null);
      history.push(skippedEntry(job, now, `skipped ${plural(missed, "missed run")} (cron.skipMissedJobs)`));
      return history;
    }
    job.state.nextRunAtMs = now + this.#catchUpDelayMs;
    if (missed > 1) {
      history.push(
        skippedEntry(job, now, `skipped ${plural(missed - 1, "older missed run")}; one catch-up run follows`),
      );
    }
    this.#logger.info("cron job missed while the gateway was down; one catch-up run scheduled", {
      jobId: job.id,
      missed,
      runAtMs: job.state.nextRunAtMs,
    });
    return history;
  }

  // --- helpers --------------------------------------------------------------------------------------------------

  #exclusive<T>(work: () => Promise<T>): Promise<T> {
    const result = this.#lock.then(work);
    this.#lock = result.then(
      () => undefined,
      () => undefined,
    );
    this.#track(result);
    return result;
  }

  #track(promise: Promise<unknown>): void {
    const tracked = promise.then(
      () => undefined,
      () => undefined,
    );
    this.#inflight.add(tracked);
    void tracked.then(() => this.#inflight.delete(tracked));
  }

  #assertRunning(): void {
    if (this.#failure) throw this.#failure;
    if (this.#stopped)
      throw new CronError("CRON_STOPPED", "the scheduler is stopping: retry once the gateway is back");
  }

  #require(jobId: string): StoredCronJob {
    const job = this.#jobs.get(jobId);
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

  #defaultAgentId(): string {
    return defaultCronAgentId(this.#agents?.());
  }

  #targetContext(): CronTargetContext {
    return { roster: this.#agents?.(), mainKey: this.#mainKey() };
  }

  /** Agent checks at add time, and on update when the patch changes which agent or session the job runs as. */
  #checkDefinition(job: StoredCronJob, checkAgents = true): void {
    checkCronJobDefinition(job, {
      ...this.#targetContext(),
      canDeliver: this.#deliver !== undefined,
      checkAgents,
    });
  }
}

interface RunOutcome {
  status: CronRunStatus;
  error?: string;
  summary?: string;
  model?: string;
  delivered?: boolean;
  deliveryStatus: "delivered" | "not-delivered" | "unknown" | "not-requested";
  deliveryError?: string;
}

function applyOutcome(job: StoredCronJob, outcome: RunOutcome, durationMs: number): void {
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

/** The first slot of a new or rescheduled job: an `at` in the past still runs (once, at the next tick). */
async function firstSlot(
  schedule: CronTimeSchedule,
  now: number,
  job: { id: string; createdAtMs: number },
): Promise<number | undefined> {
  if (schedule.kind === "at") return parseAtMs(schedule.at);
  return nextSlotAfter(schedule, now, job);
}

function deliveryTarget(
  delivery: CronDelivery | undefined,
): { channel: string; to: string; accountId?: string; threadId?: string } | undefined {
  if (delivery?.mode !== "announce" || !delivery.channel || !delivery.to) return undefined;
  return {
    channel: delivery.channel,
    to: delivery.to,
    ...(delivery.accountId ? { accountId: delivery.accountId } : {}),
    ...(delivery.threadId !== undefined ? { threadId: String(delivery.threadId) } : {}),
  };
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
    throw new CronError(
      "CRON_INVALID_JOB",
      `the patched delivery is invalid: ${parsed.error.issues.map((issue) => `${issue.path.join(".") || "delivery"}: ${issue.message}`).join("; ")}`,
    );
  }
  return parsed.data;
}

function setOrClear<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | null): void {
  if (value === null || value === undefined) delete target[key];
  else target[key] = value;
}

function skippedEntry(job: StoredCronJob, now: number, summary: string): CronRunLogEntry {
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

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

function jobEvent(job: StoredCronJob, action: CronEvent["action"]): CronEvent {
  const event: CronEvent = { jobId: job.id, action };
  if (job.state.nextRunAtMs !== undefined) event.nextRunAtMs = job.state.nextRunAtMs;
  return event;
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

function paginate<T, K extends string>(
  items: T[],
  offset = 0,
  limit = DEFAULT_PAGE,
  key: K,
): { [P in K]: T[] } & {
  total: number;
  offset: number;
  limit: number;
  hasMore: boolean;
  nextOffset: number | null;
} {
  const page = items.slice(offset, offset + limit);
  const hasMore = offset + page.length < items.length;
  return {
    [key]: page,
    total: items.length,
    offset,
    limit,
    hasMore,
    nextOffset: hasMore ? offset + page.length : null,
  } as { [P in K]: T[] } & {
    total: number;
    offset: number;
    limit: number;
    hasMore: boolean;
    nextOffset: number | null;
  };
}
