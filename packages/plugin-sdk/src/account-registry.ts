/**
 * The running accounts of one channel plugin instance, by account id. Every adapter keeps such a table: `start`
 * registers an account's runtime and gets back its unregister step; `sendText` and friends look the runtime up
 * and fail with the adapter's own "not running" error when the account is stopped.
 */
export interface AccountRegistry<R extends { accountId: string }> {
  /** Adds a started account; the returned step removes it again, unless a newer runtime took its place. */
  register(runtime: R): () => void;
  get(accountId: string): R | undefined;
  /** The running account, or the adapter's error saying how to start it. */
  running(accountId: string): R;
}

export function createAccountRegistry<R extends { accountId: string }>(
  notRunning: (accountId: string) => Error,
): AccountRegistry<R> {
  const accounts = new Map<string, R>();
  return {
    register(runtime) {
      accounts.set(runtime.accountId, runtime);
      return () => {
        if (accounts.get(runtime.accountId) === runtime) accounts.delete(runtime.accountId);
      };
    },
    get: (accountId) => accounts.get(accountId),
    running(accountId) {
      const runtime = accounts.get(accountId);
      if (runtime === undefined) throw notRunning(accountId);
      return runtime;
    },
  };
}
