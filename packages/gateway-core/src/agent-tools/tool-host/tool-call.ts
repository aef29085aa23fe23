import { randomUUID } from "node:crypto";
import type { AgentTool, ToolContext } from "@openclaw/agent";
import type { Logger } from "../../logging/logger.js";
import { parametersJsonSchema } from "./tool-catalog-item.js";
import { ToolInvokeError, type ToolInvokeErrorCode } from "./tool-invoke-error.js";
import type { ToolTarget } from "./tool-target.js";

export interface ToolInvokeRequest extends ToolTarget {
  /** The tool's name (aliases such as `bash` for `exec` are accepted). */
  name: string;
  args?: Record<string, unknown>;
  /** Merged into `args.action` when the tool has an `action` argument and `args` sets none (OpenClaw). */
  action?: string;
  signal?: AbortSignal;
  /** "http" adds the HTTP deny list (`POST /tools/invoke`). */
  surface?: "http";
}

export interface ToolInvokeResult {
  toolName: string;
  source: "core" | "plugin";
  result: unknown;
}

/** ToolError codes that mean "refused for safety" rather than "failed". */
const REFUSAL_CODES = new Set(["DENIED", "PATH_OUTSIDE_WORKSPACE", "BLOCKED_ADDRESS"]);
const MAX_ISSUES = 5;
const MAX_ISSUE_CHARS = 200;

function withAction(tool: AgentTool, args: Record<string, unknown>, action: string | undefined) {
  if (!action || args.action !== undefined) return args;
  const properties = parametersJsonSchema(tool).properties;
  const hasAction = properties !== null && typeof properties === "object" && "action" in properties;
  return hasAction ? { ...args, action } : args;
}

function clip(text: string): string {
  return text.length > MAX_ISSUE_CHARS ? `${text.slice(0, MAX_ISSUE_CHARS - 3)}...` : text;
}

function invalidArguments(toolName: string, issues: readonly { path: PropertyKey[]; message: string }[]) {
  const listed = issues.slice(0, MAX_ISSUES).map((issue) => ({
    path: clip(issue.path.map(String).join(".") || "(args)"),
    message: clip(issue.message),
  }));
  const first = listed[0];
  return new ToolInvokeError(
    "INVALID_ARGUMENTS",
    `invalid arguments for ${toolName}${first ? `: ${first.path}: ${first.message}` : ""}`,
    { issues: listed, issueCount: issues.length },
  );
}

/** A tool's own failure as a typed error: its ToolError message is for the caller; anything else is a crash. */
function toInvokeError(tool: AgentTool, error: unknown, logger: Pick<Logger, "warn">): ToolInvokeError {
  const failure = error as { name?: unknown; code?: unknown; message?: unknown; issues?: unknown };
  if (failure?.name === "ToolError" && typeof failure.code === "string") {
    const code: ToolInvokeErrorCode =
      failure.code === "INVALID_ARGUMENTS"
        ? "INVALID_ARGUMENTS"
        : REFUSAL_CODES.has(failure.code)
          ? "DENIED"
          : "TOOL_ERROR";
    return new ToolInvokeError(code, String(failure.message), { toolErrorCode: failure.code });
  }
  if (failure?.name === "ZodError" && Array.isArray(failure.issues)) {
    return invalidArguments(tool.name, failure.issues as { path: PropertyKey[]; message: string }[]);
  }
  logger.warn("tool invocation failed", {
    tool: tool.name,
    error: error instanceof Error ? error.message : String(error),
  });
  return new ToolInvokeError("TOOL_FAILED", "tool execution failed");
}

/**
 * Validates the arguments with the tool's schema (so a bad call fails before the tool runs) and runs the tool as a
 * model turn would, outside any run: no call id, a fresh run id, partial results dropped.
 */
export async function runToolCall(
  tool: AgentTool,
  request: ToolInvokeRequest,
  target: { sessionKey: string; agentId: string },
  logger: Pick<Logger, "warn">,
): Promise<unknown> {
  const args = withAction(tool, request.args ?? {}, request.action);
  const checked = tool.parameters.safeParse(args);
  if (!checked.success) throw invalidArguments(tool.name, checked.error.issues);
  const context: ToolContext = {
    sessionKey: target.sessionKey,
    agentId: target.agentId,
    runId: randomUUID(),
    toolCallId: "",
    signal: request.signal ?? new AbortController().signal,
    update() {},
  };
  try {
    return await tool.execute(args, context);
  } catch (error) {
    throw toInvokeError(tool, error, logger);
  }
}
