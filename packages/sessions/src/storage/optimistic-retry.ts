import { setTimeout as sleep } from "node:timers/promises";
import { isSessionError, type SessionError } from "../session-error.js";

/** The longest pause between two attempts. */
const MAX_BACKOFF_MS = 200;

/** A version conflict the port reported: another writer (maybe another gateway process) got there first. */
class PortConflict extends Error {
  constructor(readonly original: SessionError) {
    super(original.message);
  }
}

/** Whether `error` is a version conflict that `portWrite` reported (one worth retrying from a fresh read). */
export function isPortConflict(error: unknown): boolean {
  return error instanceof PortConflict;
}

/** Runs one port write; a SESSION_CONFLICT from it marks the attempt as worth retrying. */
export async function portWrite<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isSessionError(error, "SESSION_CONFLICT")) throw new PortConflict(error);
    throw error;
  }
}

/**
 * Runs a read-modify-write attempt until its port write does not conflict, at most `maxAttempts` times. Conflicts
 * the caller raises itself (an `expectedSessionId` that does not match) are not retried: only `portWrite` marks one.
 * Between attempts it waits a random, doubling pause (full jitter): a process that writes the same session in a
 * burst would otherwise win every race and starve the other one until its burst is over.
 */
export async function withConflictRetry<T>(
  maxAttempts: number,
  attempt: () => Promise<T>,
  onExhausted: (error: SessionError, attempts: number) => void,
): Promise<T> {
  for (let attempts = 1; ; attempts += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof PortConflict)) throw error;
      if (attempts >= maxAttempts) {
        onExhausted(error.original, attempts);
        throw error.original;
      }
      await sleep(Math.random() * Math.min(MAX_BACKOFF_MS, 2 ** attempts));
    }
  }
}
