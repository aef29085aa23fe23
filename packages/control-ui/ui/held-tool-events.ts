import type { ToolEvent } from "./tool-call.js";

/** Runs held at once: enough for the runs in flight across a gateway, small enough to never matter. */
const MAX_HELD_RUNS = 32;
/** Starts and results per run; updates do not count, each call keeps only its latest. */
const MAX_EVENTS_PER_RUN = 256;

/**
 * Tool events of runs not yet matched to a session, per run, oldest run dropped first. An `update` carries the
 * whole partial result so far, so a newer one replaces the older one of the same call instead of piling up.
 */
export class HeldToolEvents {
  readonly #runs = new Map<string, ToolEvent[]>();

  hold(runId: string, event: ToolEvent): void {
    let events = this.#runs.get(runId);
    if (events === undefined) {
      if (this.#runs.size >= MAX_HELD_RUNS) {
        const oldest = this.#runs.keys().next().value;
        if (oldest !== undefined) this.#runs.delete(oldest);
      }
      events = [];
      this.#runs.set(runId, events);
    }
    if (event.phase === "update") {
      const previous = events.findIndex(
        (held) => held.phase === "update" && held.toolCallId === event.toolCallId,
      );
      if (previous !== -1) events.splice(previous, 1);
    } else if (events.filter((held) => held.phase !== "update").length >= MAX_EVENTS_PER_RUN) {
      return;
    }
    events.push(event);
  }

  /** The run's held events in order, forgotten here. */
  take(runId: string): ToolEvent[] {
    const events = this.#runs.get(runId) ?? [];
    this.#runs.delete(runId);
    return events;
  }

  get runCount(): number {
    return this.#runs.size;
  }
}
