import type { ModelCallObservation, ObservedTokens } from "@openclaw/agent";
import { type ModelPrice, modelPrice, tokenCost } from "@openclaw/agent";
import { assertUsageRows, type SessionStore, type UsageLedger, type UsageRow } from "@openclaw/sessions";
import type { DiagnosticBus, DiagnosticEvent } from "../diagnostics/diagnostic-events.js";
import type { Logger } from "../logging/logger.js";

/** Runs followed at once; a run that never reports its end is forgotten, oldest first, past this. */
const MAX_OPEN_RUNS = 10_000;
/** Rows waiting for the store; past this the oldest are dropped (and logged) rather than memory growing. */
const MAX_PENDING_ROWS = 20_000;
/** Rows per ledger call (the port's limit is 1,000). */
const BATCH_ROWS = 500;
/** How long a finished turn waits so turns ending together share one write. */
const FLUSH_DELAY_MS = 200;

interface ModelTally {
  provider: string;
  model: string;
  calls: number;
  tokens: ObservedTokens;
  durationMs: number;
  toolCalls: number;
  errors: number;
}

interface OpenRun {
  sessionKey: string;
  agentId: string;
  channel?: string;
  models: Map<string, ModelTally>;
  /** The model that asked for the tools that run next (tool calls count on its row). */
  last?: ModelTally;
  /** Tool calls seen before any model call (none in practice): they count on the first model's row. */
  earlyToolCalls: number;
  earlyToolErrors: number;
}

export interface UsageRecorderOptions {
  diagnostics: DiagnosticBus;
  /** The ledger of the storage; undefined when the store keeps none (nothing is recorded, once logged). */
  ledger: UsageLedger | undefined;
  sessions: SessionStore;
  /** The config's `models` section as it is now: a turn is priced when it ends. */
  models: () => Parameters<typeof modelPrice>[0];
  logger: Logger;
}

export interface UsageRecorder {
  /** Writes what is pending now (tests and shutdown). */
  flush(): Promise<void>;
  /** Unsubscribes and writes what is pending. */
  close(): Promise<void>;
}

/**
 * Turns the agent's observations into usage ledger rows: one row per turn and model (the sum of that model's
 * provider requests in the run), written when the run ends. One row per turn rather than per request keeps the
 * ledger a row or two per message (a tool loop of 20 steps is still one row) while keeping what the usage views
 * group by (model, session, agent, channel, time); a fallback to another model in the same turn is a second row.
 *
 * Always on (usage is product data, not telemetry). Never blocks a run: observations are tallied synchronously,
 * rows are written in batches on a timer, and a failed write is retried on the next flush.
 */
export function startUsageRecorder(o: UsageRecorderOptions): UsageRecorder {
  const runs = new Map<string, OpenRun>();
  let pending: UsageRow[] = [];
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();
  let droppedLogged = false;
  const ledger = o.ledger;
  if (!ledger) {
    o.logger.info("usage ledger unavailable: the storage keeps none, so no usage is recorded");
    return { flush: async () => {}, close: async () => {} };
  }

  const open = (event: { runId: string; sessionKey: string; agentId: string }): OpenRun => {
    let run = runs.get(event.runId);
    if (!run) {
      if (runs.size >= MAX_OPEN_RUNS) {
        const oldest = runs.keys().next().value;
        if (oldest !== undefined) runs.delete(oldest);
      }
      run = {
        sessionKey: event.sessionKey,
        agentId: event.agentId,
        models: new Map(),
        earlyToolCalls: 0,
        earlyToolErrors: 0,
      };
      runs.set(event.runId, run);
    }
    return run;
  };

  const onModelCall = (event: ModelCallObservation) => {
    const run = open(event);
    const id = `${event.provider}\u0000${event.model}`;
    let tally = run.models.get(id);
    if (!tally) {
      tally = {
        provider: event.provider,
        model: event.model,
        calls: 0,
        tokens: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
        durationMs: 0,
        toolCalls: run.earlyToolCalls,
        errors: run.earlyToolErrors,
      };
      run.earlyToolCalls = 0;
      run.earlyToolErrors = 0;
      run.models.set(id, tally);
    }
    tally.calls += 1;
    tally.tokens.input += count(event.usage.input);
    tally.tokens.output += count(event.usage.output);
    tally.tokens.cacheRead += count(event.usage.cacheRead);
    tally.tokens.cacheWrite += count(event.usage.cacheWrite);
    tally.durationMs += Math.max(0, event.endedAt - event.startedAt);
    if (event.outcome === "error") tally.errors += 1;
    run.last = tally;
  };

  const onEvent = (event: DiagnosticEvent) => {
    switch (event.type) {
      case "run.accepted":
        open(event).channel = event.channel;
        return;
      case "model.call":
        onModelCall(event);
        return;
      case "tool.call": {
        const run = open(event);
        const failed = event.outcome === "error" ? 1 : 0;
        if (run.last) {
          run.last.toolCalls += 1;
          run.last.errors += failed;
        } else {
          run.earlyToolCalls += 1;
          run.earlyToolErrors += failed;
        }
        return;
      }
      case "run.end": {
        const run = runs.get(event.runId);
        runs.delete(event.runId);
        if (!run || run.models.size === 0) return;
        let first = true;
        for (const tally of run.models.values()) {
          const row = rowOf(event.runId, event.endedAt, run, tally, priceOf(tally));
          if (!first) row.firstOfTurn = false;
          first = false;
          if (isStorable(row)) pending.push(row);
        }
        if (pending.length > MAX_PENDING_ROWS) dropOldest();
        schedule();
        return;
      }
      default:
        return;
    }
  };

  /** A row the ledger would refuse (an id past its bounds) is logged and left out, never retried forever. */
  const isStorable = (row: UsageRow): boolean => {
    try {
      assertUsageRows([row]);
      return true;
    } catch (error) {
      o.logger.warn("usage row not recorded", { runId: row.runId, error: (error as Error).message });
      return false;
    }
  };

  const priceOf = (tally: ModelTally): ModelPrice | undefined => {
    try {
      return modelPrice(o.models(), tally.provider, tally.model);
    } catch {
      return undefined;
    }
  };

  const dropOldest = () => {
    const dropped = pending.length - MAX_PENDING_ROWS;
    pending = pending.slice(dropped);
    if (!droppedLogged) {
      droppedLogged = true;
      o.logger.warn("usage rows dropped: the storage has not accepted writes for a while", { dropped });
    }
  };

  const schedule = () => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      void flush();
    }, FLUSH_DELAY_MS);
    timer.unref?.();
  };

  const writeBatch = async (): Promise<void> => {
    while (pending.length > 0) {
      const batch = pending.slice(0, BATCH_ROWS);
      await withSessionIds(o.sessions, batch);
      try {
        await ledger.record(batch);
      } catch (error) {
        o.logger.warn("usage rows not written; retrying with the next turn", {
          rows: batch.length,
          error: (error as Error).message,
        });
        return;
      }
      pending = pending.slice(batch.length);
      droppedLogged = false;
    }
  };

  const flush = (): Promise<void> => {
    writing = writing.then(writeBatch);
    return writing;
  };

  const unsubscribe = o.diagnostics.subscribe(onEvent, [
    "run.accepted",
    "model.call",
    "tool.call",
    "run.end",
  ]);
  return {
    flush,
    async close() {
      unsubscribe();
      if (timer) clearTimeout(timer);
      timer = undefined;
      await flush();
    },
  };
}

function count(value: number): number {
  return Number.isFinite(value) && value > 0 ? Math.round(value) : 0;
}

function rowOf(
  runId: string,
  ts: number,
  run: OpenRun,
  tally: ModelTally,
  price: ModelPrice | undefined,
): UsageRow {
  const cost = price ? tokenCost(price, tally.tokens) : undefined;
  const row: UsageRow = {
    ts: Math.max(0, Math.round(ts)),
    runId,
    sessionKey: run.sessionKey,
    agentId: run.agentId,
    provider: tally.provider,
    model: tally.model,
    calls: tally.calls,
    ...tally.tokens,
    costInput: cost?.input ?? null,
    costOutput: cost?.output ?? null,
    costCacheRead: cost?.cacheRead ?? null,
    costCacheWrite: cost?.cacheWrite ?? null,
    costTotal: cost?.total ?? null,
    durationMs: Math.round(tally.durationMs),
    toolCalls: tally.toolCalls,
    errors: tally.errors,
  };
  if (run.channel) row.channel = run.channel;
  return row;
}

/** Fills each row's `sessionId` (the transcript the turn was written to) from the session store, best effort. */
async function withSessionIds(sessions: SessionStore, rows: UsageRow[]): Promise<void> {
  const keys = [...new Set(rows.filter((row) => row.sessionId === undefined).map((row) => row.sessionKey))];
  const ids = new Map<string, string>();
  await Promise.all(
    keys.map(async (key) => {
      const sessionId = await sessions.get(key).then(
        (row) => row?.sessionId,
        () => undefined,
      );
      if (sessionId) ids.set(key, sessionId);
    }),
  );
  for (const row of rows) {
    const sessionId = ids.get(row.sessionKey);
    if (row.sessionId === undefined && sessionId) row.sessionId = sessionId;
  }
}
