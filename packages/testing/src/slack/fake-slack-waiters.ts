import { FakeSlackServerError } from "./fake-slack-server-error.js";

interface Waiter {
  check(): boolean;
  fail(error: Error): void;
}

/** Conditions tests wait on, re-checked whenever the fake's state changes. */
export function createFakeSlackWaiters() {
  let waiters: Waiter[] = [];
  let closed = false;

  const waitUntil = (ready: () => boolean, timeoutMs: number, what: () => string): Promise<void> => {
    if (ready()) return Promise.resolve();
    if (closed) {
      return Promise.reject(new FakeSlackServerError("SERVER_CLOSED", "the fake Slack server is closed"));
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters = waiters.filter((entry) => entry !== waiter);
        reject(new FakeSlackServerError("WAIT_TIMEOUT", `${what()} (waited ${timeoutMs} ms)`));
      }, timeoutMs);
      const waiter: Waiter = {
        check() {
          if (!ready()) return false;
          clearTimeout(timer);
          resolve();
          return true;
        },
        fail(error) {
          clearTimeout(timer);
          reject(error);
        },
      };
      waiters.push(waiter);
    });
  };

  return {
    /** Call after every change of the fake's state. */
    changed() {
      waiters = waiters.filter((waiter) => !waiter.check());
    },
    waitUntil,
    /** Resolves with the first item of `list()` matching `predicate`, as soon as there is one. */
    async waitForFirst<T>(list: () => T[], predicate: (item: T) => boolean, timeoutMs: number, what: string) {
      await waitUntil(
        () => list().some(predicate),
        timeoutMs,
        () => `no ${what} matched`,
      );
      return list().find(predicate) as T;
    },
    /** Rejects every pending wait with SERVER_CLOSED; later waits reject at once. */
    close() {
      closed = true;
      for (const waiter of waiters.splice(0)) {
        waiter.fail(new FakeSlackServerError("SERVER_CLOSED", "the fake Slack server closed while waiting"));
      }
    },
  };
}
