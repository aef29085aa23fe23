import type { DatabaseSync } from "node:sqlite";

/** Most writes committed in one transaction: bounds how long one commit holds the event loop. */
export const MAX_WRITES_PER_COMMIT = 128;

interface PendingWrite {
  run: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit. Every write requested before the next turn of the event loop runs in one transaction, each
 * inside its own savepoint (a write that fails, e.g. on a version conflict, is undone alone and the others still
 * commit). Promises settle only after COMMIT returned, i.e. once SQLite has made the batch durable at the chosen
 * synchronous level: nothing is acknowledged before it is committed. With `synchronous = FULL`, eight clients
 * writing at once share one fsync instead of paying eight.
 */
export class WriteBatcher {
  private pending: PendingWrite[] = [];
  private scheduled = false;
  private idle: Array<() => void> = [];

  constructor(private readonly db: DatabaseSync) {}

  /** Runs `work` inside the next commit; resolves with its result once that commit is durable. */
  write<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ run: work, resolve: resolve as (value: unknown) => void, reject });
      this.schedule();
    });
  }

  /** Resolves once every write requested so far has settled. */
  drained(): Promise<void> {
    if (this.pending.length === 0 && !this.scheduled) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.pending.splice(0, MAX_WRITES_PER_COMMIT);
    if (this.pending.length > 0) this.schedule();
    const outcomes = this.commit(batch);
    for (const [index, write] of batch.entries()) {
      const outcome = outcomes[index];
      if (outcome?.ok) write.resolve(outcome.value);
      else write.reject(outcome?.error);
    }
    if (this.pending.length === 0 && !this.scheduled) {
      for (const resolve of this.idle.splice(0)) resolve();
    }
  }

  private commit(batch: PendingWrite[]): Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> {
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    try {
      this.db.exec("BEGIN IMMEDIATE");
    } catch (error) {
      return batch.map(() => ({ ok: false, error }));
    }
    for (const write of batch) {
      this.db.exec("SAVEPOINT write");
      try {
        const value = write.run();
        this.db.exec("RELEASE write");
        outcomes.push({ ok: true, value });
      } catch (error) {
        this.db.exec("ROLLBACK TO write");
        this.db.exec("RELEASE write");
        outcomes.push({ ok: false, error });
      }
    }
    try {
      this.db.exec("COMMIT");
    } catch (error) {
      if (this.db.isTransaction) this.db.exec("ROLLBACK");
      return batch.map(() => ({ ok: false, error }));
    }
    return outcomes;
  }
}
