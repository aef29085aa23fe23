import { SessionError } from "../session-error.js";

/** Table names every driver accepts (safe as an SQL identifier suffix and as a file name). */
export const TABLE_NAME_PATTERN = /^[a-z][a-z0-9_.-]*$/;
export const MAX_TABLE_NAME_LENGTH = 64;
export const MAX_TABLE_KEY_LENGTH = 512;

export function assertTableName(name: string): void {
  if (typeof name === "string" && name.length <= MAX_TABLE_NAME_LENGTH && TABLE_NAME_PATTERN.test(name))
    return;
  throw new SessionError(
    "INVALID_STORAGE_REQUEST",
    `table name ${JSON.stringify(name)} is invalid; use lower-case letters, digits, "_", "." or "-", starting with a letter, at most ${MAX_TABLE_NAME_LENGTH} characters`,
    { details: { name } },
  );
}

export function assertTableKey(key: string): void {
  if (typeof key === "string" && key.length > 0 && key.length <= MAX_TABLE_KEY_LENGTH) return;
  throw new SessionError(
    "INVALID_STORAGE_REQUEST",
    `table key must be a non-empty string of at most ${MAX_TABLE_KEY_LENGTH} characters; shorten or hash it`,
    { details: { length: typeof key === "string" ? key.length : undefined } },
  );
}

/** `expectedVersion` is 0 ("must not exist") or a version a read returned. */
export function assertExpectedVersion(version: number | undefined): void {
  if (version === undefined || (Number.isInteger(version) && version >= 0)) return;
  throw new SessionError(
    "INVALID_STORAGE_REQUEST",
    `expectedVersion must be a non-negative integer (0 = must not exist), got ${String(version)}`,
  );
}

/** The error every call on a closed storage fails with. */
export function storageClosedError(driver: string): SessionError {
  return new SessionError(
    "STORE_CLOSED",
    `the ${driver} session storage is closed; open a new one (its driver's open) before using it`,
    { details: { driver } },
  );
}

export function sessionVersionConflict(key: string, expected: number, actual: number): SessionError {
  return new SessionError(
    "SESSION_CONFLICT",
    actual === 0
      ? `session "${key}" does not exist, so it is not at version ${expected}; read it again and retry`
      : `session "${key}" is at version ${actual}, not ${expected}; read it again and retry`,
    { details: { key, expectedVersion: expected, actualVersion: actual } },
  );
}

export function tableVersionConflict(
  table: string,
  key: string,
  expected: number,
  actual: number,
): SessionError {
  return new SessionError(
    "SESSION_CONFLICT",
    `table "${table}" key "${key}" is at version ${actual}, not ${expected}; read it again and retry`,
    { details: { table, key, expectedVersion: expected, actualVersion: actual } },
  );
}
