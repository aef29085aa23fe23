import { scopeSatisfies } from "@openclaw/protocol";

/** What the hub needs of a connection: the transport's WebSocket connections satisfy it. */
export interface BroadcastTarget {
  readonly isOpen: boolean;
  readonly scopes: readonly string[];
  /** The connection's id, for events sent to named connections only (`sendTo`). */
  readonly connId?: string;
  /** Sends a pre-serialised event frame whose closing brace the connection adds (with its own `seq`). */
  sendBroadcast(frameWithoutClosingBrace: string): void;
}

export interface BroadcastHub {
  /** Sends an event to every open connection (holding `requiredScope`, when given). */
  broadcast(event: string, payload: unknown, requiredScope?: string): void;
  /** Sends an event to the named connections only (each still needing `requiredScope`, when given). */
  sendTo(connIds: ReadonlySet<string>, event: string, payload: unknown, requiredScope?: string): void;
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
  const send = (
    event: string,
    payload: unknown,
    requiredScope: string | undefined,
    include: (target: BroadcastTarget) => boolean,
  ) => {
    // Serialised once for every connection; each connection appends its own sequence number.
    const frame = `{"type":"event","event":${JSON.stringify(event)},"payload":${JSON.stringify(payload)},"stateVersion":${JSON.stringify(o.stateVersion())}`;
    for (const target of o.targets) {
      if (!target.isOpen || !include(target)) continue;
      if (requiredScope && !scopeSatisfies(target.scopes, requiredScope)) continue;
      target.sendBroadcast(frame);
    }
  };
  return {
    broadcast(event, payload, requiredScope) {
      send(event, payload, requiredScope, () => true);
    },
    sendTo(connIds, event, payload, requiredScope) {
      if (connIds.size === 0) return;
      send(
        event,
        payload,
        requiredScope,
        (target) => target.connId !== undefined && connIds.has(target.connId),
      );
    },
    connectionCount: () => o.targets.size,
  };
}
