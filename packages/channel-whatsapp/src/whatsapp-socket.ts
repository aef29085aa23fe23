import type { ChannelLogger } from "@openclaw/plugin-sdk";
import type { UserFacingSocketConfig } from "baileys";

/**
 * The seam between this adapter and Baileys: the subset of `WASocket` the adapter uses. Tests hand in a fake
 * with the same events and calls (`@openclaw/testing`'s `createFakeWhatsAppSocketFactory`), because WhatsApp's
 * multi-device wire protocol cannot be served from a loopback fake.
 */
export interface WhatsAppUser {
  id: string;
  lid?: string | undefined;
  name?: string | undefined;
}

export interface WhatsAppMessageKey {
  remoteJid?: string | null;
  remoteJidAlt?: string | undefined;
  fromMe?: boolean | null;
  id?: string | null;
  participant?: string | null;
  participantAlt?: string | undefined;
}

export interface WhatsAppContextInfo {
  mentionedJid?: string[] | null;
  stanzaId?: string | null;
  participant?: string | null;
  quotedMessage?: WhatsAppMessageContent | null;
}

/** The downloadable part of Baileys' media messages (`proto.Message.IImageMessage` and its siblings). */
export interface WhatsAppMediaFields {
  url?: string | null;
  directPath?: string | null;
  mediaKey?: Uint8Array | string | null;
  mimetype?: string | null;
  fileSha256?: Uint8Array | string | null;
  /** A uint64: a number, or a protobuf `Long` when Baileys decoded it so. */
  fileLength?: number | { toNumber(): number } | null;
  caption?: string | null;
  contextInfo?: WhatsAppContextInfo | null;
  seconds?: number | null;
  /** An `audioMessage` recorded as a voice note (push to talk). */
  ptt?: boolean | null;
  fileName?: string | null;
}

/** `proto.Message.IReactionMessage`: `key` is the reacted message (Baileys turns it to our perspective). */
export interface WhatsAppReactionMessage {
  key?: WhatsAppMessageKey | null;
  text?: string | null;
  senderTimestampMs?: number | { toNumber(): number } | null;
}

/** A message wrapped once more (disappearing, view-once, captioned document). */
interface Wrapped {
  message?: WhatsAppMessageContent | null;
}

/** The parts of Baileys' `proto.IMessage` the adapter reads: text, media and reactions. */
export interface WhatsAppMessageContent {
  conversation?: string | null;
  extendedTextMessage?: { text?: string | null; contextInfo?: WhatsAppContextInfo | null } | null;
  imageMessage?: WhatsAppMediaFields | null;
  videoMessage?: WhatsAppMediaFields | null;
  ptvMessage?: WhatsAppMediaFields | null;
  audioMessage?: WhatsAppMediaFields | null;
  documentMessage?: WhatsAppMediaFields | null;
  stickerMessage?: WhatsAppMediaFields | null;
  documentWithCaptionMessage?: Wrapped | null;
  reactionMessage?: WhatsAppReactionMessage | null;
  ephemeralMessage?: Wrapped | null;
  viewOnceMessage?: Wrapped | null;
  viewOnceMessageV2?: Wrapped | null;
}

/** A `WAMessage`, as far as the adapter reads it. */
export interface WhatsAppMessage {
  key: WhatsAppMessageKey;
  message?: WhatsAppMessageContent | null;
  pushName?: string | null;
  /** Seconds since the epoch; Baileys may hand a protobuf `Long`. */
  messageTimestamp?: number | { toNumber(): number } | null;
}

export interface WhatsAppConnectionUpdate {
  connection?: "open" | "connecting" | "close";
  qr?: string;
  isNewLogin?: boolean;
  lastDisconnect?: { error: Error | undefined; date: Date };
}

export interface WhatsAppSocketEventMap {
  "connection.update": Partial<WhatsAppConnectionUpdate>;
  "creds.update": unknown;
  "messages.upsert": { messages: WhatsAppMessage[]; type: "notify" | "append" };
}

/** Bytes Baileys uploads (it could also fetch a URL itself; the adapter never lets it). */
type Upload = Buffer;

/** The `AnyMessageContent` variants the adapter sends. */
export type WhatsAppOutgoingContent =
  | { text: string }
  | { image: Upload; mimetype: string; caption?: string }
  | { video: Upload; mimetype: string; caption?: string }
  | { audio: Upload; mimetype: string; ptt: boolean }
  | { document: Upload; mimetype: string; fileName: string; caption?: string }
  | { react: { text: string; key: WhatsAppMessageKey } };

export interface WhatsAppSocket {
  ev: {
    on<E extends keyof WhatsAppSocketEventMap>(
      event: E,
      listener: (arg: WhatsAppSocketEventMap[E]) => void,
    ): void;
    off<E extends keyof WhatsAppSocketEventMap>(
      event: E,
      listener: (arg: WhatsAppSocketEventMap[E]) => void,
    ): void;
  };
  user?: WhatsAppUser | undefined;
  sendMessage(
    jid: string,
    content: WhatsAppOutgoingContent,
    options?: { quoted?: WhatsAppMessage },
  ): Promise<WhatsAppMessage | undefined>;
  sendPresenceUpdate(type: "composing" | "paused" | "available" | "unavailable", jid?: string): Promise<void>;
  readMessages(keys: WhatsAppMessageKey[]): Promise<void>;
  logout(message?: string): Promise<void>;
  end(error: Error | undefined): Promise<void>;
}

/** Makes one socket (one connection attempt); the default is Baileys' `makeWASocket`. */
export type MakeWhatsAppSocket = (config: UserFacingSocketConfig) => WhatsAppSocket;

/** What the adapter needs from the `baileys` module, loaded only when a WhatsApp account starts. */
export type BaileysModule = typeof import("baileys");

export function loadBaileys(): Promise<BaileysModule> {
  return import("baileys");
}

type BaileysLogger = UserFacingSocketConfig["logger"] & object;

function toLogArgs(obj: unknown, msg?: string): [string, Record<string, unknown> | undefined] {
  if (typeof obj === "string") return [obj, undefined];
  const fields =
    obj !== null && typeof obj === "object" ? { ...(obj as Record<string, unknown>) } : undefined;
  return [msg ?? "baileys", fields];
}

/**
 * Baileys logs through a pino-style logger; route it to the account's logger. Its info level is chatty
 * protocol detail, so it goes to debug.
 */
export function baileysLogger(logger: ChannelLogger, bindings: Record<string, unknown> = {}): BaileysLogger {
  const withBindings = (fields: Record<string, unknown> | undefined) => ({ ...bindings, ...fields });
  return {
    level: "debug",
    child: (obj) => baileysLogger(logger, { ...bindings, ...obj }),
    trace: () => {},
    debug: (obj, msg) => {
      const [message, fields] = toLogArgs(obj, msg);
      logger.debug(message, withBindings(fields));
    },
    info: (obj, msg) => {
      const [message, fields] = toLogArgs(obj, msg);
      logger.debug(message, withBindings(fields));
    },
    warn: (obj, msg) => {
      const [message, fields] = toLogArgs(obj, msg);
      logger.warn(message, withBindings(fields));
    },
    error: (obj, msg) => {
      const [message, fields] = toLogArgs(obj, msg);
      logger.error(message, withBindings(fields));
    },
  };
}
