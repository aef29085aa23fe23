export type SessionErrorCode =
  | "SESSION_NOT_FOUND"
  | "SESSION_AMBIGUOUS"
  | "SESSION_CONFLICT"
  | "INVALID_SESSION_KEY"
  | "INVALID_SESSION_QUERY"
  | "INVALID_SESSION_PATCH"
  | "INVALID_TRANSCRIPT_ENTRY"
  | "STORE_CORRUPT"
  | "STORE_CLOSED"
  /** A storage call with a malformed argument: a bad table name or key, a negative limit. */
  | "INVALID_STORAGE_REQUEST"
  /** OpenClaw's state directory could not be read for the import (e.g. node:sqlite missing for its SQLite layout). */
  | "OPENCLAW_STATE_UNREADABLE";

export interface SessionErrorOptions {
  details?: Record<string, unknown>;
  cause?: unknown;
}

/** Every failure this package reports on purpose. Branch on `code`; the message says what to do. */
export class SessionError extends Error {
  override readonly name = "SessionError";
  readonly code: SessionErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(code: SessionErrorCode, message: string, options: SessionErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    if (options.details !== undefined) this.details = options.details;
  }
}

export function isSessionError(value: unknown, code?: SessionErrorCode): value is SessionError {
  return value instanceof SessionError && (code === undefined || value.code === code);
}
