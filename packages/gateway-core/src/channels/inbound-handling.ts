/** The messages one run of an account is handling, each settling once answered; a graceful stop waits for them. */
export class InboundHandling {
  readonly #handling = new Set<Promise<void>>();

  track(settled: Promise<void>): void {
    this.#handling.add(settled);
    void settled.finally(() => this.#handling.delete(settled));
  }

  /** Resolves once every tracked message settled, or when `signal` aborts, with how many were left unsettled. */
  async settled(signal: AbortSignal): Promise<number> {
    const cut = new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      signal.addEventListener("abort", () => resolve(), { once: true });
    });
    while (this.#handling.size > 0 && !signal.aborted) {
      await Promise.race([Promise.all(this.#handling), cut]);
    }
    return this.#handling.size;
  }
}
