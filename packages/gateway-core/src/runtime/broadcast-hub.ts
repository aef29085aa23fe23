import { scopeSatisfies } from "@openclaw/protocol";

/** What the hub needs of a connection: the transport's WebSocket connections satisfy it. */
export interface BroadcastTarget {
  readonly isOpen: boolean;
  readonly scopes: readonly string[];
  /** Sends a pre-serialised event frame whose closing brace the connection adds (with its own `seq`). */
  sendBroadcast(frameWithoutClosingBrace: string): void;
}

export interface BroadcastHub {
  /** Sends an event to every open connection (holding `requiredScope`, when given). */
  broadcast(event: string, payload: unknown, requiredScope?: string): void;
  connectionCount(): number;
}

/**
 * Fans events out to the transport's connections. The set is owned by the transport (it adds a connection once
 * it is authenticated and removes it on close); the hub only reads it, so the runtime never depends on `server/`.
 */
export function createBroadcastHub(o: {
  targets: ReadonlySet<BroadcastTarget>;
  stateVersion: () => { presence: number; health: number };
}): BroadcastHub {
  return {
    broadcast(event, payload, requiredScope) {
      // Serialised once for every connection; each connection appends its own sequence number.
      const frame = `{"type":"event","event":${JSON.stringify(event)},"payload":${JSON.stringify(payload)},"stateVersion":${JSON.stringify(o.stateVersion())}`;
      for (const target of o.targets) {
        if (!target.isOpen) continue;
        if (requiredScope && !scopeSatisfies(target.scopes, requiredScope)) continue;
        target.sendBroadcast(frame);
      }
    },
    connectionCount: () => o.targets.size,
  };
}
