import { randomUUID } from "node:crypto";
import { executeRun } from "./agent-run.js";
import { userEntryMedia } from "./attachment-content.js";
import { createLanguageModelFactory } from "./language-model-factory.js";
import { listModels, resolveModelChain, resolveProviders } from "./provider-catalog.js";
import { awaitRecordedAnswer } from "./recorded-answer-wait.js";
import {
  type RecordedRequest,
  type RecordedTurn,
  readRecordedTurn,
  recordedResult,
  resumedRunId,
} from "./recorded-turn.js";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./retry-policy.js";
import type { AbortCause } from "./run-dependencies.js";
import { canCollect, createRunJob, type RunJob, type SessionLane } from "./run-job.js";
import { maxConcurrentRuns, runTimeoutMs } from "./run-limits.js";
import { failedRunResult, holdingSessionLock } from "./session-lock.js";
import { modelReasons } from "./thinking-level.js";
import { createToolRegistry } from "./tool-registry.js";
import type {
  AcceptedRun,
  AgentLogger,
  AgentRunEvent,
  AgentRunHandle,
  AgentRunRequest,
  AgentRunResult,
  AgentRuntime,
  AgentRuntimeOptions,
  RunSnapshot,
} from "./types.js";

const RECENT_RUNS_KEPT = 1_000;

const silentLogger: AgentLogger = { debug() {}, info() {}, warn() {}, error() {} };

export function createAgentRuntime(options: AgentRuntimeOptions): AgentRuntime {
  const env = options.env ?? process.env;
  const logger = options.logger ?? silentLogger;
  const now = options.now ?? Date.now;
  const tools = options.tools ?? createToolRegistry();
  const retry: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const createModel = createLanguageModelFactory();
  const listeners = new Set<(event: AgentRunEvent) => void>();
  const lanes = new Map<string, SessionLane>();
  /** Lanes with a run to start, waiting for a slot under `agents.defaults.maxConcurrent`, oldest first. */
  const waiting: SessionLane[] = [];
  let runningCount = 0;
  const runs = new Map<string, RunJob>();
  const inFlight = new Set<Promise<unknown>>();
  /** Accepts whose idempotency key is not yet in the transcript, by session and key. */
  const accepting = new Map<string, Promise<AcceptedRun>>();
  let closed = false;
  /** Ends waits for answers of runs elsewhere when the runtime closes. */
  const closing = new AbortController();

  function emit(job: RunJob, stream: AgentRunEvent["stream"], data: Record<string, unknown>): void {
    const event: AgentRunEvent = {
      runId: job.runId,
      sessionKey: job.sessionKey,
      seq: job.seq++,
      stream,
      ts: now(),
      data,
    };
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (error) {
        logger.error("agent event listener threw", {
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
  }

  function remember(job: RunJob): void {
    runs.set(job.runId, job);
    if (runs.size <= RECENT_RUNS_KEPT) return;
    for (const [runId, old] of runs) {
      if (runs.size <= RECENT_RUNS_KEPT) break;
      if (old.status === "done") runs.delete(runId);
    }
  }

  function complete(job: RunJob, result: AgentRunResult): void {
    job.status = "done";
    job.result = result;
    job.settle(result);
  }

  /** A run that never started: it still reports start and end so a client waiting on events is not left hanging. */
  function endUnstarted(job: RunJob, code: "ABORTED" | "QUEUE_CLOSED"): void {
    const status = code === "ABORTED" ? "aborted" : "error";
    const error =
      code === "QUEUE_CLOSED"
        ? { code, message: "the agent runtime is closed: no new runs are accepted" }
        : undefined;
    if (error) emit(job, "error", { ...error });
    emit(job, "lifecycle", { phase: "end", status });
    complete(job, {
      runId: job.runId,
      sessionKey: job.sessionKey,
      status,
      text: "",
      usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
      stopReason: "aborted",
      ...(error ? { error } : {}),
    });
  }

  function startNext(lane: SessionLane): void {
    if (lane.active) return;
    if (lane.pending.length === 0) {
      if (lanes.get(lane.sessionKey) === lane) lanes.delete(lane.sessionKey);
      return;
    }
    if (runningCount >= maxConcurrentRuns(options.getConfig())) {
      if (!waiting.includes(lane)) waiting.push(lane);
      return;
    }
    const job = lane.pending.shift() as RunJob;
    lane.active = job;
    runningCount += 1;
    job.status = "running";
    const timeoutMs = runTimeoutMs(job.requests[0], options.getConfig());
    const timer = setTimeout(() => abortJob(job, "timeout"), timeoutMs);
    const scope = options.runScope ?? ((_run, work) => work());
    const run = { runId: job.runId, sessionKey: job.sessionKey };
    const running = scope(run, () =>
      holdingSessionLock({ lock: options.sessionLock, logger }, run, job.controller.signal, () =>
        executeRun(
          job.runId,
          job.requests,
          { signal: job.controller.signal, cause: () => job.abortCause },
          {
            config: options.getConfig(),
            env,
            credentials: options.credentials,
            transcripts: options.transcripts,
            tools,
            logger,
            now,
            retry,
            createModel,
            emit: (stream, data) => emit(job, stream, data),
            ...(options.prepareRun ? { prepareRun: options.prepareRun } : {}),
            ...(options.sessionModel ? { sessionModel: options.sessionModel } : {}),
            ...(options.sessionThinkingLevel ? { sessionThinkingLevel: options.sessionThinkingLevel } : {}),
            ...(options.observe ? { observe: options.observe, queuedAt: job.queuedAt } : {}),
          },
        ),
      ),
    )
      .catch((error: unknown): AgentRunResult => {
        const { result, failure } = failedRunResult(run, error, logger);
        emit(job, "error", failure);
        emit(job, "lifecycle", { phase: "end", status: "error" });
        return result;
      })
      .then((result) => {
        clearTimeout(timer);
        complete(job, result);
        lane.active = undefined;
        runningCount -= 1;
        // Lanes that waited for a slot go first; this lane's next run queues behind them.
        if (lane.pending.length > 0 && !waiting.includes(lane)) waiting.push(lane);
        startWaiting();
        startNext(lane);
      });
    inFlight.add(running);
    running.finally(() => inFlight.delete(running));
  }

  function startWaiting(): void {
    while (waiting.length > 0 && runningCount < maxConcurrentRuns(options.getConfig())) {
      startNext(waiting.shift() as SessionLane);
    }
  }

  function abortJob(job: RunJob, cause: AbortCause): void {
    if (job.controller.signal.aborted) return;
    job.abortCause = cause;
    job.controller.abort(cause);
  }

  function handleOf(job: RunJob): AgentRunHandle {
    return { runId: job.runId, sessionKey: job.sessionKey, done: job.done };
  }

  /**
   * Queues a request on its session's lane. With `record`, the user entry is written (under the run id the request
   * ends up with) before the lane can start it, and the run waits for that write instead of writing it again.
   */
  function enqueue(request: AgentRunRequest, record?: (runId: string) => Promise<void>): RunJob {
    const lane = lanes.get(request.sessionKey) ?? {
      sessionKey: request.sessionKey,
      active: undefined,
      pending: [],
    };
    const recorded = (runId: string): AgentRunRequest => {
      if (!record) return request;
      const written = record(runId);
      written.catch(() => undefined);
      return { ...request, recorded: written } as RecordedRequest;
    };
    if (request.queueMode === "collect" && lane.active) {
      const open = lane.pending.at(-1);
      if (open && canCollect(open.requests[0], request)) {
        open.requests.push(recorded(open.runId));
        return open;
      }
    }
    const runId = request.runId ?? randomUUID();
    const job = createRunJob(closed ? request : recorded(runId), runId, now());
    remember(job);
    if (closed) {
      endUnstarted(job, "QUEUE_CLOSED");
      return job;
    }
    lanes.set(request.sessionKey, lane);
    lane.pending.push(job);
    if (lane.active) emit(job, "lifecycle", { phase: "queued", position: lane.pending.length });
    startWaiting();
    startNext(lane);
    return job;
  }

  async function acceptNew(request: AgentRunRequest): Promise<AcceptedRun> {
    let written: Promise<void> = Promise.resolve();
    const job = enqueue(request, (runId) => {
      written = options.transcripts.append(request.sessionKey, {
        role: "user",
        text: request.message,
        ...userEntryMedia(request.attachments),
        ts: now(),
        runId,
        ...(request.idempotencyKey === undefined ? {} : { idempotencyKey: request.idempotencyKey }),
      });
      return written;
    });
    await written;
    return { ...handleOf(job), deduped: false };
  }

  async function acceptOnce(request: AgentRunRequest, key: string): Promise<AcceptedRun> {
    const found = await readRecordedTurn(options.transcripts, request.sessionKey, key);
    if (!found) return acceptNew(request);
    const live = liveRun(found);
    if (live) return { ...handleOf(live), deduped: true };
    if (request.resumeUnanswered && (await endedUnanswered(found))) return resume(request, found);
    return {
      runId: found.runId,
      sessionKey: found.sessionKey,
      deduped: true,
      done: outcomeOf(found, request, key),
    };
  }

  /** A run of the message here, or one running it again, is the answer to a retry. */
  function liveRun(found: RecordedTurn): RunJob | undefined {
    return runs.get(found.runId) ?? runs.get(resumedRunId(found.userRunId, found.resumes + 1));
  }

  /** A recorded run that left a failed answer, or none while no other process holds its session. */
  async function endedUnanswered(found: RecordedTurn): Promise<boolean> {
    if (found.answer) return found.answer.isError === true;
    const held = options.sessionHeldElsewhere?.(found.sessionKey).catch(() => true);
    return !(await held);
  }

  /** Runs a recorded message again under the next resume id; its user entry is the recorded one. */
  function resume(request: AgentRunRequest, found: RecordedTurn): AcceptedRun {
    const runId = resumedRunId(found.userRunId, found.resumes + 1);
    const resumed: RecordedRequest = {
      ...request,
      runId,
      recorded: Promise.resolve(),
      resumes: found.userRunId,
    };
    return { ...handleOf(enqueue(resumed)), deduped: false, resumed: true };
  }

  function outcomeOf(found: RecordedTurn, request: AgentRunRequest, key: string): Promise<AgentRunResult> {
    const heldElsewhere = options.sessionHeldElsewhere;
    if (found.answer || !heldElsewhere) return Promise.resolve(recordedResult(found));
    return awaitRecordedAnswer(found, key, {
      transcripts: options.transcripts,
      heldElsewhere,
      timeoutMs: runTimeoutMs(request, options.getConfig()),
      signal: closing.signal,
      // A retry that waited here may meanwhile have resumed it: that run is the answer.
      ...(request.resumeUnanswered
        ? { resume: (turn) => (liveRun(turn) ?? resume(request, turn)).done }
        : {}),
    });
  }

  return {
    tools,

    submit(request) {
      return handleOf(enqueue(request));
    },

    accept(request) {
      if (request.ephemeral !== undefined || closed) {
        return Promise.resolve({ ...handleOf(enqueue(request)), deduped: false });
      }
      const key = request.idempotencyKey;
      if (key === undefined) return acceptNew(request);
      // While one accept of a key is in flight its retry waits for it: the transcript does not hold the key yet.
      const slot = `${request.sessionKey}\u0000${key}`;
      const pending = accepting.get(slot);
      if (pending) return pending.then((run) => ({ ...run, deduped: true }));
      const accepted = acceptOnce(request, key).finally(() => accepting.delete(slot));
      accepting.set(slot, accepted);
      return accepted;
    },

    abort({ sessionKey, runId }) {
      if (sessionKey === undefined && runId === undefined) return 0;
      let count = 0;
      const matches = (job: RunJob) =>
        (sessionKey === undefined || job.sessionKey === sessionKey) &&
        (runId === undefined || job.runId === runId);
      for (const lane of lanes.values()) {
        const queued = lane.pending.filter(matches);
        lane.pending = lane.pending.filter((job) => !matches(job));
        for (const job of queued) endUnstarted(job, "ABORTED");
        count += queued.length;
        if (lane.active && matches(lane.active) && !lane.active.controller.signal.aborted) {
          abortJob(lane.active, "user");
          count++;
        }
      }
      return count;
    },

    isActive(sessionKey) {
      const lane = lanes.get(sessionKey);
      return lane !== undefined && (lane.active !== undefined || lane.pending.length > 0);
    },

    activeRunId(sessionKey) {
      return lanes.get(sessionKey)?.active?.runId;
    },

    getRun(runId): RunSnapshot | undefined {
      const job = runs.get(runId);
      if (!job) return undefined;
      return job.result ? { status: job.status, result: job.result } : { status: job.status };
    },

    listModels() {
      return listModels(resolveProviders(options.getConfig(), { env, credentials: options.credentials }));
    },

    resolveModel(ref, agentId) {
      const config = options.getConfig();
      const providers = resolveProviders(config, { env, credentials: options.credentials, agentId });
      const [primary] = resolveModelChain(providers, config, ref, agentId);
      const { provider, model, ref: resolved, entry } = primary as NonNullable<typeof primary>;
      return { provider, model, ref: resolved, reasoning: modelReasons(entry, model) };
    },

    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    async close() {
      closed = true;
      closing.abort();
      for (const lane of lanes.values()) {
        const queued = lane.pending;
        lane.pending = [];
        for (const job of queued) endUnstarted(job, "QUEUE_CLOSED");
        if (lane.active) abortJob(lane.active, "closed");
      }
      await Promise.allSettled([...inFlight]);
    },
  };
}
