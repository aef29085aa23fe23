import { SessionError } from "./session-error.js";

/**
 * The operations a session store has in flight, and its close: once closing, new calls fail with STORE_CLOSED,
 * and the close runs `finish` only after every call in flight has settled. Shared by the file store and the store
 * over the storage port.
 */
export class StoreWork {
  private readonly inFlight = new Set<Promise<unknown>>();
  private closing: Promise<void> | undefined;

  /** `openWith` names the function that opens a new store, for the STORE_CLOSED message. */
  constructor(private readonly openWith: string) {}

  track<T>(work: () => Promise<T>): Promise<T> {
    if (this.closing) {
      return Promise.reject(
        new SessionError("STORE_CLOSED", `the session store is closed; open a new one with ${this.openWith}`),
      );
    }
    const running = work();
    this.inFlight.add(running);
    const forget = () => this.inFlight.delete(running);
    running.then(forget, forget);
    return running;
  }

  /** Idempotent: the first call decides what runs after the drain. */
  close(finish: () => Promise<unknown>): Promise<void> {
    this.closing ??= (async () => {
      while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
      await finish();
    })();
    return this.closing;
  }
}
