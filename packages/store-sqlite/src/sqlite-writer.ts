import type { SQLInputValue } from "node:sqlite";
import { Worker } from "node:worker_threads";
import { sessionVersionConflict, tableVersionConflict } from "@openclaw/sessions";
import { SqliteStorageError } from "./sqlite-storage-error.js";
import type { ResolvedSqliteStorageOptions } from "./sqlite-storage-options.js";
import { WRITER_SOURCE } from "./sqlite-writer-source.js";

/** A session row as the writer thread writes it: the list columns (`$`-named SQL parameters) and the version check. */
export interface SessionRowWrite {
  key: string;
  expectedVersion: number;
  columns: Record<string, SQLInputValue>;
}

/** One write request, plain data (it crosses to the writer thread); validated and serialised before it is sent. */
export type WriteOp =
  | { kind: "putSession"; row: SessionRowWrite }
  | { kind: "deleteSession"; key: string; expectedVersion: number | undefined; deleteTranscript: boolean }
  | { kind: "appendTranscript"; sessionId: string; lines: string[]; row: SessionRowWrite | undefined }
  | { kind: "replaceTranscript"; sessionId: string; lines: string[]; row: SessionRowWrite | undefined }
  | { kind: "deleteTranscript"; sessionId: string }
  | { kind: "tablePut"; name: string; key: string; json: string; expectedVersion: number | undefined }
  | { kind: "tableDelete"; name: string; key: string }
  | { kind: "recordUsage"; rows: Array<Record<string, SQLInputValue>> };

type WriterError =
  | { kind: "session-conflict"; key: string; expected: number; actual: number }
  | { kind: "table-conflict"; table: string; key: string; expected: number; actual: number }
  | { kind: "sqlite"; message: string; code?: string; errcode?: number; errstr?: string };

type WriterMessage =
  | { type: "ready" }
  | { type: "open-failed"; message: string }
  | { type: "stopped" }
  | {
      type: "settled";
      outcomes: Array<
        { id: number; ok: true; value: unknown } | { id: number; ok: false; error: WriterError }
      >;
    };

interface InFlight {
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** The writer thread's errors as the same errors a write on this thread would have thrown. */
function toError(error: WriterError): Error {
  switch (error.kind) {
    case "session-conflict":
      return sessionVersionConflict(error.key, error.expected, error.actual);
    case "table-conflict":
      return tableVersionConflict(error.table, error.key, error.expected, error.actual);
    default:
      // What node:sqlite throws: an Error with code ERR_SQLITE_ERROR, SQLite's errcode and errstr.
      return Object.assign(new Error(error.message), {
        code: error.code,
        errcode: error.errcode,
        errstr: error.errstr,
      });
  }
}

/**
 * The main thread's side of the writer thread (`sqlite-writer-source.ts`). Writes requested in one turn of the
 * event loop travel as one message; each promise settles when the thread reports its COMMIT, so the event loop
 * never waits for a commit or its fsync, and nothing is acknowledged before it is durable. Also runs the WAL
 * checkpoints, so one thread does all the file work.
 */
export class SqliteWriter {
  private readonly inFlight = new Map<number, InFlight>();
  private unsent: Array<{ id: number; op: WriteOp }> = [];
  private nextId = 1;
  private failure: Error | undefined;
  private idle: Array<() => void> = [];
  private stopping = false;
  private readonly exited: Promise<void>;

  private constructor(
    private readonly worker: Worker,
    private readonly location: string,
  ) {
    this.exited = new Promise((resolve) => worker.once("exit", () => resolve()));
    worker.on("message", (message: WriterMessage) => this.receive(message));
    worker.on("error", (error) => this.fail(error));
    worker.once("exit", (code) => {
      if (!this.stopping) this.fail(new Error(`it exited with code ${code}`));
    });
  }

  /** Starts the thread and waits until its connection is open. */
  static async start(o: ResolvedSqliteStorageOptions): Promise<SqliteWriter> {
    const worker = new Worker(WRITER_SOURCE, { eval: true, workerData: o });
    const first = await new Promise<WriterMessage | Error>((resolve) => {
      worker.once("message", resolve);
      worker.once("error", resolve);
    });
    if (first instanceof Error || first.type !== "ready") {
      await worker.terminate();
      const reason = first instanceof Error ? first.message : "message" in first ? first.message : first.type;
      throw new SqliteStorageError(
        "SQLITE_OPEN_FAILED",
        `cannot open the writer connection to ${o.path}: ${reason}; check that its directory is writable, or set storage.path`,
        { details: { path: o.path } },
      );
    }
    const writer = new SqliteWriter(worker, o.path);
    // An idle storage must not keep the process alive; `send` refs the thread while a write is in flight.
    worker.unref();
    return writer;
  }

  /** Sends `op` with the writes of this turn; resolves with the thread's value once their commit returned. */
  write(op: WriteOp): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.inFlight.set(id, { resolve, reject });
      // setImmediate, not a microtask: it runs after every continuation of this turn, so the writes that several
      // clients issue on one acknowledgement travel (and commit) together.
      if (this.unsent.push({ id, op }) === 1) setImmediate(() => this.send());
    });
  }

  /** Resolves once every write requested so far has settled. */
  drained(): Promise<void> {
    if (this.inFlight.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /** Lets the thread finish what it was sent, close its connection and exit. */
  async stop(): Promise<void> {
    await this.drained();
    this.stopping = true;
    if (!this.failure) {
      // Referenced again so the process stays alive until the thread has closed its connection.
      this.worker.ref();
      this.worker.postMessage({ type: "stop" });
    }
    await this.exited;
  }

  private send(): void {
    const requests = this.unsent;
    this.unsent = [];
    if (requests.length === 0 || this.failure) return;
    this.worker.ref();
    this.worker.postMessage({ type: "write", requests });
  }

  private receive(message: WriterMessage): void {
    if (message.type !== "settled") return;
    for (const outcome of message.outcomes) {
      const pending = this.inFlight.get(outcome.id);
      this.inFlight.delete(outcome.id);
      if (outcome.ok) pending?.resolve(outcome.value);
      else pending?.reject(toError(outcome.error));
    }
    this.settleIdle();
  }

  /** The thread died (it should not): every write in flight and every later one fails with a typed error. */
  private fail(cause: unknown): void {
    if (this.failure) return;
    this.failure = new SqliteStorageError(
      "SQLITE_WRITER_FAILED",
      `the SQLite writer thread for ${this.location} stopped (${(cause as Error)?.message ?? String(cause)}); writes not acknowledged were not committed: reopen the storage (restart the gateway)`,
      { cause, details: { path: this.location } },
    );
    for (const pending of this.inFlight.values()) pending.reject(this.failure);
    this.inFlight.clear();
    this.unsent = [];
    this.settleIdle();
  }

  private settleIdle(): void {
    if (this.inFlight.size > 0) return;
    this.worker.unref();
    for (const resolve of this.idle.splice(0)) resolve();
  }
}
