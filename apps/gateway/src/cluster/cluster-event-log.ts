import type { GatewayClient } from "@openclaw/client";
import { E2E_WAIT_MS } from "../e2e-wait-support.js";

export interface RecordedEvent {
  event: string;
  payload: unknown;
  /** performance.now() at arrival. */
  at: number;
}

/** Every event one client receives, with arrival times, and a wait for the one a test expects. */
export interface EventLog {
  readonly events: RecordedEvent[];
  /** Resolves with the first recorded event (past or future) matching; rejects after `timeoutMs` naming `what`. */
  waitFor(what: string, match: (event: RecordedEvent) => boolean, timeoutMs?: number): Promise<RecordedEvent>;
  stop(): void;
}

export function recordEvents(client: GatewayClient): EventLog {
  const events: RecordedEvent[] = [];
  const waiters = new Set<{
    match: (event: RecordedEvent) => boolean;
    resolve: (event: RecordedEvent) => void;
  }>();
  const off = client.on("*", (payload, frame) => {
    const recorded = { event: frame.event, payload, at: performance.now() };
    events.push(recorded);
    for (const waiter of waiters) {
      if (waiter.match(recorded)) {
        waiters.delete(waiter);
        waiter.resolve(recorded);
      }
    }
  });
  return {
    events,
    waitFor: (what, match, timeoutMs = E2E_WAIT_MS) => {
      const seen = events.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const waiter = {
          match,
          resolve: (event: RecordedEvent) => {
            clearTimeout(timer);
            resolve(event);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          const kinds = [...new Set(events.map((event) => event.event))].join(", ");
          reject(
            new Error(`${what} did not arrive within ${timeoutMs} ms (events seen: ${kinds || "none"})`),
          );
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    stop: off,
  };
}
