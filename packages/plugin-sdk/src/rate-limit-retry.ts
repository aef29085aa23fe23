/** How long an adapter keeps retrying a platform call the platform rate-limited. */
export interface RateLimitPolicy {
  /** Calls per send, the first included. */
  maxAttempts: number;
  /** A longer wait fails at once: the reply would arrive too late to matter. */
  maxRetryAfterSeconds: number;
}

export const DEFAULT_RATE_LIMIT_POLICY: RateLimitPolicy = { maxAttempts: 4, maxRetryAfterSeconds: 60 };

/** Resolves after `seconds`, or rejects with the signal's reason as soon as it aborts (so `stop()` is never held up). */
export function waitSeconds(seconds: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, seconds * 1000);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

export interface RateLimitRetryOptions {
  policy: RateLimitPolicy;
  signal: AbortSignal;
  /** The platform's "retry after" in seconds when `error` is a rate-limit answer, else undefined (not retried). */
  retryAfterSeconds(error: unknown): number | undefined;
  /** Called before each wait (log it). */
  onWait?(info: { retryAfterSeconds: number; attempt: number }): void;
  /** The error to throw once the policy's bounds are reached. */
  giveUp(info: { retryAfterSeconds: number; attempt: number; error: unknown }): Error;
}

/**
 * Calls `call` again after each rate-limit answer, waiting exactly what the platform asked for, within the
 * policy's bounds. The wait is the adapter's own (abortable), not a platform library's opaque backoff.
 */
export async function retryOnRateLimit<T>(
  call: () => Promise<T>,
  options: RateLimitRetryOptions,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      const retryAfter = options.retryAfterSeconds(error);
      if (retryAfter === undefined) throw error;
      if (attempt >= options.policy.maxAttempts || retryAfter > options.policy.maxRetryAfterSeconds) {
        throw options.giveUp({ retryAfterSeconds: retryAfter, attempt, error });
      }
      options.onWait?.({ retryAfterSeconds: retryAfter, attempt });
      await waitSeconds(retryAfter, options.signal);
    }
  }
}
