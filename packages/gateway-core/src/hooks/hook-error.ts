export type HookErrorCode =
  | "HOOKS_DISABLED"
  | "HOOK_NOT_FOUND"
  | "METHOD_NOT_ALLOWED"
  | "QUERY_TOKEN_REFUSED"
  | "UNAUTHORIZED"
  | "RATE_LIMITED"
  | "BODY_TOO_LARGE"
  | "BODY_TIMEOUT"
  | "INVALID_JSON"
  | "INVALID_PAYLOAD"
  | "AGENT_NOT_ALLOWED"
  | "SESSION_KEY_NOT_ALLOWED"
  | "DELIVERY_INVALID"
  | "RUN_NOT_RECORDED";

/** A hook request refused before (or instead of) a run; `status` is the HTTP status it is answered with. */
export class HookError extends Error {
  override readonly name = "HookError";
  readonly code: HookErrorCode;
  readonly status: number;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    code: HookErrorCode,
    message: string,
    options: { headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = status;
    this.code = code;
    this.headers = options.headers ?? {};
  }

  toJSON() {
    return { ok: false, error: { code: this.code, message: this.message } };
  }
}
