import { EventEmitter } from "node:events";

/**
 * A loopback stand-in for the socket Baileys' `makeWASocket` returns. WhatsApp's multi-device protocol (Noise
 * handshake, Signal sessions, binary nodes) cannot be served honestly from a local fake server, so the seam is the
 * socket object itself: the same three events Baileys emits (`connection.update`, `creds.update`,
 * `messages.upsert`) and the same calls an adapter makes, recorded for the test to read.
 */

/** The account a socket is logged in as; Baileys' `sock.user` (`id` carries a `:device` suffix). */
export interface FakeWhatsAppUser {
  id: string;
  lid?: string;
  name?: string;
}

/** The part of Baileys' `AuthenticationCreds` the fake reads and writes. */
export interface FakeWhatsAppCreds {
  me?: FakeWhatsAppUser | undefined;
  registered?: boolean;
}

/** The part of Baileys' socket config the fake reads: the auth state decides between "open" and a QR code. */
export interface FakeWhatsAppSocketConfig {
  auth?: { creds: FakeWhatsAppCreds };
}

export interface FakeWhatsAppMessageKey {
  remoteJid?: string | null;
  remoteJidAlt?: string;
  fromMe?: boolean | null;
  id?: string | null;
  participant?: string | null;
  participantAlt?: string;
}

export interface FakeWhatsAppContextInfo {
  mentionedJid?: string[] | null;
  stanzaId?: string | null;
  participant?: string | null;
  quotedMessage?: { conversation?: string | null } | null;
}

/** A `WAMessage`-shaped object (Baileys' `proto.IWebMessageInfo`), limited to what chat adapters read. */
export interface FakeWhatsAppMessage {
  key: FakeWhatsAppMessageKey;
  message?: {
    conversation?: string | null;
    extendedTextMessage?: { text?: string | null; contextInfo?: FakeWhatsAppContextInfo | null } | null;
  } | null;
  pushName?: string | null;
  messageTimestamp?: number | null;
}

export interface FakeWhatsAppConnectionUpdate {
  connection?: "open" | "connecting" | "close";
  qr?: string;
  isNewLogin?: boolean;
  lastDisconnect?: { error: Error | undefined; date: Date };
}

export interface FakeWhatsAppEventMap {
  "connection.update": FakeWhatsAppConnectionUpdate;
  "creds.update": Partial<FakeWhatsAppCreds>;
  "messages.upsert": { messages: FakeWhatsAppMessage[]; type: "notify" | "append" };
}

/** Baileys' `DisconnectReason` values the fake uses for `close()`. */
export const FAKE_WHATSAPP_DISCONNECT = {
  connectionClosed: 428,
  connectionLost: 408,
  connectionReplaced: 440,
  loggedOut: 401,
  badSession: 500,
  restartRequired: 515,
} as const;

export interface FakeWhatsAppSent {
  jid: string;
  text: string;
  /** The id of the message quoted with `options.quoted`, if any. */
  quotedId?: string;
  messageId: string;
}

export interface FakeWhatsAppPresence {
  type: string;
  jid: string | undefined;
}

export interface FakeWhatsAppSocketOptions {
  /**
   * What the socket does on its own right after creation, as Baileys does after the handshake: with
   * `auth.creds.me` it opens, otherwise it shows a QR code. `false`: nothing until the test calls a control.
   */
  autoConnect?: boolean;
  /** The account `open()` logs in as when given none. */
  user?: FakeWhatsAppUser;
  /**
   * A device linked before this socket: an auth state without `me` gets this one (as an earlier QR scan would have
   * stored), so the socket opens at once instead of showing a QR code.
   */
  linkedAs?: FakeWhatsAppUser;
}

/** Options for {@link FakeWhatsAppSocket.receiveText}, the short way to deliver a text. */
export interface FakeWhatsAppTextOptions {
  /** The sender's jid, e.g. `15551234567@s.whatsapp.net`. */
  from: string;
  text: string;
  /** A group jid (`...@g.us`): the message arrives in that group from `from`. */
  group?: string;
  pushName?: string;
  /** Jids mentioned in the text (Baileys' `contextInfo.mentionedJid`). */
  mentions?: string[];
  /** The message this one replies to. */
  quoted?: { id: string; participant: string; text?: string };
  id?: string;
  /** Seconds since the epoch; default now. */
  timestamp?: number;
}

export const DEFAULT_FAKE_WHATSAPP_USER: FakeWhatsAppUser = {
  id: "15550001111:7@s.whatsapp.net",
  lid: "99887766554433:7@lid",
  name: "OpenClaw Bot",
};

let counter = 0;
function nextId(prefix: string): string {
  counter += 1;
  return `${prefix}${Date.now().toString(16).toUpperCase()}${counter}`;
}

/** A Boom-shaped error, as Baileys puts in `lastDisconnect.error` (adapters read `output.statusCode`). */
function disconnectError(statusCode: number, message: string): Error {
  return Object.assign(new Error(message), {
    isBoom: true,
    output: { statusCode, payload: { statusCode, error: message, message } },
  });
}

export class FakeWhatsAppSocket {
  readonly #events = new EventEmitter();
  readonly #config: FakeWhatsAppSocketConfig;
  readonly #defaultUser: FakeWhatsAppUser;
  /** Baileys' `sock.ev`: `on` / `off` per event name. */
  readonly ev = {
    on: <E extends keyof FakeWhatsAppEventMap>(
      event: E,
      listener: (arg: FakeWhatsAppEventMap[E]) => void,
    ) => {
      this.#events.on(event, listener);
    },
    off: <E extends keyof FakeWhatsAppEventMap>(
      event: E,
      listener: (arg: FakeWhatsAppEventMap[E]) => void,
    ) => {
      this.#events.off(event, listener);
    },
  };
  user: FakeWhatsAppUser | undefined;
  /** Every text the adapter sent, in order. */
  readonly sent: FakeWhatsAppSent[] = [];
  /** Every presence update, in order. */
  readonly presence: FakeWhatsAppPresence[] = [];
  /** Keys passed to `readMessages` (read receipts). */
  readonly read: FakeWhatsAppMessageKey[] = [];
  /** QR codes shown so far. */
  readonly qrs: string[] = [];
  #state: "connecting" | "open" | "closed" = "connecting";
  loggedOut = false;

  constructor(config: FakeWhatsAppSocketConfig = {}, options: FakeWhatsAppSocketOptions = {}) {
    this.#config = config;
    this.#defaultUser = options.user ?? DEFAULT_FAKE_WHATSAPP_USER;
    const creds = config.auth?.creds;
    if (options.linkedAs !== undefined && creds !== undefined && creds.me === undefined) {
      Object.assign(creds, { me: options.linkedAs, registered: true });
    }
    if (options.autoConnect !== false) {
      // Baileys emits only after the caller has had a chance to subscribe.
      setImmediate(() => {
        if (this.#state !== "connecting") return;
        const me = this.#config.auth?.creds.me;
        if (me === undefined) this.emitQr();
        else this.open(me);
      });
    }
  }

  get state(): "connecting" | "open" | "closed" {
    return this.#state;
  }

  listenerCount(event: keyof FakeWhatsAppEventMap): number {
    return this.#events.listenerCount(event);
  }

  #emit<E extends keyof FakeWhatsAppEventMap>(event: E, arg: FakeWhatsAppEventMap[E]): void {
    this.#events.emit(event, arg);
  }

  /** Shows a QR code, as Baileys does while the device is not linked. */
  emitQr(qr = `2@${nextId("fake-qr-")},fake-public-key,fake-identity`): string {
    this.qrs.push(qr);
    this.#emit("connection.update", { qr });
    return qr;
  }

  /**
   * Opens the connection as `user`. When the auth state was not linked yet, first emits `creds.update` with
   * `me` and `registered` (Baileys merges it into `auth.creds` itself, as here, before the listeners run).
   */
  open(user: FakeWhatsAppUser = this.#defaultUser): void {
    const creds = this.#config.auth?.creds;
    const isNewLogin = creds?.me === undefined;
    if (isNewLogin) {
      const update = { me: user, registered: true };
      if (creds !== undefined) Object.assign(creds, update);
      this.#emit("creds.update", update);
    }
    this.user = user;
    this.#state = "open";
    this.#emit("connection.update", { connection: "open", ...(isNewLogin ? { isNewLogin } : {}) });
  }

  /** Closes the connection with a Baileys `DisconnectReason` code (see {@link FAKE_WHATSAPP_DISCONNECT}). */
  close(statusCode: number = FAKE_WHATSAPP_DISCONNECT.connectionLost, message = "Connection Lost"): void {
    if (this.#state === "closed") return;
    this.#state = "closed";
    this.#emit("connection.update", {
      connection: "close",
      lastDisconnect: { error: disconnectError(statusCode, message), date: new Date() },
    });
  }

  /** Delivers messages as Baileys does for live traffic (`type: "notify"`), or as history (`"append"`). */
  receive(message: FakeWhatsAppMessage | FakeWhatsAppMessage[], type: "notify" | "append" = "notify"): void {
    this.#emit("messages.upsert", { messages: Array.isArray(message) ? message : [message], type });
  }

  /** Builds and delivers one text message; returns it. */
  receiveText(options: FakeWhatsAppTextOptions): FakeWhatsAppMessage {
    const contextInfo: FakeWhatsAppContextInfo = {};
    if (options.mentions !== undefined) contextInfo.mentionedJid = options.mentions;
    if (options.quoted !== undefined) {
      contextInfo.stanzaId = options.quoted.id;
      contextInfo.participant = options.quoted.participant;
      if (options.quoted.text !== undefined)
        contextInfo.quotedMessage = { conversation: options.quoted.text };
    }
    const plain = options.mentions === undefined && options.quoted === undefined;
    const message: FakeWhatsAppMessage = {
      key: {
        remoteJid: options.group ?? options.from,
        fromMe: false,
        id: options.id ?? nextId("3EB0"),
        ...(options.group === undefined ? {} : { participant: options.from }),
      },
      message: plain
        ? { conversation: options.text }
        : { extendedTextMessage: { text: options.text, contextInfo } },
      messageTimestamp: options.timestamp ?? Math.floor(Date.now() / 1000),
      ...(options.pushName === undefined ? {} : { pushName: options.pushName }),
    };
    this.receive(message);
    return message;
  }

  async sendMessage(
    jid: string,
    content: { text: string },
    options?: { quoted?: { key: { id?: string | null } } },
  ): Promise<FakeWhatsAppMessage> {
    if (this.#state !== "open")
      throw disconnectError(FAKE_WHATSAPP_DISCONNECT.connectionClosed, "Connection Closed");
    const messageId = nextId("BAE5");
    const quotedId = options?.quoted?.key.id ?? undefined;
    this.sent.push({ jid, text: content.text, messageId, ...(quotedId ? { quotedId } : {}) });
    return {
      key: { remoteJid: jid, fromMe: true, id: messageId },
      message: { conversation: content.text },
      messageTimestamp: Math.floor(Date.now() / 1000),
    };
  }

  async sendPresenceUpdate(type: string, jid?: string): Promise<void> {
    if (this.#state !== "open")
      throw disconnectError(FAKE_WHATSAPP_DISCONNECT.connectionClosed, "Connection Closed");
    this.presence.push({ type, jid });
  }

  async readMessages(keys: FakeWhatsAppMessageKey[]): Promise<void> {
    this.read.push(...keys);
  }

  /** Unlinks the device, as Baileys does: the connection then closes with `loggedOut`. */
  async logout(): Promise<void> {
    this.loggedOut = true;
    this.close(FAKE_WHATSAPP_DISCONNECT.loggedOut, "Intentional Logout");
  }

  async end(error: Error | undefined): Promise<void> {
    if (this.#state === "closed") return;
    this.#state = "closed";
    this.#emit("connection.update", {
      connection: "close",
      lastDisconnect: {
        error: error ?? disconnectError(FAKE_WHATSAPP_DISCONNECT.connectionClosed, "Connection Closed"),
        date: new Date(),
      },
    });
  }
}

export function createFakeWhatsAppSocket(
  config: FakeWhatsAppSocketConfig = {},
  options: FakeWhatsAppSocketOptions = {},
): FakeWhatsAppSocket {
  return new FakeWhatsAppSocket(config, options);
}

/** Hands an adapter fake sockets in place of `makeWASocket`, and lets the test reach each one it made. */
export interface FakeWhatsAppSocketFactory {
  makeSocket(config: FakeWhatsAppSocketConfig): FakeWhatsAppSocket;
  /** Every socket made so far, oldest first (an adapter makes a new one on each reconnect). */
  readonly sockets: readonly FakeWhatsAppSocket[];
  /** Resolves with the socket made `index`-th (from 0), as soon as it exists. */
  socket(index: number): Promise<FakeWhatsAppSocket>;
  /** The most recent socket. */
  latest(): FakeWhatsAppSocket | undefined;
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
  const waiters = new Map<number, ((socket: FakeWhatsAppSocket) => void)[]>();
  let outage: FakeWhatsAppOutageMode | undefined;
  return {
    sockets,
    makeSocket(config) {
      const failing = outage;
      const socket = new FakeWhatsAppSocket(
        config,
        failing === undefined ? options : { ...options, autoConnect: false },
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
