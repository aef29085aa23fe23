import { EventEmitter } from "node:events";
import { FakeWhatsAppMediaCdn } from "./fake-whatsapp-media-cdn.js";
import {
  buildFakeMediaMessage,
  buildFakeReaction,
  buildFakeTextMessage,
  type FakeWhatsAppMediaOptions,
  type FakeWhatsAppReactionOptions,
  type FakeWhatsAppTextOptions,
  fakeWhatsAppMediaType,
  nextFakeWhatsAppId,
} from "./fake-whatsapp-messages.js";
import type {
  FakeWhatsAppCreds,
  FakeWhatsAppEventMap,
  FakeWhatsAppMediaUpload,
  FakeWhatsAppMessage,
  FakeWhatsAppMessageContent,
  FakeWhatsAppMessageKey,
  FakeWhatsAppOutgoingContent,
  FakeWhatsAppPresence,
  FakeWhatsAppSent,
  FakeWhatsAppSentMedia,
  FakeWhatsAppSentReaction,
  FakeWhatsAppSocketConfig,
  FakeWhatsAppUser,
} from "./fake-whatsapp-types.js";

/**
 * A loopback stand-in for the socket Baileys' `makeWASocket` returns. WhatsApp's multi-device protocol (Noise
 * handshake, Signal sessions, binary nodes) cannot be served honestly from a local fake server, so the seam is the
 * socket object itself: the events Baileys emits (`connection.update`, `creds.update`, `messages.upsert`,
 * `messages.reaction`) and the calls an adapter makes, recorded for the test to read. Media is the exception that
 * can be real: it is served encrypted by a loopback CDN ({@link FakeWhatsAppMediaCdn}).
 */

/** Baileys' `DisconnectReason` values the fake uses for `close()`. */
export const FAKE_WHATSAPP_DISCONNECT = {
  connectionClosed: 428,
  connectionLost: 408,
  connectionReplaced: 440,
  loggedOut: 401,
  badSession: 500,
  restartRequired: 515,
} as const;

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
  /** Where received media is served from; default one CDN per socket (a factory shares one among its sockets). */
  mediaCdn?: FakeWhatsAppMediaCdn;
}

export const DEFAULT_FAKE_WHATSAPP_USER: FakeWhatsAppUser = {
  id: "15550001111:7@s.whatsapp.net",
  lid: "99887766554433:7@lid",
  name: "OpenClaw Bot",
};

/** Baileys' default mimetype per media payload, used when the sender gives none. */
const SEND_MIMETYPES = {
  image: "image/jpeg",
  video: "video/mp4",
  audio: "audio/ogg; codecs=opus",
  sticker: "image/webp",
} as const;

/** A Boom-shaped error, as Baileys puts in `lastDisconnect.error` (adapters read `output.statusCode`). */
function disconnectError(statusCode: number, message: string): Error {
  return Object.assign(new Error(message), {
    isBoom: true,
    output: { statusCode, payload: { statusCode, error: message, message } },
  });
}

function uploadBytes(upload: FakeWhatsAppMediaUpload): Uint8Array {
  // A plain copy, as the bytes leave the adapter: later changes to its buffer do not rewrite the record.
  if (upload instanceof Uint8Array) return new Uint8Array(upload);
  // Baileys would fetch a URL or read a stream itself; an adapter that relies on that is sending unchecked input.
  throw new Error("the fake WhatsApp socket takes media as bytes, not as a URL or stream");
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
  /** Every image, video, audio, document and sticker the adapter sent, in order. */
  readonly sentMedia: FakeWhatsAppSentMedia[] = [];
  /** Every reaction the adapter set or took off, in order. */
  readonly reactions: FakeWhatsAppSentReaction[] = [];
  /** Every presence update, in order. */
  readonly presence: FakeWhatsAppPresence[] = [];
  /** Keys passed to `readMessages` (read receipts). */
  readonly read: FakeWhatsAppMessageKey[] = [];
  /** QR codes shown so far. */
  readonly qrs: string[] = [];
  /** Serves the files of media messages this socket receives. */
  readonly mediaCdn: FakeWhatsAppMediaCdn;
  #state: "connecting" | "open" | "closed" = "connecting";
  loggedOut = false;

  constructor(config: FakeWhatsAppSocketConfig = {}, options: FakeWhatsAppSocketOptions = {}) {
    this.#config = config;
    this.#defaultUser = options.user ?? DEFAULT_FAKE_WHATSAPP_USER;
    this.mediaCdn = options.mediaCdn ?? new FakeWhatsAppMediaCdn();
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
  emitQr(qr = `2@${nextFakeWhatsAppId("fake-qr-")},fake-public-key,fake-identity`): string {
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
      const update: Partial<FakeWhatsAppCreds> = { me: user, registered: true };
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
    const message = buildFakeTextMessage(options);
    this.receive(message);
    return message;
  }

  /**
   * Builds and delivers one media message (image, voice note, audio, video, document or sticker) whose file the
   * CDN serves encrypted, as WhatsApp's does; returns it once delivered.
   */
  async receiveMedia(options: FakeWhatsAppMediaOptions): Promise<FakeWhatsAppMessage> {
    const hosted = await this.mediaCdn.host(options.data, fakeWhatsAppMediaType(options.kind));
    const message = buildFakeMediaMessage(options, hosted);
    this.receive(message);
    return message;
  }

  /**
   * Delivers a reaction someone put on (or, with `emoji: ""`, took off) a message, through both events Baileys
   * emits for it: `messages.upsert` with a `reactionMessage`, then `messages.reaction`.
   */
  receiveReaction(options: FakeWhatsAppReactionOptions): FakeWhatsAppMessage {
    const { message, event } = buildFakeReaction(options);
    this.receive(message);
    this.#emit("messages.reaction", [event]);
    return message;
  }

  async sendMessage(
    jid: string,
    content: FakeWhatsAppOutgoingContent,
    options?: { quoted?: { key: { id?: string | null } } },
  ): Promise<FakeWhatsAppMessage> {
    if (this.#state !== "open")
      throw disconnectError(FAKE_WHATSAPP_DISCONNECT.connectionClosed, "Connection Closed");
    const messageId = nextFakeWhatsAppId("BAE5");
    const quotedId = options?.quoted?.key.id ?? undefined;
    const quoted = quotedId ? { quotedId } : {};
    const key = { remoteJid: jid, fromMe: true, id: messageId };
    const stored = (message: FakeWhatsAppMessageContent): FakeWhatsAppMessage => ({
      key,
      message,
      messageTimestamp: Math.floor(Date.now() / 1000),
    });
    if ("text" in content) {
      this.sent.push({ jid, text: content.text, messageId, ...quoted });
      return stored({ conversation: content.text });
    }
    if ("react" in content) {
      this.reactions.push({ jid, emoji: content.react.text, key: content.react.key, messageId });
      return stored({ reactionMessage: { key: content.react.key, text: content.react.text } });
    }
    const media = this.#recordMedia(jid, content, messageId, quoted);
    const fields = {
      mimetype: media.mimetype,
      fileLength: media.data.byteLength,
      ...(media.caption === undefined ? {} : { caption: media.caption }),
    };
    switch (media.kind) {
      case "image":
        return stored({ imageMessage: fields });
      case "video":
        return stored({ videoMessage: fields });
      case "audio":
        return stored({ audioMessage: { ...fields, ptt: media.ptt === true } });
      case "sticker":
        return stored({ stickerMessage: fields });
      case "document":
        return stored({ documentMessage: { ...fields, fileName: media.fileName ?? null } });
    }
  }

  #recordMedia(
    jid: string,
    content: Exclude<FakeWhatsAppOutgoingContent, { text: string } | { react: unknown }>,
    messageId: string,
    quoted: { quotedId?: string },
  ): FakeWhatsAppSentMedia {
    const base = { jid, messageId, ...quoted };
    const caption = "caption" in content && content.caption !== undefined ? { caption: content.caption } : {};
    let media: FakeWhatsAppSentMedia;
    if ("image" in content) {
      media = {
        ...base,
        kind: "image",
        data: uploadBytes(content.image),
        mimetype: content.mimetype ?? SEND_MIMETYPES.image,
        ...caption,
      };
    } else if ("video" in content) {
      media = {
        ...base,
        kind: "video",
        data: uploadBytes(content.video),
        mimetype: content.mimetype ?? SEND_MIMETYPES.video,
        ...caption,
      };
    } else if ("audio" in content) {
      const ptt = content.ptt === true ? { ptt: true } : {};
      media = {
        ...base,
        kind: "audio",
        data: uploadBytes(content.audio),
        mimetype: content.mimetype ?? SEND_MIMETYPES.audio,
        ...ptt,
      };
    } else if ("sticker" in content) {
      media = {
        ...base,
        kind: "sticker",
        data: uploadBytes(content.sticker),
        mimetype: content.mimetype ?? SEND_MIMETYPES.sticker,
      };
    } else {
      const fileName = content.fileName === undefined ? {} : { fileName: content.fileName };
      media = {
        ...base,
        kind: "document",
        data: uploadBytes(content.document),
        mimetype: content.mimetype,
        ...fileName,
        ...caption,
      };
    }
    this.sentMedia.push(media);
    return media;
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
