import { randomUUID } from "node:crypto";
import type { AgentRunEvent, AgentRunResult, AgentRuntime, TranscriptEntry } from "@openclaw/agent";
import type { ChatEvent } from "@openclaw/protocol";
import type { Logger } from "../logging/logger.js";
import { IdempotencyCache } from "./idempotency-cache.js";

export interface ChatTurnRequest {
  /** Normally generated here; a caller that must listen before the run starts may choose it. */
  runId?: string;
  sessionKey: string;
  message: string;
  agentId?: string;
  /** `<provider>/<model>` to use instead of the agent's model. */
  model?: string;
  idempotencyKey?: string;
  queueMode?: "followup" | "collect" | "steer";
  timeoutMs?: number;
  extraSystemPrompt?: string;
  /** A stateless turn (HTTP without a session): this history is used and nothing is read or written. */
  ephemeralHistory?: TranscriptEntry[];
}

export interface ChatTurn {
  runId: string;
  sessionKey: string;
  /** True when the idempotency key had been seen: no new run was started. */
  deduped: boolean;
  done: Promise<AgentRunResult>;
}

export type ChatEventSink = (event: "agent" | "chat", payload: unknown) => void;

/**
 * The one code path from every entry point (WebSocket `chat.send` and `agent`, the HTTP API) to the agent runtime.
 * It deduplicates by idempotency key and turns the runtime's run events into the wire's `agent` and `chat` events.
 */
export class ChatService {
  readonly #agent: AgentRuntime;
  readonly #emit: ChatEventSink;
  readonly #logger: Logger;
  readonly #turns = new IdempotencyCache<ChatTurn>();
  /** Recent runs by id, for `agent.wait`. */
  readonly #runs = new IdempotencyCache<Promise<AgentRunResult>>({ maxEntries: 2_000 });
  /** Per run: the `chat` event counter and the agent it belongs to; dropped when the run ends. */
  readonly #chatSeq = new Map<string, { seq: number; agentId: string | undefined; ephemeral: boolean }>();
  readonly #unsubscribe: () => void;

  constructor(options: { agent: AgentRuntime; emit: ChatEventSink; logger: Logger }) {
    this.#agent = options.agent;
    this.#emit = options.emit;
    this.#logger = options.logger;
    this.#unsubscribe = this.#agent.on((event) => this.#onAgentEvent(event));
  }

  get agent(): AgentRuntime {
    return this.#agent;
  }

  start(request: ChatTurnRequest): ChatTurn {
    const dedupeKey = request.idempotencyKey
      ? `${request.sessionKey}\u0000${request.idempotencyKey}`
      : undefined;
    if (dedupeKey) {
      const seen = this.#turns.get(dedupeKey);
      if (seen) return { ...seen, deduped: true };
    }
    const runId = request.runId ?? randomUUID();
    // Registered before submitting, so even the run's first (synchronous) event knows its turn.
    this.#chatSeq.set(runId, {
      seq: 0,
      agentId: request.agentId,
      ephemeral: request.ephemeralHistory !== undefined,
    });
    const handle = this.#agent.submit({
      runId,
      sessionKey: request.sessionKey,
      agentId: request.agentId,
      message: request.message,
      model: request.model,
      queueMode: request.queueMode,
      timeoutMs: request.timeoutMs,
      systemPrompt: request.extraSystemPrompt,
      ephemeral: request.ephemeralHistory ? { history: request.ephemeralHistory } : undefined,
    });
    this.#runs.set(runId, handle.done);
    const turn: ChatTurn = {
      runId: handle.runId,
      sessionKey: handle.sessionKey,
      deduped: false,
      done: handle.done,
    };
    if (dedupeKey) this.#turns.set(dedupeKey, turn);
    void handle.done.then((result) => this.#finish(result));
    return turn;
  }

  /** The outcome of a recent run started here, or undefined when the id is unknown or forgotten. */
  runResult(runId: string): Promise<AgentRunResult> | undefined {
    return this.#runs.get(runId);
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
        message: { role: "assistant", text: result.text, model: result.model },
        usage: result.usage,
        ...(result.stopReason ? { stopReason: result.stopReason } : {}),
      };
    } else if (result.status === "aborted") {
      payload = { ...base, ...agent, state: "aborted", message: { role: "assistant", text: result.text } };
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

function errorKindFor(code: string | undefined): ChatEvent["errorKind"] {
  if (code === "TIMEOUT") return "timeout";
  if (code === "RATE_LIMITED") return "rate_limit";
  if (code === "CONTEXT_LENGTH") return "context_length";
  return "unknown";
}
