/**
 * The gateway-wide limit on sub-agent runs at once (OpenClaw's `subagent` lane, `agents.defaults.subagents.
 * maxConcurrent`): a run beyond it waits, first come first served, instead of being refused. The limit is read at
 * each acquisition, so a config change applies to the next spawn.
 */
export class SubagentLane {
  #running = 0;
  readonly #waiting: { limit: number; grant: (release: () => void) => void }[] = [];

  get running(): number {
    return this.#running;
  }

  get waiting(): number {
    return this.#waiting.length;
  }

  /** A slot now, or undefined when `limit` runs are going on (or others already wait for one). */
  tryAcquire(limit: number): (() => void) | undefined {
    if (this.#waiting.length > 0 || this.#running >= limit) return undefined;
    this.#running += 1;
    return this.#releaser();
  }

  /** Resolves with a slot once one is free. */
  acquire(limit: number): Promise<() => void> {
    const now = this.tryAcquire(limit);
    if (now) return Promise.resolve(now);
    return new Promise((grant) => this.#waiting.push({ limit, grant }));
  }

  #releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#running -= 1;
      this.#drain();
    };
  }

  #drain(): void {
    const next = this.#waiting[0];
    if (!next || this.#running >= next.limit) return;
    this.#waiting.shift();
    this.#running += 1;
    next.grant(this.#releaser());
  }
}
