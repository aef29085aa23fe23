import { Worker } from "node:worker_threads";
import { QUIET_SQLITE_WARNING_SOURCE } from "./load-node-sqlite.js";

/** How often the worker folds the WAL back into the database file. */
export const CHECKPOINT_INTERVAL_MS = 200;
/** The writer's own checkpoint threshold while the worker runs: only a backstop if the worker falls behind. */
export const BACKSTOP_CHECKPOINT_PAGES = 10_000;

// Plain CommonJS evaluated in the worker, so the package needs no second entry file.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
${QUIET_SQLITE_WARNING_SOURCE}
const { DatabaseSync } = quietSqliteWarning(() => require("node:sqlite"));
const db = new DatabaseSync(workerData.path);
db.exec("PRAGMA busy_timeout = " + Number(workerData.busyTimeoutMs));
db.exec("PRAGMA synchronous = " + (workerData.synchronous === "full" ? "FULL" : "NORMAL"));
const checkpoint = db.prepare("PRAGMA wal_checkpoint(PASSIVE)");
const timer = setInterval(() => {
  try {
    checkpoint.get();
  } catch {
    // Busy or interrupted: the next tick tries again, and the writer's backstop threshold still holds.
  }
}, Number(workerData.intervalMs));
parentPort.once("message", () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/**
 * Runs WAL checkpoints on a worker thread with its own connection. SQLite otherwise checkpoints inside the commit
 * that crosses 1,000 WAL pages, copying pages and fsyncing the database file on the event loop: the longest
 * stalls a writer caused (measured: 27 commits over 5 ms of 8,000 with checkpoints in the commit, 2 without). A
 * passive checkpoint never blocks the writer or readers.
 */
export class CheckpointWorker {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;

  constructor(o: { path: string; busyTimeoutMs: number; synchronous: "full" | "normal" }) {
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { ...o, intervalMs: CHECKPOINT_INTERVAL_MS },
    });
    this.exited = new Promise((resolve) => this.worker.once("exit", () => resolve()));
    // A failed worker only costs latency (the writer's backstop checkpoints); never crash the gateway for it.
    this.worker.on("error", () => undefined);
    this.worker.unref();
  }

  async stop(): Promise<void> {
    // Referenced again so the process stays alive until the worker has closed its connection.
    this.worker.ref();
    this.worker.postMessage("stop");
    await this.exited;
  }
}
