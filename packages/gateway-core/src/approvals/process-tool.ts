import type { AgentTool } from "@openclaw/agent";
import { ToolError } from "@openclaw/tools/config";
import { z } from "zod";
import {
  commandPreview,
  describeOutcome,
  jobName,
  RESULT_OUTPUT_CHARS,
  renderOutput,
} from "./exec-result.js";
import type { ProcessJob } from "./process-job.js";
import { sliceLogLines } from "./process-log.js";
import { type ProcessRegistry, processScopeOf } from "./process-registry.js";

const PROCESS_ACTIONS = [
  "list",
  "poll",
  "log",
  "write",
  "send-keys",
  "submit",
  "paste",
  "kill",
  "clear",
  "remove",
] as const;

/** OpenClaw's `process` parameters. */
export const ProcessArgsSchema = z.object({
  action: z.enum(PROCESS_ACTIONS).describe(`Process action (${PROCESS_ACTIONS.join("|")}).`),
  sessionId: z.string().min(1).max(64).optional().describe("Required for every action except list."),
  data: z.string().max(1_000_000).optional().describe("Data to write for write."),
  keys: z
    .array(z.string().max(64))
    .max(256)
    .optional()
    .describe("Key tokens for send-keys (needs a PTY session)."),
  hex: z
    .array(z.string().max(8))
    .max(4096)
    .optional()
    .describe("Hex bytes for send-keys (needs a PTY session)."),
  literal: z.string().max(100_000).optional().describe("Literal string for send-keys (needs a PTY session)."),
  text: z.string().max(1_000_000).optional().describe("Text for paste (needs a PTY session)."),
  bracketed: z.boolean().optional().describe("Wrap paste in bracketed mode."),
  eof: z.boolean().optional().describe("Close stdin after write."),
  offset: z.number().min(0).optional().describe("Log: first line (0-based)."),
  limit: z.number().min(0).optional().describe("Log: number of lines."),
  timeout: z
    .number()
    .min(0)
    .optional()
    .describe("Poll: wait up to this many milliseconds for output or exit; at most 30000."),
});

const MAX_POLL_WAIT_MS = 30_000;
const POLL_TRUNCATION_HINT = "use action log with offset and limit to page the retained output";

function notFound(sessionId: string): ToolError {
  return new ToolError(
    "NOT_FOUND",
    `No session found for ${sessionId}: process list shows the background jobs of this session`,
  );
}

function jobState(job: ProcessJob) {
  const base = { sessionId: job.id, name: jobName(job.spec.command) };
  if (!job.outcome) return { status: "running" as const, ...base, stdinWritable: job.stdinWritable };
  return { ...describeOutcome(job.outcome, job.spec.timeoutMs), ...base };
}

function listEntry(job: ProcessJob) {
  return {
    ...jobState(job),
    command: commandPreview(job.spec.command),
    ...(job.spec.title ? { title: job.spec.title } : {}),
    cwd: job.spec.cwd,
    startedAt: job.startedAt,
    runtimeMs: (job.endedAt ?? Date.now()) - job.startedAt,
    ...(job.running ? { pid: job.pid } : { endedAt: job.endedAt }),
  };
}

async function poll(job: ProcessJob, timeout: number | undefined, signal: AbortSignal) {
  const waitMs = Math.min(Math.floor(timeout ?? 0), MAX_POLL_WAIT_MS);
  if (job.running && job.output.end === job.pollCursor) await job.waitForChange(waitMs, signal);
  const { output, truncated } = renderOutput(
    job.output,
    job.pollCursor,
    RESULT_OUTPUT_CHARS,
    POLL_TRUNCATION_HINT,
  );
  job.pollCursor = job.output.end;
  return {
    ...jobState(job),
    output: output.trimEnd() || "(no new output)",
    ...(truncated ? { truncated } : {}),
  };
}

function log(job: ProcessJob, offset: number | undefined, limit: number | undefined) {
  const page = sliceLogLines(job.output.textFrom(job.output.start), offset, limit, RESULT_OUTPUT_CHARS);
  const discarded =
    job.output.start > 0
      ? `[the first ${job.output.start} characters were discarded at the retention cap; lines count from the oldest kept]\n`
      : "";
  return {
    ...jobState(job),
    output: discarded + (page.text || (job.running ? "(no output yet)" : "(no output recorded)")),
    offset: page.offset,
    totalLines: page.totalLines,
    totalChars: job.output.end,
    ...(page.note ? { note: page.note } : {}),
  };
}

async function write(job: ProcessJob, data: string, eof: boolean) {
  if (!job.stdinWritable) {
    throw new ToolError(
      "UNAVAILABLE",
      `Session ${job.id} does not accept input: ${job.running ? "its stdin is closed" : "it has ended"}`,
    );
  }
  await job.write(data);
  if (eof) job.closeInput();
  return { ...jobState(job), bytes: Buffer.byteLength(data), ...(eof ? { stdinClosed: true } : {}) };
}

/** Stops a job and waits for it to end; the grace time before SIGKILL bounds the wait. */
async function kill(job: ProcessJob) {
  if (!job.running) {
    throw new ToolError(
      "NOT_FOUND",
      `Session ${job.id} is not running: it already ended (process poll shows how)`,
    );
  }
  job.stop("killed");
  await job.done;
  return jobState(job);
}

/**
 * The agent's `process` tool: follows the background jobs `exec` handed over, in this session only. Terminal input
 * (send-keys, submit, paste) needs a PTY, which this gateway does not run commands in: those are refused with what
 * to use instead.
 */
export function createProcessTool(options: { processes: ProcessRegistry }): AgentTool {
  const { processes } = options;
  return {
    name: "process",
    description:
      "Manage background exec sessions started in this session: list, poll (new output and exit status; timeout waits), log (lines with offset/limit), write (stdin, eof closes it), kill, clear (a finished one), remove (kill if running, then clear).",
    parameters: ProcessArgsSchema,
    async execute(rawArgs, ctx) {
      const parsed = ProcessArgsSchema.safeParse(rawArgs);
      if (!parsed.success) {
        throw new ToolError(
          "INVALID_ARGUMENTS",
          `invalid process arguments: ${z.prettifyError(parsed.error)}`,
        );
      }
      const args = parsed.data;
      const scope = processScopeOf(ctx);
      if (args.action === "list") {
        const sessions = processes.list(scope).map(listEntry);
        return {
          status: "completed",
          sessions,
          ...(sessions.length ? {} : { note: "No running or recent sessions." }),
        };
      }
      if (args.action === "send-keys" || args.action === "submit" || args.action === "paste") {
        throw new ToolError(
          "UNAVAILABLE",
          `${args.action} needs a terminal (PTY) session, and this gateway runs commands without one: use action "write" with data (for example "y\\n")`,
        );
      }
      if (!args.sessionId) {
        throw new ToolError("INVALID_ARGUMENTS", `sessionId is required for action ${args.action}`);
      }
      const job = processes.find(scope, args.sessionId);
      if (!job) throw notFound(args.sessionId);
      switch (args.action) {
        case "poll":
          return poll(job, args.timeout, ctx.signal);
        case "log":
          return log(job, args.offset, args.limit);
        case "write":
          return write(job, args.data ?? "", args.eof === true);
        case "kill":
          return kill(job);
        case "clear":
          if (job.running) {
            throw new ToolError(
              "UNAVAILABLE",
              `Session ${job.id} is still running: stop it with kill (or use remove to stop and clear it)`,
            );
          }
          processes.forget(job);
          return { status: "completed", sessionId: job.id, message: `Cleared session ${job.id}.` };
        case "remove": {
          const wasRunning = job.running;
          processes.forget(job);
          const message = wasRunning
            ? `Removed session ${job.id} (termination requested).`
            : `Removed session ${job.id}.`;
          return { status: "completed", sessionId: job.id, message };
        }
      }
    },
  };
}
