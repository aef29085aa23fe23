import type { StoredSession } from "./storage-port.js";

/** Rows remembered by default: the sessions a gateway is talking in right now, not the whole store. */
export const DEFAULT_KNOWN_ROWS = 1_024;

/**
 * The last row this process read or wrote per session key, oldest forgotten first. A transcript append starts
 * from it instead of reading the row again. The port's optimistic version keeps that safe: a row another process
 * changed in between fails the write with SESSION_CONFLICT, and the retry reads the row afresh. What is remembered
 * only decides how often that happens, never what gets written.
 */
export class KnownSessionRows {
  readonly #rows = new Map<string, StoredSession>();
  /** Bumped by every write: a read that started before one may return an older row than the one remembered. */
  #writes = 0;

  constructor(private readonly maxRows = DEFAULT_KNOWN_ROWS) {}

  get(key: string): StoredSession | undefined {
    return this.#rows.get(key);
  }

  /** What a write returned, or a read made under the key's write lock; `undefined` means there is no row. */
  remember(key: string, row: StoredSession | undefined): void {
    this.#writes += 1;
    this.#set(key, row);
  }

  /** Taken before a read outside the key's write lock, for {@link rememberRead}. */
  stamp(): number {
    return this.#writes;
  }

  /** Remembers a read outside the write lock, unless some write finished since it started (`stamp`). */
  rememberRead(key: string, row: StoredSession | undefined, stamp: number): void {
    if (stamp === this.#writes) this.#set(key, row);
  }

  #set(key: string, row: StoredSession | undefined): void {
    this.#rows.delete(key);
    if (row === undefined || this.maxRows === 0) return;
    this.#rows.set(key, row);
    if (this.#rows.size <= this.maxRows) return;
    const oldest = this.#rows.keys().next();
    if (!oldest.done) this.#rows.delete(oldest.value);
  }
}
