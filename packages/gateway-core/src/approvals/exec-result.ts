import { keepTail, type OutputRing } from "./output-ring.js";
import type { JobEndReason, JobOutcome, ProcessJob } from "./process-job.js";

/** Output one tool result carries at most: well below the agent's cut of long results, so the tail survives. */
export const RESULT_OUTPUT_CHARS = 30_000;
/** Output shown with a job that is still running (the exec "running" answer, progress updates). */
export const RUNNING_TAIL_CHARS = 2_000;

export interface OutcomeDetails {
  /** "completed" when the command ran to its end (any exit code) or was stopped on request; else "failed". */
  status: "completed" | "failed";
  exitCode: number | null;
  exitSignal?: string;
  exitReason: JobEndReason;
  timedOut?: true;
  durationMs: number;
  /** Why it failed or how it ended, when the exit code alone does not say. */
  reason?: string;
}

function failedReason(outcome: JobOutcome, timeoutMs: number | undefined): string | undefined {
  switch (outcome.reason) {
    case "spawn-error":
      return `the command could not start: ${outcome.error ?? "unknown error"}`;
    case "timeout":
      return `timed out after ${(timeoutMs ?? 0) / 1000}s and was stopped: pass a larger timeoutSeconds, or background: true and follow it with process`;
    case "aborted":
      return "stopped because the run was aborted";
    case "shutdown":
      return "stopped because the gateway shut down";
    case "signal":
      return `ended by signal ${outcome.exitSignal}`;
    case "exit":
      return outcome.exitCode === 126 || outcome.exitCode === 127
        ? `the shell could not run the command (exit code ${outcome.exitCode}: not found or not executable)`
        : undefined;
    case "killed":
      return undefined;
  }
}

/** How a finished job ended, in OpenClaw's terms: a non-zero exit is still "completed", with the code. */
export function describeOutcome(outcome: JobOutcome, timeoutMs?: number): OutcomeDetails {
  const failure = failedReason(outcome, timeoutMs);
  const base = {
    exitCode: outcome.exitCode,
    ...(outcome.exitSignal ? { exitSignal: outcome.exitSignal } : {}),
    exitReason: outcome.reason,
    ...(outcome.reason === "timeout" ? { timedOut: true as const } : {}),
    durationMs: outcome.durationMs,
  };
  if (failure) return { status: "failed", ...base, reason: failure };
  if (outcome.reason === "killed") return { status: "completed", ...base, reason: "stopped by request" };
  const reason = outcome.exitCode ? `exited with code ${outcome.exitCode}` : undefined;
  return { status: "completed", ...base, ...(reason ? { reason } : {}) };
}

/**
 * The output from absolute position `from`, its tail kept when too long, with a note in front saying what is left
 * out and where to read it (`hint`), so a cut is never silent.
 */
export function renderOutput(
  ring: OutputRing,
  from: number,
  limit = RESULT_OUTPUT_CHARS,
  hint = "",
): { output: string; truncated: boolean } {
  const discarded = Math.max(0, ring.start - from);
  const { text, omitted } = keepTail(ring.textFrom(from), limit);
  if (discarded === 0 && omitted === 0) return { output: text, truncated: false };
  const notes = [
    `output truncated: the ${discarded + omitted} characters before the last ${text.length} are not shown`,
  ];
  if (discarded > 0)
    notes.push(`${discarded} of them were discarded at the retention cap and cannot be recovered`);
  if (omitted > 0 && hint) notes.push(hint);
  return { output: `[${notes.join("; ")}]\n${text}`, truncated: true };
}

/** A short label for a job in lists: the command's first word and first argument, as OpenClaw shows them. */
export function jobName(command: string): string {
  const words = command.trim().split(/\s+/).slice(0, 2).join(" ");
  return words.length > 80 ? `${words.slice(0, 77)}...` : words;
}

/** The command as lists show it: long ones cut in the middle. */
export function commandPreview(command: string, limit = 200): string {
  if (command.length <= limit) return command;
  const half = Math.floor((limit - 3) / 2);
  return `${command.slice(0, half)}...${command.slice(command.length - half)}`;
}

/** What exec answers when it hands a still-running command over to `process`. */
export function runningResult(job: ProcessJob) {
  return {
    status: "running" as const,
    sessionId: job.id,
    pid: job.pid,
    startedAt: job.startedAt,
    cwd: job.spec.cwd,
    tail: keepTail(job.output.textFrom(job.output.start), RUNNING_TAIL_CHARS).text,
    followUp: `Command still running (session ${job.id}). Use process (list/poll/log/write/kill/clear/remove) with sessionId "${job.id}" to follow it.`,
  };
}
