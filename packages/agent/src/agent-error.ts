export type AgentErrorCode =
  | "NO_PROVIDER_CONFIGURED"
  | "MODEL_NOT_FOUND"
  | "PROVIDER_ERROR"
  | "TIMEOUT"
  | "ABORTED"
  | "TOOL_FAILED"
  | "QUEUE_CLOSED";

export const NO_PROVIDER_MESSAGE =
  "no model provider is configured: add one under models.providers in openclaw.json (run `openclaw config --section models`) or set OPENAI_API_KEY / ANTHROPIC_API_KEY";

export class AgentError extends Error {
  readonly code: AgentErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(code: AgentErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = "AgentError";
    this.code = code;
    if (details !== undefined) this.details = details;
  }
}
