export type SqliteStorageErrorCode =
  | "INVALID_SQLITE_OPTIONS"
  | "SQLITE_UNAVAILABLE"
  | "SQLITE_OPEN_FAILED"
  | "SQLITE_SCHEMA_TOO_NEW"
  | "SQLITE_WRITER_FAILED";

/** Failures of the SQLite driver itself (port-level failures are `SessionError`s). Branch on `code`. */
export class SqliteStorageError extends Error {
  override readonly name = "SqliteStorageError";
  readonly code: SqliteStorageErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(
    code: SqliteStorageErrorCode,
    message: string,
    options: { details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    if (options.details !== undefined) this.details = options.details;
  }
}
