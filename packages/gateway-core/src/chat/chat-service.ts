import { randomUUID } from "node:crypto";
import type {
  AcceptedRun,
  AgentRunEvent,
  AgentRunResult,
  AgentRuntime,
  RunAttachment,
  TranscriptEntry,
} from "@openclaw/agent";
import type { ChatEvent } from "@openclaw/protocol";
import type { DiagnosticBus, RunTrigger } from "../diagnostics/diagnostic-events.js";
import { type TraceContext, traceContextFrom } from "../diagnostics/trace-context.js";
import type { Logger } from "../logging/logger.js";
import { IdempotencyCache } from "./idempotency-cache.js";
import { openClawAssistantMessage } from "./openclaw-history-message.js";
import type { TurnAttachment } from "./turn-attachment.js";

export type { TurnAttachment } from "./turn-attachment.js";

export interface ChatTurnRequest {
  /** Normally generated here; a caller that must listen before the run starts may choose it. */
  runId?: string;
  sessionKey: string;
  message: string;
  /** Media of the message (photos, voice notes, documents), stored and understood before the turn starts. */
  attachments?: TurnAttachment[];
  agentId?: string;
  /** `<provider>/<model>` to use instead of the agent's model. */
  model?: string;
  /** The thinking level for this turn (`chat.send` thinking); overrides the session's. */
  thinking?: string;
  idempotencyKey?: string;
  /**
   * A key the transcript holds whose run never answered (cut off, or a failed answer) and runs nowhere now is run
   * again under a new run id, reusing the recorded user message (see the agent's `resumeUnanswered`).
   */
  resumeUnanswered?: boolean;
  queueMode?: "followup" | "collect" | "steer";
  timeoutMs?: number;
  extraSystemPrompt?: string;
  /** A stateless turn (HTTP without a session): this history is used and nothing is read or written. */
  ephemeralHistory?: TranscriptEntry[];
  /** Where the turn came from, for telemetry; unset is an internal turn (sub-agents, tools). */
  origin?: TurnOrigin;
  /** The caller's W3C trace (HTTP `traceparent`); a fresh trace when unset. */
  trace?: TraceContext;
}

/** The entry point of a turn: bounded values only (they become metric labels). */
export interface TurnOrigin {
  /** A channel id ("telegram", ...), "webchat", "http", "cron", "hook", "heartbeat". */
  channel: string;
  /** The channel account (a config name). */
  accountId?: string;
  trigger: RunTrigger;
  /** When the inbound message reached the gateway (epoch ms): traces start the run's span there. Not a label. */
  receivedAt?: number;
}

const INTERNAL_ORIGIN: TurnOrigin = { channel: "internal", trigger: "api" };

export interface ChatTurn {
  runId: string;
  sessionKey: string;
  /** True when the idempotency key had been seen: no new run was started. */
  deduped: boolean;
  done: Promise<AgentRunResult>;
}

interface ChatSeqState {
  seq: number;
  agentId: string | undefined;
  ephemeral: boolean;
}

export type ChatEventSink = (event: "agent" | "chat", payload: unknown) => void;

/**
 * The one code path from every entry point (WebSocket `chat.send` and `agent`, the HTTP API, channels, hooks, cron)
 * to the agent runtime. It deduplicates by idempotency key (in memory, and durably through the transcript) and turns
 * the runtime's run events into the wire's `agent` and `chat` events.
 */
export class ChatService {
  readonly #agent: AgentRuntime;
  readonly #emit: ChatEventSink;
  readonly #logger: Logger;
  readonly #turns = new IdempotencyCache<{ runId: string; turn: Promise<ChatTurn> }>();
  /** Recent runs by id, for `agent.wait`. */
  readonly #runs = new IdempotencyCache<Promise<AgentRunResult>>({ maxEntries: 2_000 });
  /** Per run: the `chat` event counter and the agent it belongs to; dropped when the run ends. */
  readonly #chatSeq = new Map<string, ChatSeqState>();
  readonly #unsubscribe: () => void;
  readonly #diagnostics: DiagnosticBus | undefined;

  constructor(options: {
    agent: AgentRuntime;
    emit: ChatEventSink;
    logger: Logger;
    diagnostics?: DiagnosticBus;
  }) {
    this.#agent = options.agent;
    this.#diagnostics = options.diagnostics;
    this.#emit = options.emit;
    this.#logger = options.logger;
    this.#unsubscribe = this.#agent.on((event) => this.#onAgentEvent(event));
  }

  get agent(): AgentRuntime {
    return this.#agent;
  }

  /** Runs whose `chat` events this service numbers now: each from its accept until it ends. */
  get followedRuns(): number {
    return this.#chatSeq.size;
  }

  /**
   * Starts a turn and resolves once its user message is durable (fsync'd with its run id and idempotency key):
   * the point at which an entry point may acknowledge it. A key seen before, in memory or in the session's
   * transcript (so also after a restart), starts nothing and answers with the original run.
   */
  accept(request: ChatTurnRequest): Promise<ChatTurn> {
    const dedupeKey = this.#dedupeKey(request);
    const seen = dedupeKey === undefined ? undefined : this.#turns.get(dedupeKey);
    if (seen) return seen.turn.then((turn) => ({ ...turn, deduped: true }));
    const runId = request.runId ?? randomUUID();
    // Registered before submitting, so even the run's first (synchronous) event knows its turn. A run of this id
    // going on here keeps its own counter.
    const counter = this.#chatSeq.has(runId)
      ? undefined
      : { seq: 0, agentId: request.agentId, ephemeral: request.ephemeralHistory !== undefined };
    if (counter) this.#chatSeq.set(runId, counter);
    // Before the run can start, so its trace and labels are known to every observer of its first event. A turn the
    // transcript dedupes or a queue merges into another run is never followed by that run id's `run.end`.
    if (this.#diagnostics?.wants("run.accepted")) this.#emitAccepted(request, runId);
    const turn = this.#agent
      .accept({
        runId,
        sessionKey: request.sessionKey,
        agentId: request.agentId,
        message: request.message,
        ...(request.attachments && request.attachments.length > 0
          ? { attachments: request.attachments.map(runAttachmentOf) }
          : {}),
        model: request.model,
        ...(request.thinking === undefined ? {} : { thinking: request.thinking }),
        queueMode: request.queueMode,
        timeoutMs: request.timeoutMs,
        systemPrompt: request.extraSystemPrompt,
        ephemeral: request.ephemeralHistory ? { history: request.ephemeralHistory } : undefined,
        idempotencyKey: request.idempotencyKey,
        ...(request.resumeUnanswered ? { resumeUnanswered: true } : {}),
      })
      .then(
        (handle): ChatTurn => {
          if (counter) this.#adoptCounter(runId, counter, handle);
          if (!handle.deduped) void handle.done.then((result) => this.#finish(result));
          this.#runs.set(handle.runId, handle.done);
          return {
            runId: handle.runId,
            sessionKey: handle.sessionKey,
            deduped: handle.deduped,
            done: handle.done,
          };
        },
        (error: unknown) => {
          if (counter) this.#chatSeq.delete(runId);
          if (dedupeKey !== undefined) this.#turns.forget(dedupeKey);
          throw error;
        },
      );
    if (dedupeKey !== undefined) this.#turns.set(dedupeKey, { runId, turn });
    return turn;
  }

  /**
   * `accept` for callers that acknowledge nothing before the run ends (channels, hooks, cron, the HTTP API): the
   * turn is returned at once and `done` reports a failed write as a failed run.
   */
  start(request: ChatTurnRequest): ChatTurn {
    const dedupeKey = this.#dedupeKey(request);
    const seen = dedupeKey === undefined ? undefined : this.#turns.get(dedupeKey);
    const runId = seen?.runId ?? request.runId ?? randomUUID();
    const accepted = this.accept({ ...request, runId });
    return {
      runId,
      sessionKey: request.sessionKey,
      deduped: seen !== undefined,
      done: accepted.then(
        (turn) => turn.done,
        (error: unknown) => notAccepted(runId, request.sessionKey, error),
      ),
    };
  }

  /**
   * The counter registered for an accepted request goes to the run that carries it: a resumed message's new run
   * takes it over. A deduped request (its run went on here under another id, or elsewhere: it is never finished
   * here) or one collected into another run drops it.
   */
  #adoptCounter(runId: string, counter: ChatSeqState, handle: AcceptedRun): void {
    if (!handle.deduped && handle.runId === runId) return;
    this.#chatSeq.delete(runId);
    if (handle.resumed && !this.#chatSeq.has(handle.runId)) this.#chatSeq.set(handle.runId, counter);
  }

  #emitAccepted(request: ChatTurnRequest, runId: string): void {
    const origin = request.origin ?? INTERNAL_ORIGIN;
    this.#diagnostics?.emit({
      type: "run.accepted",
      runId,
      sessionKey: request.sessionKey,
      agentId: request.agentId ?? /^agent:([^:]+):/.exec(request.sessionKey)?.[1] ?? "main",
      channel: origin.channel,
      ...(origin.accountId === undefined ? {} : { accountId: origin.accountId }),
      trigger: origin.trigger,
      ...(origin.receivedAt === undefined ? {} : { receivedAt: origin.receivedAt }),
      at: Date.now(),
      trace: request.trace ?? traceContextFrom(undefined),
    });
  }

  #dedupeKey(request: Pick<ChatTurnRequest, "sessionKey" | "idempotencyKey">): string | undefined {
    return request.idempotencyKey ? `${request.sessionKey}\u0000${request.idempotencyKey}` : undefined;
  }

  /**
   * True when a turn with this idempotency key was started here recently: `accept` will answer with it, so a caller
   * can skip costly preparation (storing and transcribing attachments) for a retry.
   */
  hasTurn(sessionKey: string, idempotencyKey: string): boolean {
    return this.#turns.get(this.#dedupeKey({ sessionKey, idempotencyKey }) ?? "") !== undefined;
  }

  /** The outcome of a recent run started here, or undefined when the id is unknown or forgotten. */
  runResult(runId: string): Promise<AgentRunResult> | undefined {
    return this.#runs.get(runId);
  }

  /**
   * Follows one run's events (streamed assistant text, tool calls) until the returned function is called; channels
   * use it for live drafts. Subscribe before the run's first event: right after `start`, which submits
   * asynchronously.
   */
  subscribeRun(runId: string, listener: (event: AgentRunEvent) => void): () => void {
    return this.#agent.on((event) => {
      if (event.runId === runId) listener(event);
    });
  }

  close(): void {
    this.#unsubscribe();
  }

  #nextChatSeq(runId: string): { seq: number; agentId: string | undefined } | undefined {
    const state = this.#chatSeq.get(runId);
    if (!state || state.ephemeral) return undefined;
    const seq = state.seq;
    state.seq += 1;
    return { seq, agentId: state.agentId };
  }

  #onAgentEvent(event: AgentRunEvent): void {
    const state = this.#chatSeq.get(event.runId);
    // Stateless HTTP turns belong to their HTTP caller alone; they are not broadcast.
    if (state?.ephemeral) return;
    this.#emit("agent", {
      runId: event.runId,
      seq: event.seq,
      stream: event.stream,
      ts: event.ts,
      data: event.data,
    });
    if (event.stream !== "assistant") return;
    const delta = typeof event.data.delta === "string" ? event.data.delta : "";
    if (delta === "") return;
    const next = this.#nextChatSeq(event.runId);
    if (!next) return;
    const payload: ChatEvent = {
      runId: event.runId,
      sessionKey: event.sessionKey,
      seq: next.seq,
      state: "delta",
      deltaText: delta,
      message: openClawAssistantMessage(
        typeof event.data.text === "string" ? event.data.text : delta,
        event.ts,
      ),
    };
    if (next.agentId) payload.agentId = next.agentId;
    this.#emit("chat", payload);
  }

  #finish(result: AgentRunResult): void {
    const next = this.#nextChatSeq(result.runId);
    this.#chatSeq.delete(result.runId);
    if (!next) return;
    const base = { runId: result.runId, sessionKey: result.sessionKey, seq: next.seq };
    const agent = next.agentId ? { agentId: next.agentId } : {};
    let payload: ChatEvent;
    if (result.status === "ok") {
      payload = {
        ...base,
        ...agent,
        state: "final",
        message: openClawAssistantMessage(result.text, Date.now(), result.model),
        usage: result.usage,
        ...(result.stopReason ? { stopReason: result.stopReason } : {}),
      };
    } else if (result.status === "aborted") {
      payload = {
        ...base,
        ...agent,
        state: "aborted",
        message: openClawAssistantMessage(result.text, Date.now()),
      };
    } else {
      payload = {
        ...base,
        ...agent,
        state: "error",
        errorMessage: result.error?.message ?? "the run failed",
        errorKind: errorKindFor(result.error?.code),
      };
      this.#logger.warn("chat run failed", { runId: result.runId, code: result.error?.code });
    }
    this.#emit("chat", payload);
  }
}

/** The run needs the stored file's reference; the text an item contributes is already in the message. */
function runAttachmentOf(attachment: TurnAttachment): RunAttachment {
  const run: RunAttachment = {
    kind: attachment.kind,
    mimeType: attachment.mimeType,
    path: attachment.path,
    sizeBytes: attachment.sizeBytes,
  };
  if (attachment.fileName !== undefined) run.fileName = attachment.fileName;
  if (attachment.transcript !== undefined) run.transcript = attachment.transcript;
  return run;
}

function notAccepted(runId: string, sessionKey: string, error: unknown): AgentRunResult {
  return {
    runId,
    sessionKey,
    status: "error",
    text: "",
    usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
    error: {
      code: "TRANSCRIPT_WRITE_FAILED",
      message: `the message could not be recorded: ${error instanceof Error ? error.message : String(error)}`,
    },
  };
}

function errorKindFor(code: string | undefined): ChatEvent["errorKind"] {
  if (code === "TIMEOUT") return "timeout";
  if (code === "RATE_LIMITED") return "rate_limit";
  if (code === "CONTEXT_LENGTH") return "context_length";
  return "unknown";
}
