import { SessionError } from "@openclaw/sessions";
import { PostgresStorageError } from "./postgres-storage-error.js";

const UNREACHABLE_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ECONNRESET",
]);

/** PostgreSQL SQLSTATEs a retry after a fresh read resolves: another writer got there first. */
const CONFLICT_STATES = new Set(["23505", "40001", "40P01"]);

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  errors?: unknown;
}

/**
 * Turns what `pg` or the server threw into this package's errors: conflicts become SESSION_CONFLICT (as every
 * storage reports them), connection problems name `storage.url` and how to check the server. Errors that are
 * already ours pass through untouched.
 */
export function mapPostgresError(error: unknown, location: string): Error {
  if (error instanceof SessionError || error instanceof PostgresStorageError) return error;
  const code = errorCode(error);
  const message = errorMessage(error);
  if (code !== undefined && CONFLICT_STATES.has(code)) {
    return new SessionError("SESSION_CONFLICT", `a concurrent write won (${message}); read again and retry`, {
      cause: error,
      details: { sqlState: code },
    });
  }
  if (isUnreachable(code, message)) {
    return new PostgresStorageError(
      "STORAGE_UNREACHABLE",
      `cannot reach PostgreSQL at ${location} (${code ?? message}): check storage.url (or OPENCLAW_STORAGE_URL), that the server runs (\`pg_isready -h <host> -p <port>\`) and that it accepts TCP connections from this host`,
      { cause: error, details: { location, code } },
    );
  }
  if (code === "28P01" || code === "28000") {
    return new PostgresStorageError(
      "STORAGE_AUTH_FAILED",
      `PostgreSQL at ${location} refused the login (${message}): fix the user or password in storage.url, or the server's pg_hba.conf`,
      { cause: error, details: { location, sqlState: code } },
    );
  }
  if (code === "3D000") {
    return new PostgresStorageError(
      "STORAGE_AUTH_FAILED",
      `${message} at ${location}: create it (\`createdb <name>\`) or fix the database name in storage.url`,
      { cause: error, details: { location, sqlState: code } },
    );
  }
  if (code === "42501") {
    return new PostgresStorageError(
      "STORAGE_AUTH_FAILED",
      `the user in storage.url lacks a privilege (${message}): create the schema (storage.schema) owned by that user, or GRANT CREATE ON DATABASE to it`,
      { cause: error, details: { location, sqlState: code } },
    );
  }
  if (code === "57014") {
    return new PostgresStorageError(
      "STORAGE_QUERY_FAILED",
      `a PostgreSQL statement was cancelled (${message}); raise statementTimeoutMs if the server is just slow`,
      { cause: error, details: { sqlState: code } },
    );
  }
  return new PostgresStorageError("STORAGE_QUERY_FAILED", `PostgreSQL at ${location} failed: ${message}`, {
    cause: error,
    details: code === undefined ? {} : { sqlState: code },
  });
}

// pg reports its own connect timeout and a dropped socket without a code.
function isUnreachable(code: string | undefined, message: string): boolean {
  if (code !== undefined) return UNREACHABLE_CODES.has(code);
  return /timeout expired|connection timeout|connection terminated/i.test(message);
}

// Node reports a refused connect to every address of a host (e.g. ::1 and 127.0.0.1) as an AggregateError.
function errorCode(error: unknown): string | undefined {
  const value = error as ErrorLike | undefined;
  if (typeof value?.code === "string") return value.code;
  if (Array.isArray(value?.errors)) {
    for (const inner of value.errors) {
      const code = errorCode(inner);
      if (code !== undefined) return code;
    }
  }
  return undefined;
}

function errorMessage(error: unknown): string {
  const value = error as ErrorLike | undefined;
  if (typeof value?.message === "string" && value.message !== "") return value.message;
  return String(error);
}
