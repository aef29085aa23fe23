/**
 * Reads of one key asked for in the same synchronous stretch (before the next microtask runs) share one storage
 * read: a run that asks for a session's history, pinned model and thinking level at once reads the row once. The
 * shared read is sent only after every caller that joins it has asked, so each sees the row as new as when it asked
 * (a read already on its way is never joined: it may predate a write that finished since).
 */
export class SameTickReads<T> {
  readonly #waiting = new Map<string, Promise<T>>();

  read(key: string, load: () => Promise<T>): Promise<T> {
    const waiting = this.#waiting.get(key);
    if (waiting) return waiting;
    const read = Promise.resolve().then(() => {
      this.#waiting.delete(key);
      return load();
    });
    this.#waiting.set(key, read);
    return read;
  }
}
