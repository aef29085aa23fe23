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

interface Captioned {
  caption?: string | null;
  contextInfo?: WhatsAppContextInfo | null;
}

/** The parts of Baileys' `proto.IMessage` that carry text. */
export interface WhatsAppMessageContent {
  conversation?: string | null;
  extendedTextMessage?: { text?: string | null; contextInfo?: WhatsAppContextInfo | null } | null;
  imageMessage?: Captioned | null;
  videoMessage?: Captioned | null;
  documentMessage?: Captioned | null;
  ephemeralMessage?: { message?: WhatsAppMessageContent | null } | null;
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
    content: { text: string },
    options?: { quoted?: WhatsAppMessage },
  ): Promise<{ key: { id?: string | null } } | undefined>;
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
