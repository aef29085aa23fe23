/**
 * Runs `task` once per burst: the first `schedule()` arms a timer, later ones until it fires are absorbed. Presence
 * and health snapshots go to every client, so one per change would cost O(clients^2) during a reconnect storm.
 */
export interface CoalescedTask {
  schedule(): void;
  cancel(): void;
}

export function createCoalescedTask(task: () => void, delayMs: number): CoalescedTask {
  let timer: NodeJS.Timeout | undefined;
  return {
    schedule() {
      timer ??= setTimeout(() => {
        timer = undefined;
        task();
      }, delayMs);
    },
    cancel() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
