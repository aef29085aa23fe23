import { GatewayError, type SessionMessageEvent } from "@openclaw/protocol";
import { normalizeSessionKey, parseSessionKey, type TranscriptEntry } from "@openclaw/sessions";
import { openClawHistoryMessages } from "../chat/openclaw-history-message.js";
import type { Logger } from "../logging/logger.js";
import type { SendToConnections } from "./session-event-subscriptions.js";

/** Sessions one connection may follow at once: a client shows a handful; the bound keeps a runaway one small. */
export const SESSION_MESSAGE_SUBSCRIPTIONS_PER_CONNECTION = 256;

/**
 * Who follows which session's messages (`sessions.messages.subscribe`), and the `session.message` events they get:
 * each new transcript line of the session, as the row `chat.history` shows for it, to those connections and, as
 * OpenClaw does, to the connections that follow every session (`sessions.subscribe`). Events of one session go out in the order their lines were written; a connection's subscriptions end with it.
 */
export class SessionMessageSubscriptions {
  readonly #send: SendToConnections;
  readonly #readTranscript: (sessionKey: string) => Promise<TranscriptEntry[]>;
  readonly #everySession: () => ReadonlySet<string>;
  readonly #logger: Logger;
  readonly #byKey = new Map<string, Set<string>>();
  readonly #byConn = new Map<string, Set<string>>();
  /** Per session: the event being built, so the next one waits for it. */
  readonly #lanes = new Map<string, Promise<void>>();

  constructor(o: {
    send: SendToConnections;
    readTranscript: (sessionKey: string) => Promise<TranscriptEntry[]>;
    /** Connections that get every session's messages (those of `sessions.subscribe`). */
    everySession: () => ReadonlySet<string>;
    logger: Logger;
  }) {
    this.#send = o.send;
    this.#readTranscript = o.readTranscript;
    this.#everySession = o.everySession;
    this.#logger = o.logger;
  }

  /** `sessionKey` is normalized by the caller, as the store writes it. */
  subscribe(connId: string, sessionKey: string): void {
    const keys = this.#byConn.get(connId) ?? new Set<string>();
    if (!keys.has(sessionKey) && keys.size >= SESSION_MESSAGE_SUBSCRIPTIONS_PER_CONNECTION) {
      throw new GatewayError(
        "INVALID_REQUEST",
        `this connection already follows ${keys.size} sessions: call sessions.messages.unsubscribe for sessions it no longer shows`,
        {
          details: {
            code: "SESSION_MESSAGE_SUBSCRIPTION_LIMIT",
            limit: SESSION_MESSAGE_SUBSCRIPTIONS_PER_CONNECTION,
          },
        },
      );
    }
    keys.add(sessionKey);
    this.#byConn.set(connId, keys);
    const conns = this.#byKey.get(sessionKey) ?? new Set<string>();
    conns.add(connId);
    this.#byKey.set(sessionKey, conns);
  }

  unsubscribe(connId: string, sessionKey: string): void {
    this.#byConn.get(connId)?.delete(sessionKey);
    if (this.#byConn.get(connId)?.size === 0) this.#byConn.delete(connId);
    const conns = this.#byKey.get(sessionKey);
    conns?.delete(connId);
    if (conns?.size === 0) this.#byKey.delete(sessionKey);
  }

  dropConnection(connId: string): void {
    for (const key of this.#byConn.get(connId) ?? []) this.unsubscribe(connId, key);
  }

  /** Called once a transcript line is durable; nothing is read unless someone follows the session. */
  onTranscriptAppend(rawKey: string, entry: TranscriptEntry): void {
    const sessionKey = safeNormalize(rawKey);
    if (sessionKey === undefined || this.#recipients(sessionKey).size === 0) return;
    const previous = this.#lanes.get(sessionKey) ?? Promise.resolve();
    const next = previous.then(() => this.#publish(sessionKey, entry));
    const settled = next.catch((error: unknown) => {
      this.#logger.warn("session.message not sent", { sessionKey, error: (error as Error).message });
    });
    this.#lanes.set(sessionKey, settled);
    void settled.then(() => {
      if (this.#lanes.get(sessionKey) === settled) this.#lanes.delete(sessionKey);
    });
  }

  #recipients(sessionKey: string): ReadonlySet<string> {
    const following = this.#byKey.get(sessionKey);
    const every = this.#everySession();
    if (following === undefined) return every;
    return every.size === 0 ? following : new Set([...following, ...every]);
  }

  async #publish(sessionKey: string, entry: TranscriptEntry): Promise<void> {
    const connIds = this.#recipients(sessionKey);
    if (connIds.size === 0) return;
    // The line's position names it as `chat.history` does (`entry-<seq>`); lines written since are after it.
    const entries = await this.#readTranscript(sessionKey);
    const seq = findLastIndex(entries, (candidate) => sameLine(candidate, entry));
    // Gone already (the session was reset or compacted meanwhile): a client re-reads history on those anyway.
    if (seq === -1) return;
    const [message] = openClawHistoryMessages([entries[seq] as TranscriptEntry], { firstSeq: seq });
    if (message === undefined) return;
    const agentId = parseSessionKey(sessionKey)?.agentId;
    const payload: SessionMessageEvent = {
      sessionKey,
      ...(agentId === undefined ? {} : { agentId }),
      message,
      messageId: message.__openclaw.id,
      messageSeq: seq + 1,
      ...(typeof entry.runId === "string" ? { runId: entry.runId } : {}),
    };
    this.#send(connIds, "session.message", payload);
  }
}

function safeNormalize(key: string): string | undefined {
  try {
    return normalizeSessionKey(key);
  } catch {
    return undefined;
  }
}

function sameLine(a: TranscriptEntry, b: TranscriptEntry): boolean {
  return a.role === b.role && a.ts === b.ts && a.text === b.text && a.runId === b.runId;
}

function findLastIndex<T>(items: readonly T[], match: (item: T) => boolean): number {
  for (let index = items.length - 1; index >= 0; index--) {
    if (match(items[index] as T)) return index;
  }
  return -1;
}
