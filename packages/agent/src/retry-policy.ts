export interface RetryPolicy {
  maxRetries: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 2, initialDelayMs: 500, maxDelayMs: 8_000 };

/** Retry-After can ask for long waits; beyond this the run is better served by a fallback model. */
const MAX_RETRY_AFTER_MS = 60_000;

export interface ProviderFailure {
  statusCode: number | undefined;
  retryable: boolean;
  retryAfterMs: number | undefined;
}

function readHeader(headers: unknown, name: string): string | undefined {
  if (typeof headers !== "object" || headers === null) return undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name && typeof value === "string") return value;
  }
  return undefined;
}

function parseRetryAfter(headers: unknown, now: number): number | undefined {
  const ms = readHeader(headers, "retry-after-ms");
  if (ms !== undefined && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const value = readHeader(headers, "retry-after");
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Reads the AI SDK's APICallError by shape so that classifying an error does not load the SDK. */
export function classifyProviderFailure(error: unknown, now: number): ProviderFailure {
  const record = typeof error === "object" && error !== null ? (error as Record<string, unknown>) : {};
  const statusCode = typeof record.statusCode === "number" ? record.statusCode : undefined;
  if (statusCode !== undefined) {
    return {
      statusCode,
      retryable: statusCode === 408 || statusCode === 429 || statusCode >= 500,
      retryAfterMs: parseRetryAfter(record.responseHeaders, now),
    };
  }
  // No status: a connection failure, which the SDK marks retryable.
  return { statusCode, retryable: record.isRetryable === true, retryAfterMs: undefined };
}

export function retryDelayMs(policy: RetryPolicy, attempt: number, failure: ProviderFailure): number {
  if (failure.retryAfterMs !== undefined) return Math.min(failure.retryAfterMs, MAX_RETRY_AFTER_MS);
  return Math.min(policy.initialDelayMs * 2 ** attempt, policy.maxDelayMs);
}

export function waitForRetry(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
