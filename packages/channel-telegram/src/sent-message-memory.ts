/**
 * The ids of the last messages the bot sent, per chat, with their forum topic: Telegram's reaction updates say
 * neither who wrote the reacted message nor which topic it is in. Bounded, oldest forgotten first.
 */
export class SentMessageMemory {
  readonly #entries = new Map<string, { threadId?: string }>();

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

  /** The remembered message, or undefined when the bot did not send it (or it was forgotten). */
  lookup(chatId: string, messageId: string): { threadId?: string } | undefined {
    return this.#entries.get(`${chatId}:${messageId}`);
  }
}
