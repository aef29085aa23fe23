/** A broken promise of the channel plugin contract; the message says what the adapter must do. */
export class ConformanceError extends Error {
  override readonly name = "ConformanceError";
  readonly code = "CHANNEL_CONFORMANCE";
}

export function fail(message: string): never {
  throw new ConformanceError(message);
}

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Resolves with `promise`, or fails with `what` once `timeoutMs` passes. */
export async function within<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ConformanceError(`${what} (waited ${timeoutMs} ms)`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves once `predicate` holds, re-checked whenever the owner calls the listeners in `listeners`. */
export function waitForListeners(
  listeners: Set<() => void>,
  predicate: () => boolean,
  timeoutMs: number,
  what: string,
): Promise<void> {
  if (predicate()) return Promise.resolve();
  let listener: (() => void) | undefined;
  const reached = new Promise<void>((resolve) => {
    listener = () => {
      if (predicate()) resolve();
    };
    listeners.add(listener);
  });
  return within(reached, timeoutMs, what).finally(() => {
    if (listener !== undefined) listeners.delete(listener);
  });
}
