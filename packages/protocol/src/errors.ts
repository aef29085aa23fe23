import { z } from "zod";
import { LIMITS } from "./limits.js";

/** Top-level error codes: few and stable. The precise reason goes in `details.code`. */
export const ErrorCodes = {
  INVALID_REQUEST: "INVALID_REQUEST",
  FORBIDDEN: "FORBIDDEN",
  UNAVAILABLE: "UNAVAILABLE",
  NOT_PAIRED: "NOT_PAIRED",
  APPROVAL_NOT_FOUND: "APPROVAL_NOT_FOUND",
  INTERNAL: "INTERNAL",
} as const;
export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/** Values of `error.details.code`: what exactly went wrong. Clients branch on these, never on messages. */
export const ErrorDetailCodes = {
  AUTH_REQUIRED: "AUTH_REQUIRED",
  AUTH_TOKEN_MISSING: "AUTH_TOKEN_MISSING",
  AUTH_TOKEN_MISMATCH: "AUTH_TOKEN_MISMATCH",
  AUTH_PASSWORD_MISSING: "AUTH_PASSWORD_MISSING",
  AUTH_PASSWORD_MISMATCH: "AUTH_PASSWORD_MISMATCH",
  AUTH_RATE_LIMITED: "AUTH_RATE_LIMITED",
  AUTH_TOKEN_NOT_CONFIGURED: "AUTH_TOKEN_NOT_CONFIGURED",
  AUTH_PASSWORD_NOT_CONFIGURED: "AUTH_PASSWORD_NOT_CONFIGURED",
  PROTOCOL_MISMATCH: "PROTOCOL_MISMATCH",
  MISSING_SCOPE: "MISSING_SCOPE",
  INVALID_FRAME: "INVALID_FRAME",
  INVALID_JSON: "INVALID_JSON",
  INVALID_PARAMS: "INVALID_PARAMS",
  UNKNOWN_METHOD: "UNKNOWN_METHOD",
  ALREADY_CONNECTED: "ALREADY_CONNECTED",
  CONNECT_REQUIRED: "CONNECT_REQUIRED",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  SESSION_NOT_FOUND: "SESSION_NOT_FOUND",
  SESSION_AMBIGUOUS: "SESSION_AMBIGUOUS",
  AGENT_NOT_FOUND: "AGENT_NOT_FOUND",
  AGENT_EXISTS: "AGENT_EXISTS",
  CONFIG_INVALID: "CONFIG_INVALID",
  CONFIG_CONFLICT: "CONFIG_CONFLICT",
  /** A config write refused while the file on disk is invalid and the last good config is running. */
  CONFIG_FILE_INVALID: "CONFIG_FILE_INVALID",
  SHUTTING_DOWN: "SHUTTING_DOWN",
} as const;
export type ErrorDetailCode = (typeof ErrorDetailCodes)[keyof typeof ErrorDetailCodes];

export const ErrorShapeSchema = z.object({
  code: z.string(),
  message: z.string(),
  details: z.unknown().optional(),
  retryable: z.boolean().optional(),
  retryAfterMs: z.int().min(0).optional(),
});
export type ErrorShape = z.infer<typeof ErrorShapeSchema>;

export interface GatewayErrorOptions {
  details?: Record<string, unknown>;
  retryable?: boolean;
  retryAfterMs?: number;
  cause?: unknown;
}

/**
 * An error that crosses the wire. `code` is one of {@link ErrorCodes}; `details.code` (when present) is one of
 * {@link ErrorDetailCodes}. The message says what to do next.
 */
export class GatewayError extends Error {
  override readonly name = "GatewayError";
  /** One of {@link ErrorCodes} when this gateway raised it; a peer's own code is kept verbatim. */
  readonly code: ErrorCode | (string & {});
  readonly details: Record<string, unknown> | undefined;
  readonly retryable: boolean | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(code: ErrorCode | (string & {}), message: string, options: GatewayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details;
    this.retryable = options.retryable;
    this.retryAfterMs = options.retryAfterMs;
  }

  get detailCode(): string | undefined {
    const value = this.details?.code;
    return typeof value === "string" ? value : undefined;
  }

  toShape(): ErrorShape {
    const shape: ErrorShape = { code: this.code, message: this.message };
    if (this.details !== undefined) shape.details = this.details;
    if (this.retryable !== undefined) shape.retryable = this.retryable;
    if (this.retryAfterMs !== undefined) shape.retryAfterMs = Math.max(0, Math.ceil(this.retryAfterMs));
    return shape;
  }

  static fromShape(shape: ErrorShape): GatewayError {
    const details =
      shape.details && typeof shape.details === "object"
        ? (shape.details as Record<string, unknown>)
        : undefined;
    return new GatewayError(shape.code, shape.message, {
      details,
      retryable: shape.retryable,
      retryAfterMs: shape.retryAfterMs,
    });
  }
}

export interface IssueSummary {
  path: string;
  message: string;
}

function clip(text: string): string {
  return text.length > LIMITS.errorTextChars ? `${text.slice(0, LIMITS.errorTextChars - 1)}…` : text;
}

/**
 * Turns zod issues into `details` a client can act on: the path and message of the first
 * {@link LIMITS}.errorIssues issues, each cut to `errorTextChars`, so an error reply stays small however broken the
 * input was.
 */
export function describeZodIssues(error: z.ZodError): IssueSummary[] {
  return error.issues.slice(0, LIMITS.errorIssues).map((issue) => ({
    path: clip(issue.path.length === 0 ? "(root)" : issue.path.map(String).join(".")),
    message: clip(issue.message),
  }));
}

/** The `details` of an invalid-params error: the first issues, how many there were, and whether some were left out. */
export function zodIssueDetails(error: z.ZodError): {
  issues: IssueSummary[];
  issueCount: number;
  truncated: boolean;
} {
  const issues = describeZodIssues(error);
  return { issues, issueCount: error.issues.length, truncated: error.issues.length > issues.length };
}
