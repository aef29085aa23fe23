import { mkdir } from "node:fs/promises";
import type { AgentTool } from "@openclaw/agent";
import { parseSessionKey } from "@openclaw/sessions";
import { z } from "zod";
import type { ExecAllowlist } from "./exec-allowlist.js";
import type { ExecApprovalManager } from "./exec-approval-manager.js";

export type ExecMode = "deny" | "allowlist" | "ask" | "auto" | "full";

export interface ExecToolOptions {
  approvals: ExecApprovalManager;
  allowlist: ExecAllowlist;
  /** Read on every call, so a config edit applies to the next command. */
  policy(): { mode: ExecMode; approvalTimeoutMs: number; timeoutSec: number };
  /** The folder commands run in when the model names none: the agent's workspace. */
  workspaceFor(agentId: string): string | undefined;
}

const OUTPUT_LIMIT = 16 * 1024;

const ExecArgsSchema = z.object({
  command: z.string().min(1).describe("The shell command to run (sh -c)."),
  cwd: z.string().min(1).optional().describe("Working directory; defaults to the agent workspace."),
});

function clip(text: string): string {
  return text.length > OUTPUT_LIMIT ? `${text.slice(0, OUTPUT_LIMIT)}\n[output truncated]` : text;
}

async function runShell(command: string, cwd: string | undefined, timeoutSec: number, signal: AbortSignal) {
  // Loaded on the first command: most gateways never run one, and child_process costs memory at start.
  const { execFile } = await import("node:child_process");
  return new Promise<{ status: "completed"; exitCode: number | null; stdout: string; stderr: string }>(
    (resolve) => {
      execFile(
        "/bin/sh",
        ["-c", command],
        { cwd, timeout: timeoutSec * 1000, maxBuffer: 4 * OUTPUT_LIMIT, signal, encoding: "utf8" },
        (error, stdout, stderr) => {
          const code = error && typeof error.code === "number" ? error.code : error ? null : 0;
          resolve({ status: "completed", exitCode: code, stdout: clip(stdout), stderr: clip(stderr) });
        },
      );
    },
  );
}

/**
 * The agent's `exec` tool. Policy decides before anything runs: "ask" announces the command to approval clients and
 * waits (silence denies), "allowlist" runs only commands allowed always, "full" runs everything, "deny" nothing.
 * A denied command comes back to the model as a result, not an error, so it can tell the user why.
 */
export function createExecTool(options: ExecToolOptions): AgentTool {
  return {
    name: "exec",
    description:
      "Run a shell command on the gateway host and return its exit code and output. An operator may have to approve it first.",
    parameters: ExecArgsSchema,
    async execute(rawArgs, ctx) {
      const args = ExecArgsSchema.parse(rawArgs);
      const policy = options.policy();
      const agentId = parseSessionKey(ctx.sessionKey)?.agentId ?? "main";
      const cwd = args.cwd ?? options.workspaceFor(agentId);
      if (policy.mode === "deny") {
        return { status: "denied", reason: "shell commands are disabled (tools.exec.mode is deny)" };
      }
      if (policy.mode === "allowlist" && !options.allowlist.allows(agentId, args.command)) {
        return {
          status: "denied",
          reason: "this command is not on the allowlist (tools.exec.mode is allowlist)",
        };
      }
      if (policy.mode === "ask" || policy.mode === "auto") {
        const resolution = await options.approvals.request({
          command: args.command,
          cwd: cwd ?? null,
          agentId,
          sessionKey: ctx.sessionKey,
          runId: ctx.runId,
          host: "gateway",
          timeoutMs: policy.approvalTimeoutMs,
        });
        if (resolution.decision === "deny") {
          return {
            status: "denied",
            reason:
              resolution.reason === "timeout"
                ? "no operator approved the command in time"
                : "an operator denied the command",
          };
        }
      }
      // The workspace may not exist yet on a fresh install; a folder the model names must already exist.
      if (!args.cwd && cwd) await mkdir(cwd, { recursive: true, mode: 0o700 });
      return runShell(args.command, cwd, policy.timeoutSec, ctx.signal);
    },
  };
}
