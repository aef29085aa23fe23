import { ToolError } from "@openclaw/tools/config";
import { z } from "zod";

const MAX_ENV_ENTRIES = 64;

const execArgsShape = {
  title: z
    .string()
    .max(120)
    .optional()
    .describe("Short purpose of this call; never claims success. No secrets."),
  command: z.string().min(1).max(100_000).describe("Shell command (run with /bin/sh -c)."),
  workdir: z
    .string()
    .max(4096)
    .optional()
    .describe(
      "Working directory. Omit or empty: the agent workspace. Relative paths resolve against it; ~ is not expanded.",
    ),
  env: z
    .record(z.string().max(256), z.string().max(32_768))
    .refine((env) => Object.keys(env).length <= MAX_ENV_ENTRIES, {
      message: `at most ${MAX_ENV_ENTRIES} variables`,
    })
    .optional()
    .describe(
      "Literal overrides on top of the inherited environment; PATH and loader variables are refused.",
    ),
  yieldMs: z.number().optional().describe("Milliseconds before backgrounding; default 10000."),
  background: z.boolean().optional().describe("Background now; timeoutSeconds still applies."),
  timeoutSeconds: z
    .number()
    .min(0)
    .max(604_800)
    .optional()
    .describe("Process lifetime in seconds (default tools.exec timeout); 0 disables."),
  pty: z.boolean().optional().describe("Not available on this gateway: true is refused."),
  elevated: z.boolean().optional().describe("Not available on this gateway: true is refused."),
  host: z
    .enum(["auto", "sandbox", "gateway", "node"])
    .optional()
    .describe("Omit/auto/gateway: the gateway host. sandbox and node are refused here."),
  ask: z
    .enum(["off", "on-miss", "always"])
    .optional()
    .describe(
      "Ask an operator before running: on-miss unless allowed always, always every time. Only tightens tools.exec.mode.",
    ),
  node: z
    .string()
    .max(256)
    .optional()
    .describe("Node id/name for host=node (not available on this gateway)."),
};

/**
 * OpenClaw's `exec` parameters. The object is loose so that `cwd` (this gateway's old name for `workdir`) still
 * works without being offered to the model, and so that parameters OpenClaw retired reach `parseExecArgs` and are
 * refused by name instead of being dropped silently.
 */
export const ExecArgsSchema = z.looseObject(execArgsShape);

export type ExecArgs = z.infer<z.ZodObject<typeof execArgsShape>>;

/** Variables that would let an approved command run other code than the operator saw. */
const REFUSED_ENV_NAMES = new Set([
  "PATH",
  "IFS",
  "ENV",
  "BASH_ENV",
  "BASHOPTS",
  "SHELLOPTS",
  "PS4",
  "NODE_OPTIONS",
  "NODE_PATH",
  "PYTHONPATH",
  "PYTHONHOME",
  "PYTHONSTARTUP",
  "PERL5LIB",
  "PERL5OPT",
  "RUBYLIB",
  "RUBYOPT",
  "GIT_EXEC_PATH",
  "GIT_EXTERNAL_DIFF",
  "GIT_SSH",
  "GIT_SSH_COMMAND",
  "GIT_EDITOR",
  "GIT_SEQUENCE_EDITOR",
  "GIT_CONFIG_GLOBAL",
  "GIT_CONFIG_SYSTEM",
  "EDITOR",
  "VISUAL",
  "PAGER",
  "GIT_PAGER",
  "JAVA_TOOL_OPTIONS",
  "GCONV_PATH",
]);
const REFUSED_ENV_PREFIXES = ["LD_", "DYLD_", "OPENCLAW_", "GIT_CONFIG_"];
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function invalid(message: string): ToolError {
  return new ToolError("INVALID_ARGUMENTS", message);
}

function checkEnv(env: Record<string, string> | undefined): void {
  for (const name of Object.keys(env ?? {})) {
    if (!ENV_NAME.test(name)) throw invalid(`env name "${name.slice(0, 64)}" is not a valid variable name`);
    const upper = name.toUpperCase();
    if (REFUSED_ENV_NAMES.has(upper) || REFUSED_ENV_PREFIXES.some((prefix) => upper.startsWith(prefix))) {
      throw invalid(
        `env.${name} cannot be overridden on the gateway host (it could change which program runs): drop it from env`,
      );
    }
  }
}

/** Parameters that would widen what runs or where: refused by name rather than ignored. */
function refuseUnsupported(args: ExecArgs): void {
  if (args.pty) {
    throw new ToolError(
      "UNAVAILABLE",
      'pty is not supported on this gateway: run without pty (stdin is a pipe; answer prompts with process action "write")',
    );
  }
  if (args.elevated) {
    throw new ToolError(
      "DENIED",
      "elevated is not available: commands already run on the gateway host under tools.exec.mode, and no call can skip its approvals; omit elevated",
    );
  }
  if (args.host === "sandbox") {
    throw new ToolError(
      "UNAVAILABLE",
      'no sandbox runtime on this gateway: omit host (or use "gateway") to run on the gateway host under tools.exec.mode',
    );
  }
  if (args.host === "node" || args.node !== undefined) {
    throw new ToolError(
      "UNAVAILABLE",
      "running commands on paired nodes is not supported by this gateway: omit host and node to run on the gateway host",
    );
  }
}

/** Validates a call's arguments (from a model or `/tools/invoke`), mapping `cwd` to `workdir`. */
export function parseExecArgs(raw: unknown): ExecArgs {
  const parsed = ExecArgsSchema.safeParse(raw);
  if (!parsed.success) throw invalid(`invalid exec arguments: ${z.prettifyError(parsed.error)}`);
  const { cwd, timeout, security, ...rest } = parsed.data;
  const args = rest as ExecArgs;
  if (timeout !== undefined)
    throw invalid('exec parameter "timeout" is not supported: use "timeoutSeconds" (seconds)');
  if (security !== undefined) {
    throw invalid(
      'exec parameter "security" cannot be set per call: tools.exec.mode decides; pass ask: "always" to require approval',
    );
  }
  if (cwd !== undefined && typeof cwd !== "string") throw invalid("cwd must be a string (or use workdir)");
  if (cwd !== undefined && args.workdir !== undefined && cwd !== args.workdir) {
    throw invalid("workdir and cwd (its old name) disagree: pass only workdir");
  }
  const workdir = args.workdir ?? (cwd as string | undefined);
  if (workdir !== undefined && workdir.length > 0 && !workdir.trim()) {
    throw invalid("workdir is only whitespace: omit it for the workspace, or name a folder");
  }
  if (workdir !== undefined && workdir.length > 4096)
    throw invalid("cwd is too long (4096 characters at most)");
  const result: ExecArgs = { ...args, workdir: workdir || undefined };
  checkEnv(result.env);
  refuseUnsupported(result);
  return result;
}
