import { FakeTelegramServerError } from "./fake-telegram-server-error.js";

export interface Waiter {
  /** Resolves the waiter and returns true once its condition holds. */
  check(): boolean;
  fail(error: Error): void;
}

/** Waiters of one kind (sent calls, held polls), re-checked whenever what they wait on changes. */
export class WaiterList {
  #waiters: Waiter[] = [];
  #closed = false;

  /** Re-checks every waiter, dropping those that resolved. */
  notify(): void {
    this.#waiters = this.#waiters.filter((waiter) => !waiter.check());
  }

  /** Rejects every pending waiter; later waits reject at once. */
  close(): void {
    this.#closed = true;
    for (const waiter of [...this.#waiters]) {
      waiter.fail(
        new FakeTelegramServerError("SERVER_CLOSED", "the fake Telegram server closed while waiting"),
      );
    }
  }

  waitUntil<T>(o: {
    ready: () => boolean;
    value: () => T;
    timeoutMs: number;
    timeoutMessage: () => string;
  }): Promise<T> {
    if (o.ready()) return Promise.resolve(o.value());
    if (this.#closed) {
      return Promise.reject(
        new FakeTelegramServerError("SERVER_CLOSED", "the fake Telegram server is closed"),
      );
    }
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = {
        check: () => {
          if (!o.ready()) return false;
          clearTimeout(timer);
          resolve(o.value());
          return true;
        },
        fail: (error) => {
          clearTimeout(timer);
          this.#waiters = this.#waiters.filter((other) => other !== waiter);
          reject(error);
        },
      };
      const timer = setTimeout(
        () => waiter.fail(new FakeTelegramServerError("WAIT_TIMEOUT", o.timeoutMessage())),
        o.timeoutMs,
      );
      this.#waiters.push(waiter);
    });
  }
}
