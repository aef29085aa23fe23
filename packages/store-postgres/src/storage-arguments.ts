import { SessionError } from "@openclaw/sessions";

/** `expectedVersion` is 0 ("must not exist") or a version a read returned. */
export function assertExpectedVersion(version: number | undefined): void {
  if (version === undefined || (Number.isInteger(version) && version >= 0)) return;
  throw new SessionError(
    "INVALID_STORAGE_REQUEST",
    `expectedVersion must be a non-negative integer (0 = must not exist), got ${String(version)}`,
  );
}

/** A value as JSON text; the port stores JSON, so `undefined`, functions and cycles are refused up front. */
export function jsonText(value: unknown, what: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (cause) {
    throw new SessionError(
      "INVALID_STORAGE_REQUEST",
      `${what} is not JSON-serialisable; drop cyclic or BigInt fields`,
      {
        cause,
      },
    );
  }
  if (text === undefined) {
    throw new SessionError(
      "INVALID_STORAGE_REQUEST",
      `${what} is not a JSON value (got ${typeof value}); store null instead`,
    );
  }
  return text;
}

/**
 * SESSION_CONFLICT for a write whose expectedVersion did not match. `actual` is the version the statement's snapshot
 * saw (null: no row); when it equals `expected`, a concurrent writer committed while this write waited for the row.
 */
export function versionConflict(
  what: string,
  expected: number,
  actual: number | null,
  details: Record<string, unknown>,
): SessionError {
  const wanted = expected === 0 ? "absent" : `at version ${expected}`;
  if (actual === expected) {
    return new SessionError(
      "SESSION_CONFLICT",
      `${what} was changed by a concurrent write while this one waited, so it is no longer ${wanted}; read it again and retry`,
      { details: { ...details, expectedVersion: expected } },
    );
  }
  const now = actual === null ? "does not exist" : `is at version ${actual}`;
  return new SessionError("SESSION_CONFLICT", `${what} ${now}, not ${wanted}; read it again and retry`, {
    details: { ...details, expectedVersion: expected, actualVersion: actual ?? 0 },
  });
}
