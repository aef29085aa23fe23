/**
 * How long an end-to-end poll waits before it fails. A passing poll returns as soon as its condition holds, so this
 * only bounds a failure; it is generous because these suites run beside others on two cores, where a load average
 * of 11 stretched 5 to 10 s budgets past their limit (issue 17). The same as the fakes' `DEFAULT_WAIT_TIMEOUT_MS`.
 */
export const E2E_WAIT_MS = 30_000;

/**
 * Polls `probe` (e.g. `channels.status`, as an operator would: the gateway has no event for it) until `done` holds,
 * and returns that value; after `timeoutMs` it throws `what` with the last value seen.
 */
export async function pollUntil<T>(
  what: string,
  probe: () => Promise<T> | T,
  done: (value: T) => boolean,
  timeoutMs = E2E_WAIT_MS,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) {
      throw new Error(`${what} did not happen within ${timeoutMs} ms; last seen: ${JSON.stringify(value)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
