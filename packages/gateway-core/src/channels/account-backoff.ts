export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
  factor?: number;
  /** After running this long without a crash, the next crash starts the backoff from `initialMs` again. */
  resetAfterMs?: number;
}

export function resolveBackoff(backoff: BackoffOptions | undefined): Required<BackoffOptions> {
  const maxMs = backoff?.maxMs ?? 60_000;
  return {
    initialMs: backoff?.initialMs ?? 1_000,
    maxMs,
    factor: backoff?.factor ?? 2,
    resetAfterMs: backoff?.resetAfterMs ?? maxMs,
  };
}
