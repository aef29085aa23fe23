import { randomBytes } from "node:crypto";
import type { ToolContext } from "@openclaw/agent";
import { ToolError } from "@openclaw/tools/config";
import { type JobSpec, ProcessJob, type ProcessJobLimits } from "./process-job.js";

export interface ProcessRegistryOptions {
  /** Commands running at once across the gateway, foreground and background. Default 16. */
  maxRunningJobs?: number;
  /** Commands running at once in one agent session. Default 8. */
  maxRunningJobsPerScope?: number;
  /** Finished background jobs kept for `process poll`/`log`; the oldest go first. Default 50. */
  maxFinishedJobs?: number;
  /** Output kept per job (characters, newest kept). Default 1,000,000 (about 1 MB). */
  maxOutputChars?: number;
  /** Output kept across all finished jobs before the oldest are dropped. Default 4,000,000. */
  maxRetainedChars?: number;
  /** How long a finished background job stays when its spec names no `retainMs`. Default 30 minutes. */
  defaultRetainMs?: number;
  /** Between SIGTERM and SIGKILL when a job is stopped. Default 2000 ms. */
  killGraceMs?: number;
  now?: () => number;
}

const DEFAULT_RETAIN_MS = 30 * 60_000;

/** The scope a tool call's jobs belong to: its session, as OpenClaw scopes them; the agent when there is none. */
export function processScopeOf(ctx: Pick<ToolContext, "sessionKey" | "agentId">): string {
  return ctx.sessionKey.trim() || `agent:${ctx.agentId || "main"}`;
}

/**
 * Every shell command the agent tools started, kept in memory only. A background job is visible to the session that
 * started it and nobody else; a foreground one is counted against the limits and dropped when it ends.
 */
export class ProcessRegistry {
  readonly #jobs = new Map<string, ProcessJob>();
  readonly #limits: Required<Omit<ProcessRegistryOptions, "now">>;
  readonly #jobLimits: ProcessJobLimits;
  #spawn: typeof import("node:child_process").spawn | undefined;
  #closed = false;

  constructor(options: ProcessRegistryOptions = {}) {
    this.#limits = {
      maxRunningJobs: options.maxRunningJobs ?? 16,
      maxRunningJobsPerScope: options.maxRunningJobsPerScope ?? 8,
      maxFinishedJobs: options.maxFinishedJobs ?? 50,
      maxOutputChars: options.maxOutputChars ?? 1_000_000,
      maxRetainedChars: options.maxRetainedChars ?? 4_000_000,
      defaultRetainMs: options.defaultRetainMs ?? DEFAULT_RETAIN_MS,
      killGraceMs: options.killGraceMs ?? 2_000,
    };
    this.#jobLimits = {
      maxOutputChars: this.#limits.maxOutputChars,
      killGraceMs: this.#limits.killGraceMs,
      now: options.now ?? Date.now,
    };
  }

  /** Starts a command; refuses when the gateway or the session already runs as many as allowed. */
  async start(spec: JobSpec): Promise<ProcessJob> {
    this.#refuseWhenFull(spec.scope);
    // Loaded on the first command: most gateways never run one, and child_process costs memory at start.
    this.#spawn ??= (await import("node:child_process")).spawn;
    this.#refuseWhenFull(spec.scope);
    const job = new ProcessJob(this.#newId(), spec, this.#spawn, this.#jobLimits);
    this.#jobs.set(job.id, job);
    void job.done.then(() => {
      if (!job.backgrounded) this.#jobs.delete(job.id);
      this.#prune();
    });
    return job;
  }

  /** The session's background jobs, running and finished, oldest first. */
  list(scope: string): ProcessJob[] {
    this.#prune();
    return [...this.#jobs.values()].filter((job) => job.backgrounded && job.spec.scope === scope);
  }

  /** A background job of this session; another session's job is not found, exactly like a missing one. */
  find(scope: string, id: string): ProcessJob | undefined {
    this.#prune();
    const job = this.#jobs.get(id);
    return job?.backgrounded && job.spec.scope === scope ? job : undefined;
  }

  /**
   * Hides a job from its session at once. A running one is stopped and stays counted (and stopped again on close)
   * until it has really ended.
   */
  forget(job: ProcessJob): void {
    job.backgrounded = false;
    if (job.running) job.stop("killed");
    else this.#jobs.delete(job.id);
  }

  /** Stops every job and waits until all have ended; later starts are refused. The gateway calls it on shutdown. */
  async close(): Promise<void> {
    this.#closed = true;
    const jobs = [...this.#jobs.values()];
    for (const job of jobs) job.stop("shutdown");
    await Promise.all(jobs.map((job) => job.done));
    this.#jobs.clear();
  }

  #refuseWhenFull(scope: string): void {
    if (this.#closed)
      throw new ToolError("UNAVAILABLE", "the gateway is shutting down: no new commands start");
    const running = [...this.#jobs.values()].filter((job) => job.running);
    if (running.length >= this.#limits.maxRunningJobs) {
      throw new ToolError(
        "UNAVAILABLE",
        `${running.length} commands are already running on this gateway (the limit): wait for one to end, or stop one of yours with process kill`,
      );
    }
    const mine = running.filter((job) => job.spec.scope === scope).length;
    if (mine >= this.#limits.maxRunningJobsPerScope) {
      throw new ToolError(
        "UNAVAILABLE",
        `this session already runs ${mine} commands (the limit): see them with process list and stop one with process kill`,
      );
    }
  }

  /** Drops finished jobs past their retention, then the oldest beyond the count and output limits. */
  #prune(): void {
    const now = this.#jobLimits.now();
    const finished = [...this.#jobs.values()]
      .filter((job) => !job.running)
      .sort((a, b) => (a.endedAt ?? 0) - (b.endedAt ?? 0));
    let retainedChars = finished.reduce((sum, job) => sum + job.output.end - job.output.start, 0);
    let kept = finished.length;
    for (const job of finished) {
      const expired = (job.endedAt ?? now) + (job.spec.retainMs ?? this.#limits.defaultRetainMs) <= now;
      // The newest finished job is kept whatever its size, so its result can still be read.
      const overLimits =
        kept > this.#limits.maxFinishedJobs || (retainedChars > this.#limits.maxRetainedChars && kept > 1);
      if (!expired && !overLimits) continue;
      this.#jobs.delete(job.id);
      kept -= 1;
      retainedChars -= job.output.end - job.output.start;
    }
  }

  #newId(): string {
    let id: string;
    do id = randomBytes(4).toString("hex");
    while (this.#jobs.has(id));
    return id;
  }
}

export function createProcessRegistry(options?: ProcessRegistryOptions): ProcessRegistry {
  return new ProcessRegistry(options);
}
