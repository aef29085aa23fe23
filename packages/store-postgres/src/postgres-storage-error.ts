export type PostgresStorageErrorCode =
  /** The options (or `storage` config section) are missing or malformed. */
  | "STORAGE_CONFIG_INVALID"
  /** The server did not answer at `storage.url` (refused, unknown host, timed out). */
  | "STORAGE_UNREACHABLE"
  /** The server answered but refused the user, password or database. */
  | "STORAGE_AUTH_FAILED"
  /** The schema was migrated by a newer build than this one. */
  | "STORAGE_SCHEMA_TOO_NEW"
  /** A statement failed for a reason not listed above (the cause carries PostgreSQL's code). */
  | "STORAGE_QUERY_FAILED";

export interface PostgresStorageErrorOptions {
  details?: Record<string, unknown>;
  cause?: unknown;
}

/**
 * A failure of the PostgreSQL storage itself (configuration, connection, schema). Conflicts and bad arguments are
 * `SessionError`s, as with every other storage. Branch on `code`; the message says what to do.
 */
export class PostgresStorageError extends Error {
  override readonly name = "PostgresStorageError";
  readonly code: PostgresStorageErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(code: PostgresStorageErrorCode, message: string, options: PostgresStorageErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    if (options.details !== undefined) this.details = options.details;
  }
}

export function isPostgresStorageError(
  value: unknown,
  code?: PostgresStorageErrorCode,
): value is PostgresStorageError {
  return value instanceof PostgresStorageError && (code === undefined || value.code === code);
}
