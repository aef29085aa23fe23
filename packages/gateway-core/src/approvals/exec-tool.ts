import { mkdir, stat } from "node:fs/promises";
import { resolve as resolvePath } from "node:path";
import type { AgentTool, ToolContext } from "@openclaw/agent";
import { ToolError } from "@openclaw/tools/config";
import type { ExecAllowlist } from "./exec-allowlist.js";
import type { ExecApprovalManager } from "./exec-approval-manager.js";
import { type ExecArgs, ExecArgsSchema, parseExecArgs } from "./exec-args.js";
import { describeOutcome, RUNNING_TAIL_CHARS, renderOutput, runningResult } from "./exec-result.js";
import { keepTail } from "./output-ring.js";
import type { JobOutcome, ProcessJob } from "./process-job.js";
import { ProcessRegistry, processScopeOf } from "./process-registry.js";
import { createProcessTool } from "./process-tool.js";

export type ExecMode = "deny" | "allowlist" | "ask" | "auto" | "full";

/** `tools.exec` as the config schema parses it; read on every call, so a config edit applies to the next command. */
export interface ExecPolicy {
  mode: ExecMode;
  approvalTimeoutMs: number;
  /** This gateway's first name for the default command timeout; `timeoutSeconds` (OpenClaw's) wins when set. */
  timeoutSec: number;
  timeoutSeconds?: number;
  /** How long exec waits before handing a command over to `process`. Default 10000. */
  backgroundMs?: number;
  /** How long a finished background job stays readable. Default 30 minutes. */
  cleanupMs?: number;
}

export interface ExecToolOptions {
  approvals: ExecApprovalManager;
  allowlist: ExecAllowlist;
  policy(): ExecPolicy;
  /** The folder commands run in when the model names none: the agent's workspace. */
  workspaceFor(agentId: string): string | undefined;
  /** Where commands run and background jobs are kept. Without it every command runs to its end, as in OpenClaw
   * when the process tool is not offered: `yieldMs` and `background` are ignored. */
  processes?: ProcessRegistry;
  /** False when this run is not offered the `process` tool (tool policy), so exec must not background anything. */
  backgroundAllowed?(ctx: ToolContext): boolean;
}

const DEFAULT_BACKGROUND_MS = 10_000;
/** Progress updates for a foreground command are sent at most this often. */
const UPDATE_INTERVAL_MS = 1_000;
const FOREGROUND_TRUNCATION_HINT =
  "a foreground command's output is not kept: redirect it to a file, or run with background: true and page it with process log";

type Denied = { status: "denied"; reason: string };

function denied(reason: string): Denied {
  return { status: "denied", reason };
}

/** Relative folders resolve against the workspace; a folder the model names must already exist. */
async function resolveWorkdir(workdir: string | undefined, workspace: string | undefined) {
  if (!workdir) {
    // The workspace may not exist yet on a fresh install.
    if (workspace) await mkdir(workspace, { recursive: true, mode: 0o700 });
    return workspace;
  }
  const path = resolvePath(workspace ?? process.cwd(), workdir);
  const info = await stat(path).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new ToolError(
      "NOT_FOUND",
      `workdir "${workdir}" (${path}) is not an existing folder: create it first, or omit workdir to use the workspace`,
    );
  }
  return path;
}

function commandEnv(overrides: Record<string, string> | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...overrides, OPENCLAW_SHELL: "exec" };
  // A command must not borrow the gateway's own credentials to answer its approvals over the API.
  delete env.OPENCLAW_GATEWAY_TOKEN;
  delete env.OPENCLAW_GATEWAY_PASSWORD;
  return env;
}

/**
 * Policy decides before anything runs: "ask"/"auto" announce the command to approval clients and wait (silence
 * denies), "allowlist" runs only commands allowed always, "full" runs everything. A call's `ask` only tightens:
 * "on-miss" asks unless allowed always, "always" asks even then.
 */
async function gate(
  options: ExecToolOptions,
  policy: ExecPolicy,
  args: ExecArgs,
  ctx: ToolContext,
  cwd: string | undefined,
): Promise<Denied | undefined> {
  const ask = args.ask ?? "off";
  if (policy.mode === "allowlist" && !options.allowlist.allows(ctx.agentId, args.command)) {
    return denied("this command is not on the allowlist (tools.exec.mode is allowlist)");
  }
  const askOperator =
    policy.mode === "allowlist" ? ask === "always" : policy.mode !== "full" || ask !== "off";
  if (!askOperator) return undefined;
  const envNames = Object.keys(args.env ?? {});
  const resolution = await options.approvals.request(
    {
      command: args.command,
      cwd: cwd ?? null,
      agentId: ctx.agentId,
      sessionKey: ctx.sessionKey,
      runId: ctx.runId,
      host: "gateway",
      timeoutMs: policy.approvalTimeoutMs,
      ...(envNames.length > 0
        ? { warningText: `Runs with environment overrides: ${envNames.join(", ")}` }
        : {}),
    },
    { consultAllowlist: ask !== "always" },
  );
  if (resolution.decision !== "deny") return undefined;
  return denied(
    resolution.reason === "timeout"
      ? "no operator approved the command in time"
      : "an operator denied the command",
  );
}

function foregroundResult(job: ProcessJob, outcome: JobOutcome, timeoutMs: number | undefined) {
  const { output, truncated } = renderOutput(job.output, 0, undefined, FOREGROUND_TRUNCATION_HINT);
  return {
    ...describeOutcome(outcome, timeoutMs),
    cwd: job.spec.cwd,
    output,
    ...(truncated ? { truncated } : {}),
  };
}

/**
 * Waits for the command: its result when it ends first; a running session id when `yieldMs` passes first (the job
 * then outlives the run). Aborting the run stops a command that was not handed over yet.
 */
function follow(
  job: ProcessJob,
  yieldMs: number | undefined,
  ctx: ToolContext,
  timeoutMs: number | undefined,
) {
  if (yieldMs === 0) {
    job.backgrounded = true;
    return Promise.resolve(runningResult(job));
  }
  return new Promise<unknown>((resolve, reject) => {
    let lastUpdate = 0;
    const stopUpdates = job.onChange(() => {
      const now = Date.now();
      if (!job.running || now - lastUpdate < UPDATE_INTERVAL_MS) return;
      lastUpdate = now;
      ctx.update({ status: "running", tail: keepTail(job.output.textFrom(0), RUNNING_TAIL_CHARS).text });
    });
    const cleanup = () => {
      stopUpdates();
      clearTimeout(yieldTimer);
      ctx.signal.removeEventListener("abort", onAbort);
    };
    const onAbort = () => {
      cleanup();
      job.stop("aborted");
      // Rejected once the command has really ended, so "stopped" is true when the caller reads it.
      void job.done.then(() =>
        reject(new ToolError("UNAVAILABLE", "the run was aborted: the command was stopped")),
      );
    };
    const yieldTimer =
      yieldMs === undefined
        ? undefined
        : setTimeout(() => {
            if (!job.running) return;
            cleanup();
            job.backgrounded = true;
            resolve(runningResult(job));
          }, yieldMs);
    ctx.signal.addEventListener("abort", onAbort, { once: true });
    void job.done.then((outcome) => {
      cleanup();
      if (outcome.reason !== "aborted") resolve(foregroundResult(job, outcome, timeoutMs));
    });
  });
}

/**
 * The agent's `exec` tool, with OpenClaw's parameters. A denied command comes back to the model as a result, not an
 * error, so it can tell the user why; parameters this gateway cannot honour (pty, sandbox/node hosts, elevated)
 * are refused by name.
 */
export function createExecTool(options: ExecToolOptions): AgentTool {
  // Without the gateway's registry commands still need one to run in; none of them outlives its call.
  const processes = options.processes ?? new ProcessRegistry();
  return {
    name: "exec",
    description:
      "Run a shell command on the gateway host (in the agent workspace by default) and return its exit code and output. An operator may have to approve it first. A command still running after yieldMs (or at once with background: true) returns a sessionId to follow with the process tool.",
    parameters: ExecArgsSchema,
    async execute(rawArgs, ctx) {
      const args = parseExecArgs(rawArgs);
      const policy = options.policy();
      if (policy.mode === "deny") return denied("shell commands are disabled (tools.exec.mode is deny)");
      const cwd = await resolveWorkdir(args.workdir, options.workspaceFor(ctx.agentId));
      const refusal = await gate(options, policy, args, ctx, cwd);
      if (refusal) return refusal;
      ctx.signal.throwIfAborted();
      const canBackground = options.processes !== undefined && (options.backgroundAllowed?.(ctx) ?? true);
      const timeoutSec = args.timeoutSeconds ?? policy.timeoutSeconds ?? policy.timeoutSec;
      const timeoutMs = timeoutSec > 0 ? timeoutSec * 1000 : undefined;
      const job = await processes.start({
        scope: processScopeOf(ctx),
        agentId: ctx.agentId,
        command: args.command,
        cwd,
        env: commandEnv(args.env),
        timeoutMs,
        keepStdinOpen: canBackground,
        retainMs: policy.cleanupMs,
        ...(args.title ? { title: args.title } : {}),
      });
      const yieldMs = !canBackground
        ? undefined
        : args.background
          ? 0
          : Math.min(Math.max(args.yieldMs ?? policy.backgroundMs ?? DEFAULT_BACKGROUND_MS, 10), 120_000);
      return follow(job, yieldMs, ctx, timeoutMs);
    },
  };
}

/** `exec` and `process` over one registry: what the gateway registers while `tools.exec.mode` allows commands. */
export function createExecTools(options: ExecToolOptions & { processes: ProcessRegistry }): {
  exec: AgentTool;
  process: AgentTool;
} {
  return { exec: createExecTool(options), process: createProcessTool({ processes: options.processes }) };
}
