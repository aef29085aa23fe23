/**
 * Batches durability requests: while one flush is running, every request that arrives waits for the
 * next flush, and that single flush serves all of them. A burst of N mutations costs two flushes,
 * not N. A flush must capture its snapshot synchronously when it starts, so it covers every request
 * made before it began.
 */
export class GroupCommit {
  private running = false;
  private waiting: Deferred | undefined;
  private readonly flush: () => Promise<void>;

  constructor(flush: () => Promise<void>) {
    this.flush = flush;
  }

  /** Resolves once a flush that started after this call has completed. */
  request(): Promise<void> {
    if (!this.waiting) this.waiting = createDeferred();
    const { promise } = this.waiting;
    if (!this.running) this.startNext();
    return promise;
  }

  private startNext(): void {
    const batch = this.waiting;
    if (!batch) return;
    this.waiting = undefined;
    this.running = true;
    let flushing: Promise<void>;
    try {
      flushing = this.flush();
    } catch (error) {
      flushing = Promise.reject(error);
    }
    flushing.then(batch.resolve, batch.reject).finally(() => {
      this.running = false;
      this.startNext();
    });
  }
}

interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

function createDeferred(): Deferred {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
