import { FakeWhatsAppMediaCdn } from "./fake-whatsapp-media-cdn.js";
import {
  FAKE_WHATSAPP_DISCONNECT,
  FakeWhatsAppSocket,
  type FakeWhatsAppSocketOptions,
} from "./fake-whatsapp-socket.js";
import type { FakeWhatsAppSocketConfig } from "./fake-whatsapp-types.js";

/** Hands an adapter fake sockets in place of `makeWASocket`, and lets the test reach each one it made. */
export interface FakeWhatsAppSocketFactory {
  makeSocket(config: FakeWhatsAppSocketConfig): FakeWhatsAppSocket;
  /** Every socket made so far, oldest first (an adapter makes a new one on each reconnect). */
  readonly sockets: readonly FakeWhatsAppSocket[];
  /** Resolves with the socket made `index`-th (from 0), as soon as it exists. */
  socket(index: number): Promise<FakeWhatsAppSocket>;
  /** The most recent socket. */
  latest(): FakeWhatsAppSocket | undefined;
  /** The media CDN all its sockets share, so a file stays downloadable across a reconnect. */
  readonly mediaCdn: FakeWhatsAppMediaCdn;
  /** Stops the media CDN (sockets are ended by the adapter). */
  close(): Promise<void>;
  /** WhatsApp unreachable: sockets made from now on fail as Baileys' do, until `restore()`. */
  readonly outage: {
    fail(mode: FakeWhatsAppOutageMode): Promise<void>;
    restore(): Promise<void>;
  };
}

/** As `startPlatformOutage`: a refused connection, an HTTP 500 answer to the upgrade, or no answer at all. */
export type FakeWhatsAppOutageMode = "refused" | "http-500" | "hang";

/** What Baileys' socket reports (408, connectionLost) when its WebSocket cannot connect. */
const OUTAGE_ERRORS: Record<Exclude<FakeWhatsAppOutageMode, "hang">, string> = {
  refused: "WebSocket Error (connect ECONNREFUSED 157.240.0.53:443)",
  "http-500": "WebSocket Error (Unexpected server response: 500)",
};

export function createFakeWhatsAppSocketFactory(
  options: FakeWhatsAppSocketOptions = {},
): FakeWhatsAppSocketFactory {
  const sockets: FakeWhatsAppSocket[] = [];
  const mediaCdn = options.mediaCdn ?? new FakeWhatsAppMediaCdn();
  const socketOptions = { ...options, mediaCdn };
  const waiters = new Map<number, ((socket: FakeWhatsAppSocket) => void)[]>();
  let outage: FakeWhatsAppOutageMode | undefined;
  return {
    sockets,
    makeSocket(config) {
      const failing = outage;
      const socket = new FakeWhatsAppSocket(
        config,
        failing === undefined ? socketOptions : { ...socketOptions, autoConnect: false },
      );
      if (failing !== undefined && failing !== "hang") {
        setImmediate(() => socket.close(FAKE_WHATSAPP_DISCONNECT.connectionLost, OUTAGE_ERRORS[failing]));
      }
      sockets.push(socket);
      const index = sockets.length - 1;
      for (const resolve of waiters.get(index) ?? []) resolve(socket);
      waiters.delete(index);
      return socket;
    },
    socket(index) {
      const existing = sockets[index];
      if (existing !== undefined) return Promise.resolve(existing);
      return new Promise((resolve) => {
        waiters.set(index, [...(waiters.get(index) ?? []), resolve]);
      });
    },
    latest: () => sockets.at(-1),
    mediaCdn,
    close: () => mediaCdn.close(),
    outage: {
      fail: async (mode) => {
        outage = mode;
      },
      restore: async () => {
        outage = undefined;
      },
    },
  };
}
