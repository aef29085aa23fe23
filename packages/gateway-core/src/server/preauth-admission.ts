import type { Socket } from "node:net";
import { PRE_AUTH_MAX_PAYLOAD } from "@openclaw/protocol";
import type { WebSocket } from "ws";

/** What an unauthenticated WebSocket may cost before it says who it is. */
export interface PreAuthLimits {
  /** Sockets that upgraded but have not finished `connect`, gateway-wide. */
  maxConnections: number;
  /** The same, per client address. */
  maxConnectionsPerAddress: number;
  /** Bytes a socket may send before `hello-ok`, all frames together (one connect frame needs at most 64 KiB). */
  maxBytes: number;
}

export const DEFAULT_PRE_AUTH_LIMITS: PreAuthLimits = {
  maxConnections: 256,
  maxConnectionsPerAddress: 64,
  maxBytes: 4 * PRE_AUTH_MAX_PAYLOAD,
};

export type AdmissionVerdict = { admitted: true; release(): void } | { admitted: false; reason: string };

/**
 * Counts unauthenticated sockets so a flood of handshakes that never finish is refused at the upgrade, before
 * `ws` allocates anything for it. A socket leaves the count when it authenticates or closes (`release`, once).
 */
export class PreAuthAdmission {
  readonly #limits: PreAuthLimits;
  readonly #perAddress = new Map<string, number>();
  #total = 0;

  constructor(limits: PreAuthLimits) {
    this.#limits = limits;
  }

  get pending(): number {
    return this.#total;
  }

  admit(address: string): AdmissionVerdict {
    if (this.#total >= this.#limits.maxConnections) {
      return {
        admitted: false,
        reason: `too many unauthenticated connections (${this.#limits.maxConnections}): try again shortly`,
      };
    }
    const mine = this.#perAddress.get(address) ?? 0;
    if (mine >= this.#limits.maxConnectionsPerAddress) {
      return {
        admitted: false,
        reason: `too many unauthenticated connections from this address (${this.#limits.maxConnectionsPerAddress}): finish or close the others first`,
      };
    }
    this.#total += 1;
    this.#perAddress.set(address, mine + 1);
    let released = false;
    return {
      admitted: true,
      release: () => {
        if (released) return;
        released = true;
        this.#total -= 1;
        const left = (this.#perAddress.get(address) ?? 1) - 1;
        if (left <= 0) this.#perAddress.delete(address);
        else this.#perAddress.set(address, left);
      },
    };
  }
}

/** Answers an upgrade that is refused before it becomes a WebSocket, and drops the socket. */
export function refuseUpgrade(socket: Socket, status: 403 | 421 | 503, message: string): void {
  const title = status === 503 ? "Service Unavailable" : status === 421 ? "Misdirected Request" : "Forbidden";
  const retry = status === 503 ? "Retry-After: 5\r\n" : "";
  socket.end(
    `HTTP/1.1 ${status} ${title}\r\nContent-Type: text/plain; charset=utf-8\r\n${retry}Connection: close\r\n\r\n${message}\n`,
  );
  socket.destroySoon?.();
}

interface ReceiverWithLimit {
  _maxPayload?: unknown;
}

/**
 * The WebSocket server is created with the pre-auth frame limit, so `ws` refuses an oversized frame from its
 * header, before buffering it. Once a socket has authenticated its own receiver gets the full limit. `ws` keeps the
 * limit in a private field; if a future `ws` moves it, this returns false and the socket stays at the small limit
 * (safe, and caught by the suite that sends a large frame after `hello-ok`).
 */
export function raiseFrameLimit(ws: WebSocket, maxPayload: number): boolean {
  const receiver = (ws as unknown as { _receiver?: ReceiverWithLimit })._receiver;
  if (!receiver || typeof receiver._maxPayload !== "number") return false;
  receiver._maxPayload = maxPayload;
  return true;
}

/**
 * Counts every byte a socket sends until it authenticates, over all frames and partial frames, and destroys it past
 * `maxBytes`: the frame limit alone would let a client trickle endless small frames while it never authenticates.
 */
export function meterPreAuthBytes(socket: Socket, maxBytes: number, onExceeded: () => void): () => void {
  let received = 0;
  const onData = (chunk: Buffer) => {
    received += chunk.length;
    if (received > maxBytes) {
      socket.off("data", onData);
      onExceeded();
      socket.destroy();
    }
  };
  socket.on("data", onData);
  return () => socket.off("data", onData);
}
