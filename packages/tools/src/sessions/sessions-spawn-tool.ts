import type { AgentTool } from "@openclaw/agent";
import { z } from "zod";
import { parseToolArgs } from "../fs/fs-tool-context.js";
import type { AgentInfo, SessionsPort } from "../ports/sessions-port.js";
import { ToolError } from "../tool-error.js";
import { refuseUnsupportedParams } from "./refuse-unsupported-params.js";
import type { SessionToolsOptions } from "./session-tool-target.js";
import type { SubagentSettings } from "./session-tools-config.js";

export const SPAWN_MAX_TASK_CHARS = 100_000;
const TASK_NAME = /^[a-z][a-z0-9_-]{0,63}$/;
const RESERVED_TASK_NAMES = new Set(["last", "all"]);

const SessionsSpawnSchema = z.object({
  task: z.string().min(1).max(SPAWN_MAX_TASK_CHARS).describe("What the sub-agent should do, self-contained."),
  taskName: z
    .string()
    .max(64)
    .optional()
    .describe("Stable later-target alias; starts lowercase letter; then lowercase/digit/_/-."),
  label: z
    .string()
    .max(200)
    .optional()
    .describe("Short task title shown in UI lists; name the work, not the agent."),
  runtime: z.enum(["subagent", "acp"]).optional(),
  agentId: z.string().min(1).max(64).optional().describe("Run under another agent (see agents_list)."),
  model: z.string().min(1).max(256).optional().describe("<provider>/<model> for the sub-agent."),
  runTimeoutSeconds: z
    .int()
    .min(0)
    .max(86_400)
    .optional()
    .describe(
      "Per-run timeout in seconds; overrides the configured subagent default. Zero means the default.",
    ),
  mode: z.enum(["run", "session"]).optional().describe('"run" one-shot (the only mode here).'),
  cleanup: z
    .enum(["delete", "keep"])
    .optional()
    .describe('"delete" archives the child session after it reported.'),
  expectsCompletionMessage: z
    .boolean()
    .optional()
    .describe("false: fire-and-forget; no result is announced back to you."),
  completionTarget: z
    .enum(["parent"])
    .optional()
    .describe("parent: the result comes back as a private turn; nothing is sent to a channel automatically."),
  sandbox: z.enum(["inherit", "require"]).optional(),
  context: z
    .enum(["isolated", "fork"])
    .optional()
    .describe('"isolated" (default) starts clean; "fork" copies this conversation into the child first.'),
});

/** OpenClaw parameters that would change behaviour and are not implemented here. */
const UNSUPPORTED = {
  thinking: "thinking levels are not set per run here; pick a model instead",
  cwd: "sub-agents work in their agent's workspace; mention the folder in the task",
  thread: "thread-bound sub-agent sessions are not available here",
  lightContext: "light bootstrap is not available here",
  visible: "persistent dashboard sessions are not spawned here; use a hidden sub-agent run",
  attachments: "inline attachments are not staged here; write the content to the workspace and name the file",
  attachAs: "inline attachments are not staged here",
  resumeSessionId: "ACP runtimes are not available here",
  streamTo: "ACP runtimes are not available here",
  placement: "only local execution is available",
  worktree: "managed worktrees are not available here",
  collect: "swarm collectors are not available here",
  target: "sessions_spawn has no channel delivery: the result comes back to you; send it on with message",
  channel: "sessions_spawn has no channel delivery: the result comes back to you; send it on with message",
  to: "sessions_spawn has no channel delivery: the result comes back to you; send it on with message",
  threadId: "sessions_spawn has no channel delivery: the result comes back to you; send it on with message",
  replyTo: "sessions_spawn has no channel delivery: the result comes back to you; send it on with message",
  transport: "sessions_spawn has no channel delivery: the result comes back to you; send it on with message",
  timeoutSeconds: 'use "runTimeoutSeconds" for a per-run timeout',
};

export function createSessionsSpawnTool(port: SessionsPort, options: SessionToolsOptions): AgentTool {
  return {
    name: "sessions_spawn",
    description:
      'Start a sub-agent in its own isolated session for background or parallel work. Returns at once with {status:"accepted", childSessionKey, runId}; when the sub-agent finishes, its result arrives in this session as a new message. Do not poll for it. Write a self-contained task.',
    parameters: SessionsSpawnSchema,
    async execute(rawArgs, ctx) {
      refuseUnsupportedParams("sessions_spawn", rawArgs, UNSUPPORTED);
      const args = parseToolArgs("sessions_spawn", SessionsSpawnSchema, rawArgs);
      if (ctx.sessionKey === "") {
        return forbidden(
          "sessions_spawn needs a calling session to report the result to; call it from an agent run",
        );
      }
      if (args.runtime === "acp") {
        return forbidden(
          'runtime="acp" is unavailable: no ACP runtime backend runs here; use runtime="subagent"',
        );
      }
      if (args.mode === "session") {
        throw new ToolError(
          "INVALID_ARGUMENTS",
          'sessions_spawn: mode "session" needs thread binding, which is not available here; use mode "run"',
        );
      }
      if (
        args.taskName !== undefined &&
        (!TASK_NAME.test(args.taskName) || RESERVED_TASK_NAMES.has(args.taskName))
      ) {
        return {
          status: "error",
          error: 'taskName must match [a-z][a-z0-9_-]{0,63} and must not be "last" or "all"',
        };
      }
      if (args.completionTarget === "parent" && args.expectsCompletionMessage === false) {
        throw new ToolError(
          "INVALID_ARGUMENTS",
          'sessions_spawn: completionTarget "parent" needs the completion message; drop expectsCompletionMessage: false',
        );
      }
      if (args.sandbox === "require") {
        return forbidden(
          'sessions_spawn sandbox="require" needs a sandboxed target, and sub-agents run unsandboxed here',
        );
      }
      const limits = options.settings(ctx.agentId).subagents;
      const depth = (await port.get(ctx.sessionKey))?.spawnDepth ?? 0;
      if (depth >= limits.maxSpawnDepth) {
        return forbidden(
          `sessions_spawn is not allowed at this depth (current depth: ${depth}, max: ${limits.maxSpawnDepth}); do the work here (agents.defaults.subagents.maxSpawnDepth)`,
        );
      }
      const target = resolveTargetAgent(port.agents(), ctx.agentId, args.agentId, limits);
      if (!target.ok) return target.result;
      const context = args.context ?? "isolated";
      if (context === "fork" && target.agentId !== ctx.agentId) {
        return {
          status: "error",
          error:
            'context="fork" requires the same target agent as the requester; use context="isolated" for cross-agent spawns',
        };
      }
      const model = args.model ?? limits.model;
      const runTimeoutSeconds = args.runTimeoutSeconds ?? limits.runTimeoutSeconds;
      const expectsCompletionMessage = args.expectsCompletionMessage ?? true;
      const label = args.label?.trim() || args.taskName;
      const outcome = await port.spawn({
        parentSessionKey: ctx.sessionKey,
        parentAgentId: ctx.agentId,
        agentId: target.agentId,
        task: args.task,
        ...(label ? { label } : {}),
        ...(model ? { model } : {}),
        ...(runTimeoutSeconds > 0 ? { runTimeoutMs: runTimeoutSeconds * 1000 } : {}),
        context,
        cleanup: args.cleanup ?? "keep",
        expectsCompletionMessage,
        ...(args.completionTarget ? { completionTarget: args.completionTarget } : {}),
        limits: { maxChildrenPerSession: limits.maxChildrenPerAgent, maxConcurrent: limits.maxConcurrent },
      });
      if (outcome.status !== "accepted") return outcome;
      return {
        status: "accepted",
        childSessionKey: outcome.childSessionKey,
        runId: outcome.runId,
        mode: "run",
        expectsCompletionMessage,
        ...(args.completionTarget ? { completionTarget: args.completionTarget } : {}),
        context: outcome.context,
        ...(args.taskName ? { taskName: args.taskName } : {}),
        ...(outcome.note ? { note: outcome.note } : {}),
        ...(model ? { resolvedModel: model, resolvedProvider: model.split("/")[0] } : {}),
      };
    },
  };
}

function forbidden(error: string) {
  return { status: "forbidden" as const, error };
}

type TargetAgent = { ok: true; agentId: string } | { ok: false; result: { status: string; error: string } };

/** OpenClaw's target rule: the caller's own agent, or one listed in `subagents.allowAgents` (`*` = any configured). */
function resolveTargetAgent(
  agents: AgentInfo[],
  requesterAgentId: string,
  requested: string | undefined,
  limits: SubagentSettings,
): TargetAgent {
  if (requested === undefined) {
    if (limits.requireAgentId) {
      return {
        ok: false,
        result: forbidden("sessions_spawn requires agentId; use an allowed agent (see agents_list)"),
      };
    }
    return { ok: true, agentId: requesterAgentId };
  }
  const agentId = requested.trim().toLowerCase();
  if (!/^[a-z0-9][a-z0-9_-]{0,63}$/.test(agentId)) {
    return {
      ok: false,
      result: {
        status: "error",
        error: `Invalid agentId "${requested}". Agent IDs must match [a-z0-9][a-z0-9_-]{0,63}.`,
      },
    };
  }
  if (agentId === requesterAgentId) return { ok: true, agentId };
  const allowed = allowedSpawnTargets(agents, requesterAgentId, limits);
  if (!allowed.ids.includes(agentId)) {
    return {
      ok: false,
      result: forbidden(
        `agentId "${agentId}" is not allowed for sessions_spawn (allowed: ${allowed.ids.join(", ")}); list it in agents.defaults.subagents.allowAgents`,
      ),
    };
  }
  return { ok: true, agentId };
}

/** The agents `sessions_spawn` may target from `requesterAgentId`: its own, then allowed configured ones. */
export function allowedSpawnTargets(
  agents: AgentInfo[],
  requesterAgentId: string,
  limits: Pick<SubagentSettings, "allowAgents">,
): { ids: string[]; allowAny: boolean } {
  const configured = agents.map((agent) => agent.id);
  const allow = (limits.allowAgents ?? []).map((id) => id.trim().toLowerCase()).filter((id) => id !== "");
  const allowAny = allow.includes("*");
  const others = configured
    .filter((id) => id !== requesterAgentId && (allowAny || allow.includes(id)))
    .sort((a, b) => a.localeCompare(b));
  return { ids: [requesterAgentId, ...others], allowAny };
}
