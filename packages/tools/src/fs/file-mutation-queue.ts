const tails = new Map<string, Promise<void>>();

/**
 * Runs `fn` once no earlier call holding any of `paths` is still running. Calls on different files run in parallel;
 * two parallel tool calls on one file (a model may emit both in one step) apply one after the other instead of the
 * second overwriting the first. All keys are taken at once, so two calls never wait on each other.
 */
export async function withFileLocks<T>(paths: readonly string[], fn: () => Promise<T>): Promise<T> {
  const keys = [...new Set(paths)];
  const earlier = keys.map((key) => tails.get(key));
  let release = () => {};
  const done = new Promise<void>((resolve) => {
    release = resolve;
  });
  for (const key of keys) tails.set(key, done);
  try {
    await Promise.all(earlier);
    return await fn();
  } finally {
    release();
    for (const key of keys) if (tails.get(key) === done) tails.delete(key);
  }
}
