export interface LogsTailPage {
  cursor: number;
  lines: string[];
  reset?: boolean;
  truncated?: boolean;
}

export interface LogsTailPollerOptions {
  /** One `logs.tail` call; `cursor` is undefined on the first. */
  fetchPage(cursor: number | undefined): Promise<LogsTailPage>;
  /** New lines; `reset` says the file was rotated or truncated and what was shown is gone. */
  onLines(lines: string[], reset: boolean): void;
  onError(error: unknown): void;
  intervalMs?: number;
}

/**
 * Polls `logs.tail` with the cursor it returned last, one call at a time: the next starts `intervalMs` after the
 * previous answered, so a slow gateway is never flooded.
 */
export class LogsTailPoller {
  readonly #options: LogsTailPollerOptions;
  readonly #intervalMs: number;
  #cursor: number | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running = false;

  constructor(options: LogsTailPollerOptions) {
    this.#options = options;
    this.#intervalMs = options.intervalMs ?? 1000;
  }

  get cursor(): number | undefined {
    return this.#cursor;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    void this.#poll();
  }

  stop(): void {
    this.#running = false;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Fetches once now; the polling schedule continues from there. */
  async #poll(): Promise<void> {
    try {
      const page = await this.#options.fetchPage(this.#cursor);
      if (!this.#running) return;
      this.#cursor = page.cursor;
      if (page.lines.length > 0 || page.reset) this.#options.onLines(page.lines, page.reset === true);
    } catch (error) {
      if (!this.#running) return;
      this.#options.onError(error);
    }
    if (this.#running) this.#timer = setTimeout(() => void this.#poll(), this.#intervalMs);
  }
}
