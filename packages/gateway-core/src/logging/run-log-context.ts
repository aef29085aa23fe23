import { AsyncLocalStorage } from "node:async_hooks";
import type { LogRecord, LogSink } from "./logger.js";

/** The trace a run's log lines name: its trace and its own root span. */
export interface RunLogTrace {
  traceId: string;
  spanId?: string;
}

/** Runs remembered at once; the oldest is forgotten first (a run's log lines come within minutes of its start). */
export const MAX_TRACED_RUNS = 4096;

/**
 * runId -> trace of the most recent runs, fed by `run.accepted`. Bounded by count, so a gateway that serves runs
 * for months keeps the same few hundred kilobytes.
 */
export class RunTraceIndex {
  readonly #byRun = new Map<string, RunLogTrace>();

  constructor(private readonly maxRuns = MAX_TRACED_RUNS) {}

  get size(): number {
    return this.#byRun.size;
  }

  set(runId: string, trace: RunLogTrace): void {
    this.#byRun.delete(runId);
    this.#byRun.set(
      runId,
      trace.spanId ? { traceId: trace.traceId, spanId: trace.spanId } : { traceId: trace.traceId },
    );
    if (this.#byRun.size > this.maxRuns) {
      const oldest = this.#byRun.keys().next().value as string;
      this.#byRun.delete(oldest);
    }
  }

  get(runId: string): RunLogTrace | undefined {
    return this.#byRun.get(runId);
  }
}

const runScope = new AsyncLocalStorage<string>();

/**
 * Runs `run` as part of run `runId`: every log line written from it, however deep and however many awaits later,
 * names the run (and its trace, once `run.accepted` indexed it), including lines that carry no `runId` field.
 */
export function withRunLogContext<T>(runId: string, run: () => T): T {
  return runScope.run(runId, run);
}

/** The run the current async context belongs to, if any. */
export function currentLogRunId(): string | undefined {
  return runScope.getStore();
}

/**
 * Wraps `sink` so records of a run carry `traceId` and `spanId`: the run is the record's `runId` field, else the
 * run of the async context it was logged from. Records outside any run pass unchanged.
 */
export function traceRunLogRecords(index: RunTraceIndex, sink: LogSink): LogSink {
  return (record) => {
    const runId = typeof record.runId === "string" ? record.runId : runScope.getStore();
    const trace = runId === undefined ? undefined : index.get(runId);
    if (!trace || runId === undefined || typeof record.traceId === "string") {
      sink(runId === undefined || record.runId !== undefined ? record : { ...record, runId });
      return;
    }
    const traced: LogRecord = { ...record, runId, traceId: trace.traceId };
    if (trace.spanId) traced.spanId = trace.spanId;
    sink(traced);
  };
}
