/** Stable codes a built-in tool fails with; the model sees `message`, which names what to do instead. */
export type ToolErrorCode =
  | "INVALID_ARGUMENTS"
  | "PATH_OUTSIDE_WORKSPACE"
  | "NOT_FOUND"
  | "TOO_LARGE"
  | "NOT_UNIQUE"
  | "PATCH_FAILED"
  | "BLOCKED_ADDRESS"
  | "FETCH_FAILED"
  | "NOT_CONFIGURED"
  | "PROVIDER_ERROR"
  | "DENIED"
  | "UNAVAILABLE"
  | "TIMEOUT"
  | "MEMORY_PATH_NOT_ALLOWED"
  | "UNSUPPORTED_CONTENT";

export class ToolError extends Error {
  readonly code: ToolErrorCode;

  constructor(code: ToolErrorCode, message: string) {
    super(message);
    this.name = "ToolError";
    this.code = code;
  }
}
