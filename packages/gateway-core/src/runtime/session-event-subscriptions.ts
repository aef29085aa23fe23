import type { AgentRunEvent } from "@openclaw/agent";
import type { SessionsChangedEvent } from "@openclaw/protocol";
import { parseSessionKey } from "@openclaw/sessions";

/** Sends one event to the named connections (those still open and holding `operator.read`). */
export type SendToConnections = (connIds: ReadonlySet<string>, event: string, payload: unknown) => void;

/**
 * Who asked for live session events (`sessions.subscribe`), as OpenClaw sends them: only to subscribed
 * connections, never to the others. A connection's subscription ends with the connection.
 */
export class SessionEventSubscriptions {
  readonly #send: SendToConnections;
  readonly #subscribers = new Set<string>();

  constructor(send: SendToConnections) {
    this.#send = send;
  }

  subscribe(connId: string): void {
    this.#subscribers.add(connId);
  }

  unsubscribe(connId: string): void {
    this.#subscribers.delete(connId);
  }

  dropConnection(connId: string): void {
    this.#subscribers.delete(connId);
  }

  /** The subscribed connections: OpenClaw also sends them every session's `session.message`. */
  get connIds(): ReadonlySet<string> {
    return this.#subscribers;
  }

  get subscriberCount(): number {
    return this.#subscribers.size;
  }

  /**
   * Turns an agent run's lifecycle into `sessions.changed`: the UI refreshes its session list and the session's
   * run indicator when a run starts and when it ends. Other streams (text deltas, tools) go out as `chat`/`agent`.
   */
  onRunEvent(event: AgentRunEvent): void {
    if (event.stream !== "lifecycle" || this.#subscribers.size === 0) return;
    const phase = event.data.phase;
    if (phase !== "start" && phase !== "end") return;
    const agentId = parseSessionKey(event.sessionKey)?.agentId;
    const payload: SessionsChangedEvent = {
      sessionKey: event.sessionKey,
      ...(agentId === undefined ? {} : { agentId }),
      phase,
      runId: event.runId,
      ts: event.ts,
    };
    this.#send(this.#subscribers, "sessions.changed", payload);
  }
}
