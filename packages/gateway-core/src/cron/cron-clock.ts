/**
 * Time as the scheduler sees it. The gateway uses the system clock; tests inject a manual one and move it
 * forward, so a one-minute schedule is exercised without waiting a minute.
 */
export interface CronClock {
  now(): number;
  /** Calls `callback` once `delayMs` has passed on this clock. */
  setTimer(callback: () => void, delayMs: number): CronTimer;
  clearTimer(timer: CronTimer): void;
}

/** An opaque handle from {@link CronClock.setTimer}. */
export type CronTimer = object;

/** Node timers cap a delay at about 24.8 days; the loop simply wakes up and looks again. */
const MAX_TIMER_DELAY_MS = 2_147_000_000;

export const systemCronClock: CronClock = {
  now: () => Date.now(),
  setTimer(callback, delayMs) {
    const timer = setTimeout(callback, Math.min(Math.max(0, delayMs), MAX_TIMER_DELAY_MS));
    // A pending job must not keep a process alive that has nothing else to do.
    timer.unref();
    return timer;
  },
  clearTimer(timer) {
    clearTimeout(timer as NodeJS.Timeout);
  },
};

/** A clock that moves only when told to: `advance` fires every timer that falls due, in time order. */
export interface ManualCronClock extends CronClock {
  /** Moves time forward by `ms` and fires the timers due by then. */
  advance(ms: number): void;
  /** Moves time to `atMs` (never backwards) and fires the timers due by then. */
  set(atMs: number): void;
  /** Timers waiting to fire. */
  pending(): number;
}

export function createManualCronClock(startMs: number): ManualCronClock {
  let now = startMs;
  let sequence = 0;
  const timers = new Map<object, { dueAt: number; order: number; callback: () => void }>();

  const fireDue = () => {
    for (;;) {
      let next: [object, { dueAt: number; order: number; callback: () => void }] | undefined;
      for (const entry of timers) {
        if (entry[1].dueAt > now) continue;
        if (
          !next ||
          entry[1].dueAt < next[1].dueAt ||
          (entry[1].dueAt === next[1].dueAt && entry[1].order < next[1].order)
        )
          next = entry;
      }
      if (!next) return;
      timers.delete(next[0]);
      next[1].callback();
    }
  };

  const clock: ManualCronClock = {
    now: () => now,
    setTimer(callback, delayMs) {
      const handle = {};
      timers.set(handle, { dueAt: now + Math.max(0, delayMs), order: sequence++, callback });
      return handle;
    },
    clearTimer(timer) {
      timers.delete(timer);
    },
    advance(ms) {
      clock.set(now + ms);
    },
    set(atMs) {
      now = Math.max(now, atMs);
      fireDue();
    },
    pending: () => timers.size,
  };
  return clock;
}
