import type { ChildProcess, spawn as SpawnFunction } from "node:child_process";
import { OutputRing } from "./output-ring.js";

/** Why a job ended: on its own (`exit`, `signal`), or because something stopped it. */
export type JobEndReason = "exit" | "signal" | "timeout" | "killed" | "aborted" | "shutdown" | "spawn-error";

/** Reasons a job can be stopped for, in the order they are reported: the first one asked for wins. */
export type JobStopReason = Extract<JobEndReason, "timeout" | "killed" | "aborted" | "shutdown">;

export interface JobOutcome {
  exitCode: number | null;
  exitSignal: NodeJS.Signals | null;
  reason: JobEndReason;
  durationMs: number;
  /** Why the command could not start (bad cwd, no shell); only with `spawn-error`. */
  error?: string;
}

export interface JobSpec {
  /** Who may see the job: the agent session that started it. */
  scope: string;
  agentId: string;
  command: string;
  cwd: string | undefined;
  env: NodeJS.ProcessEnv;
  /** Stops the command after this long; undefined or 0 lets it run until it ends or is killed. */
  timeoutMs?: number;
  /** Keeps stdin open for `process write`; closed at once when nobody could ever write to it. */
  keepStdinOpen: boolean;
  /** How long the job stays readable after it ends, once backgrounded. */
  retainMs?: number;
  title?: string;
}

export interface ProcessJobLimits {
  maxOutputChars: number;
  /** Between SIGTERM and SIGKILL when a job is stopped. */
  killGraceMs: number;
  now: () => number;
}

/** After the shell exits, how long output from processes it left behind is still awaited before giving up. */
const CLOSE_AFTER_EXIT_MS = 2_000;

/**
 * One shell command in its own process group, so stopping it also stops everything it started. Output from stdout
 * and stderr is kept interleaved, newest `maxOutputChars` only.
 */
export class ProcessJob {
  readonly id: string;
  readonly spec: JobSpec;
  readonly startedAt: number;
  readonly output: OutputRing;
  readonly done: Promise<JobOutcome>;
  /** Set once exec has handed the job to the model to follow with `process`; such a job outlives its run. */
  backgrounded = false;
  /** Absolute output position up to which `process poll` has already shown output. */
  pollCursor = 0;
  endedAt: number | undefined;
  outcome: JobOutcome | undefined;
  readonly #child: ChildProcess;
  readonly #limits: ProcessJobLimits;
  readonly #listeners = new Set<() => void>();
  #stopReason: JobStopReason | undefined;
  #exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  #timers: NodeJS.Timeout[] = [];
  #resolveDone!: (outcome: JobOutcome) => void;

  constructor(id: string, spec: JobSpec, spawn: typeof SpawnFunction, limits: ProcessJobLimits) {
    this.id = id;
    this.spec = spec;
    this.#limits = limits;
    this.startedAt = limits.now();
    this.output = new OutputRing(limits.maxOutputChars);
    this.done = new Promise((resolve) => {
      this.#resolveDone = resolve;
    });
    this.#child = spawn("/bin/sh", ["-c", spec.command], {
      cwd: spec.cwd,
      env: spec.env,
      detached: true,
      stdio: ["pipe", "pipe", "pipe"],
    });
    this.#wire(spec);
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  get running(): boolean {
    return this.outcome === undefined;
  }

  get stdinWritable(): boolean {
    const stdin = this.#child.stdin;
    return this.running && !!stdin && stdin.writable && !stdin.writableEnded;
  }

  /** Called on new output and when the job ends; returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Resolves on the next output or the end of the job, after `ms` at the latest, or when `signal` aborts. */
  waitForChange(ms: number, signal?: AbortSignal): Promise<void> {
    if (!this.running || ms <= 0 || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        unsubscribe();
        signal?.removeEventListener("abort", finish);
        resolve();
      };
      const timer = setTimeout(finish, ms);
      const unsubscribe = this.onChange(finish);
      signal?.addEventListener("abort", finish, { once: true });
    });
  }

  /** Asks the whole process group to stop (SIGTERM), and forces it (SIGKILL) if it has not after the grace time. */
  stop(reason: JobStopReason): void {
    if (!this.running) return;
    this.#stopReason ??= reason;
    this.#signalGroup("SIGTERM");
    const force = setTimeout(() => this.#signalGroup("SIGKILL"), this.#limits.killGraceMs);
    force.unref();
    this.#timers.push(force);
  }

  write(data: string): Promise<void> {
    const stdin = this.#child.stdin;
    if (!stdin || !this.stdinWritable) return Promise.reject(new Error("stdin is closed"));
    return new Promise((resolve, reject) => {
      stdin.write(data, (error) => (error ? reject(error) : resolve()));
    });
  }

  closeInput(): void {
    this.#child.stdin?.end();
  }

  #wire(spec: JobSpec): void {
    const child = this.#child;
    // A command that never reads its stdin, or exits first, makes writes fail with EPIPE: not the gateway's problem.
    child.stdin?.on("error", () => {});
    if (!spec.keepStdinOpen) child.stdin?.end();
    for (const stream of [child.stdout, child.stderr]) {
      stream?.setEncoding("utf8");
      stream?.on("data", (text: string) => {
        this.output.append(text);
        this.#notify();
      });
    }
    child.once("error", (error) => {
      // Without a pid the command never started; later errors (a failed kill) change nothing about the job.
      if (child.pid === undefined) this.#finish({ reason: "spawn-error", error: error.message });
    });
    child.once("exit", (code, signal) => {
      this.#exit = { code, signal };
      // Whatever the shell left running in its group (`server &`) ends with it, as OpenClaw does.
      this.#signalGroup("SIGKILL");
      const giveUp = setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        this.#finishFromExit();
      }, CLOSE_AFTER_EXIT_MS);
      giveUp.unref();
      this.#timers.push(giveUp);
    });
    child.once("close", () => this.#finishFromExit());
    if (spec.timeoutMs && spec.timeoutMs > 0) {
      const timer = setTimeout(() => this.stop("timeout"), spec.timeoutMs);
      timer.unref();
      this.#timers.push(timer);
    }
  }

  #finishFromExit(): void {
    const exit = this.#exit;
    if (!exit) return;
    const reason: JobEndReason = this.#stopReason ?? (exit.signal ? "signal" : "exit");
    this.#finish({ reason, exitCode: exit.code, exitSignal: exit.signal });
  }

  #finish(end: Partial<JobOutcome> & { reason: JobEndReason }): void {
    if (this.outcome) return;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers = [];
    this.endedAt = this.#limits.now();
    this.outcome = {
      exitCode: end.exitCode ?? null,
      exitSignal: end.exitSignal ?? null,
      reason: end.reason,
      durationMs: this.endedAt - this.startedAt,
      ...(end.error ? { error: end.error } : {}),
    };
    this.#child.stdin?.destroy();
    this.#notify();
    this.#listeners.clear();
    this.#resolveDone(this.outcome);
  }

  #signalGroup(signal: NodeJS.Signals): void {
    const pid = this.#child.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // ESRCH: the group is already gone.
    }
  }

  #notify(): void {
    for (const listener of [...this.#listeners]) listener();
  }
}
