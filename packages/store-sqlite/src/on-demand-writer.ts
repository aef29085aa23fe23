import type { ResolvedSqliteStorageOptions } from "./sqlite-storage-options.js";
import { SqliteWriter, type WriteOp } from "./sqlite-writer.js";

/** How long the writer thread may sit without a write before it is stopped (its memory returned). */
export const WRITER_IDLE_STOP_MS = 5 * 60_000;

/**
 * The writer thread, started on the first write and stopped after {@link WRITER_IDLE_STOP_MS} without one. A
 * thread costs ~15 MB of memory, which a gateway that only reads (or sits idle) should not pay; the first write
 * after a pause pays the thread's start (tens of ms) instead. Writes of one event-loop turn still share a commit:
 * once the thread runs, reaching it costs one microtask.
 */
export class OnDemandWriter {
  private writer: Promise<SqliteWriter> | undefined;
  private pending = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private stopping: Promise<void> = Promise.resolve();

  constructor(
    private readonly options: ResolvedSqliteStorageOptions,
    private readonly idleStopMs = WRITER_IDLE_STOP_MS,
  ) {}

  /** Whether the thread is started (or starting). */
  get running(): boolean {
    return this.writer !== undefined;
  }

  async write(op: WriteOp): Promise<unknown> {
    clearTimeout(this.idleTimer);
    this.pending += 1;
    try {
      const writer = await this.started();
      return await writer.write(op);
    } finally {
      this.pending -= 1;
      if (this.pending === 0) this.scheduleIdleStop();
    }
  }

  /** Drains and stops the thread if it runs. */
  async stop(): Promise<void> {
    clearTimeout(this.idleTimer);
    const writer = this.writer;
    this.writer = undefined;
    await this.stopping;
    if (writer) await (await writer.catch(() => undefined))?.stop();
  }

  private started(): Promise<SqliteWriter> {
    if (!this.writer) {
      const started = this.stopping.then(() => SqliteWriter.start(this.options));
      this.writer = started;
      started.catch(() => {
        if (this.writer === started) this.writer = undefined;
      });
    }
    return this.writer;
  }

  private scheduleIdleStop(): void {
    this.idleTimer = setTimeout(() => {
      if (this.pending > 0 || !this.writer) return;
      const writer = this.writer;
      this.writer = undefined;
      this.stopping = writer.then(
        (running) => running.stop(),
        () => undefined,
      );
    }, this.idleStopMs);
    this.idleTimer.unref();
  }
}
