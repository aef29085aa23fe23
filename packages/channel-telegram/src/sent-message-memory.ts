/**
 * The ids of the last messages the bot sent, per chat, with their forum topic: Telegram's reaction updates say
 * neither who wrote the reacted message nor which topic it is in. Bounded, oldest forgotten first.
 */
export class SentMessageMemory {
  readonly #entries = new Map<string, { threadId?: string }>();
  readonly #inFlight = new Map<string, Set<Promise<unknown>>>();

  constructor(readonly capacity = 2000) {}

  remember(chatId: string, messageId: string, threadId?: string): void {
    const key = `${chatId}:${messageId}`;
    this.#entries.delete(key);
    this.#entries.set(key, threadId === undefined ? {} : { threadId });
    // A Map iterates in insertion order, so the first key is the oldest.
    while (this.#entries.size > this.capacity) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
  }

  /**
   * Runs one send to `chatId` (which remembers what it sent) and lets {@link settled} wait for it: a user's reaction
   * can reach us before the answer to the send that created its message does.
   */
  async track<T>(chatId: string, send: () => Promise<T>): Promise<T> {
    const running = send();
    const pending = this.#inFlight.get(chatId) ?? new Set<Promise<unknown>>();
    this.#inFlight.set(chatId, pending);
    pending.add(running);
    try {
      return await running;
    } finally {
      pending.delete(running);
      if (pending.size === 0) this.#inFlight.delete(chatId);
    }
  }

  /**
   * Resolves once the sends to `chatId` running now have finished (or failed), or after `maxWaitMs`: a send held up
   * by 429 waits must not hold up every update behind it.
   */
  async settled(chatId: string, maxWaitMs = 2000): Promise<void> {
    const pending = this.#inFlight.get(chatId);
    if (pending === undefined) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, maxWaitMs);
    });
    await Promise.race([Promise.allSettled([...pending]), timeout]);
    clearTimeout(timer);
  }

  /** The remembered message, or undefined when the bot did not send it (or it was forgotten). */
  lookup(chatId: string, messageId: string): { threadId?: string } | undefined {
    return this.#entries.get(`${chatId}:${messageId}`);
  }
}
