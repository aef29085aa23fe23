/**
 * Why a direct tool call (`POST /tools/invoke`) did not produce a result:
 * - INVALID_REQUEST: the call itself is malformed (no name, a session key of another agent, ...);
 * - NOT_FOUND: no such tool, or the policy does not offer it here (OpenClaw answers both alike);
 * - INVALID_ARGUMENTS: the arguments break the tool's schema;
 * - DENIED: the tool refused the call for a safety reason (outside the workspace, a blocked address, ...);
 * - TOOL_ERROR: the tool reported a failure meant for its caller (its message is safe to show);
 * - TOOL_FAILED: the tool crashed; the message is generic and the cause is logged.
 */
export type ToolInvokeErrorCode =
  | "INVALID_REQUEST"
  | "NOT_FOUND"
  | "INVALID_ARGUMENTS"
  | "DENIED"
  | "TOOL_ERROR"
  | "TOOL_FAILED";

export class ToolInvokeError extends Error {
  override readonly name = "ToolInvokeError";
  readonly code: ToolInvokeErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ToolInvokeErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.code = code;
    this.details = details;
  }
}
