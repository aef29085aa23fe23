import type { AgentLogger, AgentRunResult, SessionLock } from "./types.js";

export type { SessionLock } from "./types.js";

/** Why a run could not hold its session: reported as the run's error instead of a crash. */
export class SessionLockError extends Error {
  readonly code = "UNAVAILABLE";
}

/**
 * Runs `work` while holding the session (when a lock is configured); the lock is released however work ends, but
 * only once the caller has handled the outcome: the release starts after the current turn of the event loop, so the
 * run's result (its final answer) goes out without waiting for it (on PostgreSQL the release first flushes the run's
 * events, then deletes the lease: round trips the user would otherwise wait for) and still ahead of the release on
 * the cluster's event stream. A run queued on the session meanwhile waits for the lock as any other holder would.
 */
export async function holdingSessionLock<T>(
  { lock, logger }: { lock: SessionLock | undefined; logger: AgentLogger },
  run: { runId: string; sessionKey: string },
  signal: AbortSignal,
  work: () => Promise<T>,
): Promise<T> {
  if (!lock) return work();
  let release: () => Promise<void>;
  try {
    release = await lock(run, signal);
  } catch (error) {
    throw new SessionLockError(
      `the session is busy elsewhere or its lock is unreachable: ${(error as Error).message}`,
      { cause: error },
    );
  }
  try {
    return await work();
  } finally {
    setImmediate(() => {
      release().catch((error: unknown) =>
        logger.warn("agent session lock not released; it is freed when it expires", {
          runId: run.runId,
          sessionKey: run.sessionKey,
          error: error instanceof Error ? error.message : String(error),
        }),
      );
    });
  }
}

/** The result of a run that failed outside `executeRun` (a crash, or its session could not be held). */
export function failedRunResult(
  run: { runId: string; sessionKey: string },
  error: unknown,
  logger: AgentLogger,
): { result: AgentRunResult; failure: { code: string; message: string } } {
  const failure =
    error instanceof SessionLockError
      ? { code: error.code, message: error.message }
      : { code: "PROVIDER_ERROR", message: "the agent run failed unexpectedly" };
  if (!(error instanceof SessionLockError)) {
    // executeRun handles its own failures; this is the last guard that keeps `done` from rejecting.
    logger.error("agent run crashed", {
      runId: run.runId,
      error: error instanceof Error ? error.message : "",
    });
  }
  return {
    failure,
    result: {
      runId: run.runId,
      sessionKey: run.sessionKey,
      status: "error",
      text: "",
      usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
      error: failure,
    },
  };
}
