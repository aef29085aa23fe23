import type { AgentObservation } from "@openclaw/agent";
import type { TraceContext } from "./trace-context.js";

/**
 * The gateway's telemetry events: what metrics, traces and the usage ledger are built from. Labels that reach a
 * metric must stay bounded, so events carry ids (run, session) only for correlation inside the process; the
 * Prometheus exporter never turns them into labels. Times are epoch milliseconds.
 */

/** Where a run came from: a channel id ("telegram", ...), "webchat" (WS `chat.send`), "http", "cron", "hook". */
export type RunTrigger = "user" | "cron" | "heartbeat" | "hook" | "api";

/**
 * A run was accepted for a session (emitted before it waits in its lane, so before any of its own events). A turn
 * the transcript deduplicates, or that a queue merges into another run, is not followed by a `run.end` of this id:
 * consumers keep what they index by run id bounded.
 */
export interface RunAcceptedEvent {
  type: "run.accepted";
  runId: string;
  sessionKey: string;
  agentId: string;
  channel: string;
  /** The channel account for channel messages; undefined for other entry points. */
  accountId?: string;
  trigger: RunTrigger;
  at: number;
  /** When the channel message that started the run reached the gateway (channel runs only). */
  receivedAt?: number;
  trace: TraceContext;
}

/** One WS request, answered. `method` is the method name as registered (unknown names are "unknown"). */
export interface RpcRequestEvent {
  type: "rpc.request";
  method: string;
  startedAt: number;
  endedAt: number;
  ok: boolean;
  /** The error code answered (`INVALID_REQUEST`, `UNAVAILABLE`, ...). */
  errorCode?: string;
}

/** A WS connection finished its handshake (or failed it). */
export interface HandshakeEvent {
  type: "handshake";
  outcome: "ok" | "auth_failed" | "locked_out" | "rejected";
  /** The role asked for ("operator", "node"); undefined when the request never parsed. */
  role?: string;
}

/** A refused HTTP API credential (`Authorization: Bearer`), or a refusal of a locked-out address. */
export interface HttpAuthFailureEvent {
  type: "http.auth_failure";
  outcome: "auth_failed" | "locked_out";
}

export interface ConnectionEvent {
  type: "connection.open" | "connection.close";
  role: string;
}

/** An inbound message from a channel reached the gateway (after the adapter normalised it). */
export interface MessageReceivedEvent {
  type: "message.received";
  channel: string;
  accountId: string;
  at: number;
  /** Whether access policy let it through to the agent. */
  outcome: "accepted" | "dropped";
}

/** An outbound message (one reply, all its chunks) was handed to a channel. */
export interface MessageDeliveredEvent {
  type: "message.delivered";
  channel: string;
  accountId: string;
  runId?: string;
  startedAt: number;
  endedAt: number;
  outcome: "ok" | "error";
  errorCategory?: string;
}

/** A channel account's connection state changed. */
export interface ChannelStateEvent {
  type: "channel.state";
  channel: string;
  accountId: string;
  state: "connected" | "disconnected" | "reconnecting";
}

export interface CronRunEvent {
  type: "cron.run";
  startedAt: number;
  endedAt: number;
  outcome: "ok" | "error" | "skipped";
  runId?: string;
}

/** One storage call, timed (only emitted while something listens). */
export interface StorageOperationEvent {
  type: "storage.op";
  /** The port method, e.g. "getSession", "appendTranscript". */
  op: string;
  startedAt: number;
  endedAt: number;
  ok: boolean;
}

export type DiagnosticEvent =
  | AgentObservation
  | RunAcceptedEvent
  | RpcRequestEvent
  | HandshakeEvent
  | HttpAuthFailureEvent
  | ConnectionEvent
  | MessageReceivedEvent
  | MessageDeliveredEvent
  | ChannelStateEvent
  | CronRunEvent
  | StorageOperationEvent;

export type DiagnosticListener = (event: DiagnosticEvent) => void;

export type DiagnosticEventType = DiagnosticEvent["type"];

interface Subscription {
  listener: DiagnosticListener;
  /** The event types it receives; undefined: all of them. */
  types: ReadonlySet<DiagnosticEventType> | undefined;
}

/**
 * In-process fan-out of diagnostic events. Listeners name the event types they want, so an emit point asks
 * `wants(type)` (one set lookup) before building its event: with diagnostics off only the usage ledger's and the
 * log trace index's few per-run events are built, and a request, a storage call or a channel message costs nothing.
 */
export class DiagnosticBus {
  private subscriptions: readonly Subscription[] = [];
  private wanted: ReadonlySet<DiagnosticEventType> | "all" = new Set();

  constructor(private readonly onListenerError?: (error: unknown) => void) {}

  /** Whether anything listens at all. */
  get active(): boolean {
    return this.subscriptions.length > 0;
  }

  /** Whether any listener receives events of `type`. */
  wants(type: DiagnosticEventType): boolean {
    return this.wanted === "all" || this.wanted.has(type);
  }

  emit(event: DiagnosticEvent): void {
    const subscriptions = this.subscriptions;
    for (let i = 0; i < subscriptions.length; i++) {
      const { listener, types } = subscriptions[i] as Subscription;
      if (types && !types.has(event.type)) continue;
      try {
        listener(event);
      } catch (error) {
        this.onListenerError?.(error);
      }
    }
  }

  /** Subscribes to `types` (every type when omitted). Returns the unsubscribe function. */
  subscribe(listener: DiagnosticListener, types?: readonly DiagnosticEventType[]): () => void {
    const subscription: Subscription = { listener, types: types ? new Set(types) : undefined };
    this.subscriptions = [...this.subscriptions, subscription];
    this.recompute();
    return () => {
      this.subscriptions = this.subscriptions.filter((s) => s !== subscription);
      this.recompute();
    };
  }

  private recompute(): void {
    if (this.subscriptions.some((s) => s.types === undefined)) {
      this.wanted = "all";
      return;
    }
    this.wanted = new Set(this.subscriptions.flatMap((s) => [...(s.types ?? [])]));
  }
}
