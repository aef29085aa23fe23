import type { Bot } from "grammy";
import type { Update } from "grammy/types";
import { toGrammySignal } from "./grammy-signal.js";

export interface LongPollingOptions {
  bot: Bot;
  /** Seconds Telegram holds each getUpdates open. */
  timeoutSeconds: number;
  /** Aborting it cancels the in-flight getUpdates, so polling ends at once. */
  signal: AbortSignal;
  /** Called once the first getUpdates succeeded: the token works and no other poller holds it. */
  onConnected(): void;
  handleUpdate(update: Update): Promise<void>;
  /** Where to resume: one past the last update handled before a restart. */
  initialOffset?: number;
  /** Called after each update was handled, so the offset can be stored before Telegram is told. */
  onHandled?(updateId: number): Promise<void>;
}

/** `message_reaction` must be asked for by name: Telegram leaves it out of the default set. */
export const ALLOWED_UPDATES = ["message", "message_reaction"] as const;

/**
 * Our own getUpdates loop rather than `bot.start()`: grammY's loop retries network errors quietly for ever,
 * while the gateway wants every failure visible (`lastError`) and restarts the account with backoff itself.
 * Resolves when `signal` aborts; rejects with the first failure.
 */
export async function runLongPolling(options: LongPollingOptions): Promise<void> {
  const { bot, signal } = options;
  let offset: number | undefined = options.initialOffset;
  let connected = false;
  while (!signal.aborted) {
    let updates: Update[];
    try {
      updates = await bot.api.getUpdates(
        {
          ...(offset === undefined ? {} : { offset }),
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
      offset = update.update_id + 1;
      await options.handleUpdate(update);
      await options.onHandled?.(update.update_id);
    }
  }
}
