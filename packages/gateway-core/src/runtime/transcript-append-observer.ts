import type { SessionStore, TranscriptEntry } from "@openclaw/sessions";

export type TranscriptAppendListener = (sessionKey: string, entry: TranscriptEntry) => void;

/** A session store that tells its listeners about every transcript line once the line is durable. */
export interface ObservedSessionStore {
  readonly sessions: SessionStore;
  listen(listener: TranscriptAppendListener): () => void;
}

/**
 * Wraps a session store so every durable `appendTranscript` (chat turns, tool calls, answers, injected notes, from
 * whichever service wrote them) is reported: live `session.message` events follow the transcript itself, not each
 * writer. Every other member is the store's own, bound to it (its private fields stay reachable).
 */
export function observeTranscriptAppends(store: SessionStore): ObservedSessionStore {
  const listeners = new Set<TranscriptAppendListener>();
  const appendTranscript = async (sessionKey: string, entry: TranscriptEntry): Promise<void> => {
    await store.appendTranscript(sessionKey, entry);
    for (const listener of listeners) listener(sessionKey, entry);
  };
  const sessions = new Proxy(store, {
    get(target, property) {
      if (property === "appendTranscript") return appendTranscript;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return {
    sessions,
    listen(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
