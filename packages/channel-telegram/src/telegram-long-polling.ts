import type { Bot } from "grammy";
import type { Update } from "grammy/types";
import { toGrammySignal } from "./grammy-signal.js";

/**
 * What became of one update: handed to the gateway; `waiting` (an album part, handed over with its album later:
 * settles true then, false when the account stopped first); or `interrupted` (the account stopped before the
 * update reached the gateway: it must stay with Telegram for the next poller).
 */
export type UpdateOutcome = { handedOver: true } | { waiting: Promise<boolean> } | { interrupted: true };

export interface LongPollingOptions {
  bot: Bot;
  /** Seconds Telegram holds each getUpdates open. */
  timeoutSeconds: number;
  /** Aborting it cancels the in-flight getUpdates, so polling ends at once. */
  signal: AbortSignal;
  /** Called once the first getUpdates succeeded: the token works and no other poller holds it. */
  onConnected(): void;
  handleUpdate(update: Update): Promise<UpdateOutcome>;
  /** Where to resume: one past the last update handled before a restart. */
  initialOffset?: number;
  /** Called with the last update id below which every update was handed over, before Telegram is told. */
  onHandled?(updateId: number): Promise<void>;
  /** How often Telegram is asked again while an album waits (its parts stay unconfirmed, so it answers at once). */
  waitingPollMs?: number;
}

/** `message_reaction` must be asked for by name: Telegram leaves it out of the default set. */
export const ALLOWED_UPDATES = ["message", "message_reaction"] as const;
const DEFAULT_WAITING_POLL_MS = 200;

interface Waiting {
  updateId: number;
  state: "waiting" | "handed-over" | "dropped";
  settled: Promise<void>;
}

/**
 * Our own getUpdates loop rather than `bot.start()`: grammY's loop retries network errors quietly for ever,
 * while the gateway wants every failure visible (`lastError`) and restarts the account with backoff itself.
 * Resolves when `signal` aborts; rejects with the first failure.
 *
 * The offset sent to Telegram (which confirms, i.e. forgets, every update below it) and the one stored never pass an
 * update that has not reached the gateway: one cut off by a stop, or an album part still buffered. A process that
 * dies or stops then leaves those updates with Telegram, and the next poller receives them again.
 */
export async function runLongPolling(options: LongPollingOptions): Promise<void> {
  const { bot, signal } = options;
  const waitingPollMs = options.waitingPollMs ?? DEFAULT_WAITING_POLL_MS;
  /** Every update below it was handed over (the offset getUpdates confirms). */
  let confirmed: number | undefined = options.initialOffset;
  /** The newest update handled or buffered: a later getUpdates repeats the waiting ones and those after them. */
  let seen: number | undefined;
  const waiting: Waiting[] = [];
  let connected = false;
  const confirm = async (): Promise<boolean> => {
    while (waiting[0] !== undefined && waiting[0].state === "handed-over") waiting.shift();
    if (waiting[0]?.state === "dropped") return false;
    const next = waiting[0]?.updateId ?? (seen === undefined ? undefined : seen + 1);
    if (next === undefined || (confirmed !== undefined && next <= confirmed)) return true;
    confirmed = next;
    await options.onHandled?.(next - 1);
    return true;
  };
  while (!signal.aborted) {
    if (waiting.length > 0) await nextWaitingChange(waiting, waitingPollMs, signal);
    if (signal.aborted || !(await confirm())) return;
    let updates: Update[];
    try {
      updates = await bot.api.getUpdates(
        {
          ...(confirmed === undefined ? {} : { offset: confirmed }),
          // The first call returns at once, so a bad token or a 409 conflict shows before anyone waits on it.
          timeout: connected ? options.timeoutSeconds : 0,
          allowed_updates: [...ALLOWED_UPDATES],
        },
        toGrammySignal(signal),
      );
    } catch (error) {
      if (signal.aborted) return;
      throw error;
    }
    if (!connected) {
      connected = true;
      options.onConnected();
    }
    for (const update of updates) {
      if (signal.aborted) return;
      if (seen !== undefined && update.update_id <= seen) continue;
      const outcome = await options.handleUpdate(update);
      if ("interrupted" in outcome) return;
      seen = update.update_id;
      if ("waiting" in outcome) waiting.push(waitingPart(update.update_id, outcome.waiting));
      else if (!(await confirm())) return;
    }
  }
}

function waitingPart(updateId: number, handedOver: Promise<boolean>): Waiting {
  const part: Waiting = { updateId, state: "waiting", settled: Promise.resolve() };
  part.settled = handedOver.then(
    (ok) => {
      part.state = ok ? "handed-over" : "dropped";
    },
    () => {
      part.state = "dropped";
    },
  );
  return part;
}

/** Until the oldest waiting part settles, `pollMs` passes (new album parts may have come), or the signal aborts. */
async function nextWaitingChange(waiting: Waiting[], pollMs: number, signal: AbortSignal): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  await Promise.race([
    waiting[0]?.settled,
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, pollMs);
      onAbort = resolve;
      signal.addEventListener("abort", onAbort, { once: true });
    }),
  ]);
  clearTimeout(timer);
  if (onAbort) signal.removeEventListener("abort", onAbort);
}
