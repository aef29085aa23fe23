/**
 * Shapes of the fake Baileys socket: the subset of Baileys' `WAMessage` (`proto.IWebMessageInfo`), `WAMessageKey`
 * and socket events that chat adapters read, with Baileys' own field names.
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

/**
 * The downloadable part of `proto.Message.IImageMessage`, `IVideoMessage`, `IAudioMessage`, `IDocumentMessage` and
 * `IStickerMessage`: what Baileys' `downloadContentFromMessage` needs (`mediaKey`, `url` / `directPath`) and what
 * describes the file.
 */
export interface FakeWhatsAppMediaFields {
  url?: string | null;
  directPath?: string | null;
  mediaKey?: Uint8Array | null;
  mediaKeyTimestamp?: number | null;
  mimetype?: string | null;
  fileSha256?: Uint8Array | null;
  fileEncSha256?: Uint8Array | null;
  /** Baileys decodes this uint64 as a number or a protobuf `Long`. */
  fileLength?: number | { toNumber(): number } | null;
  caption?: string | null;
  contextInfo?: FakeWhatsAppContextInfo | null;
  /** Audio and video length in seconds. */
  seconds?: number | null;
  /** Set on an `audioMessage` recorded as a voice note (push to talk). */
  ptt?: boolean | null;
  fileName?: string | null;
  title?: string | null;
  isAnimated?: boolean | null;
}

/** `proto.Message.IReactionMessage`: `key` is the reacted message, `text` the emoji ("" takes it off). */
export interface FakeWhatsAppReactionMessage {
  key?: FakeWhatsAppMessageKey | null;
  text?: string | null;
  senderTimestampMs?: number | null;
}

/** `proto.IMessage`, limited to text, media and reactions. */
export interface FakeWhatsAppMessageContent {
  conversation?: string | null;
  extendedTextMessage?: { text?: string | null; contextInfo?: FakeWhatsAppContextInfo | null } | null;
  imageMessage?: FakeWhatsAppMediaFields | null;
  videoMessage?: FakeWhatsAppMediaFields | null;
  audioMessage?: FakeWhatsAppMediaFields | null;
  documentMessage?: FakeWhatsAppMediaFields | null;
  /** How WhatsApp clients send a document that has a caption. */
  documentWithCaptionMessage?: { message?: FakeWhatsAppMessageContent | null } | null;
  stickerMessage?: FakeWhatsAppMediaFields | null;
  reactionMessage?: FakeWhatsAppReactionMessage | null;
  ephemeralMessage?: { message?: FakeWhatsAppMessageContent | null } | null;
}

/** A `WAMessage`-shaped object (Baileys' `proto.IWebMessageInfo`), limited to what chat adapters read. */
export interface FakeWhatsAppMessage {
  key: FakeWhatsAppMessageKey;
  message?: FakeWhatsAppMessageContent | null;
  pushName?: string | null;
  messageTimestamp?: number | null;
}

export interface FakeWhatsAppConnectionUpdate {
  connection?: "open" | "connecting" | "close";
  qr?: string;
  isNewLogin?: boolean;
  lastDisconnect?: { error: Error | undefined; date: Date };
}

/** One entry of Baileys' `messages.reaction` event: `key` is the reacted message, `reaction.key` the reaction's own. */
export interface FakeWhatsAppReactionEvent {
  key: FakeWhatsAppMessageKey;
  reaction: FakeWhatsAppReactionMessage;
}

export interface FakeWhatsAppEventMap {
  "connection.update": FakeWhatsAppConnectionUpdate;
  "creds.update": Partial<FakeWhatsAppCreds>;
  "messages.upsert": { messages: FakeWhatsAppMessage[]; type: "notify" | "append" };
  "messages.reaction": FakeWhatsAppReactionEvent[];
}

/** Baileys' `WAMediaUpload`: bytes, or a URL / stream Baileys would fetch itself (the fake takes bytes only). */
export type FakeWhatsAppMediaUpload = Uint8Array | { url: string | URL } | { stream: unknown };

/** The `AnyMessageContent` variants chat adapters send. */
export type FakeWhatsAppOutgoingContent =
  | { text: string; mentions?: string[] }
  | { image: FakeWhatsAppMediaUpload; caption?: string; mimetype?: string }
  | { video: FakeWhatsAppMediaUpload; caption?: string; mimetype?: string; gifPlayback?: boolean }
  | { audio: FakeWhatsAppMediaUpload; mimetype?: string; ptt?: boolean; seconds?: number }
  | { document: FakeWhatsAppMediaUpload; mimetype: string; fileName?: string; caption?: string }
  | { sticker: FakeWhatsAppMediaUpload; mimetype?: string }
  | { react: { text: string; key: FakeWhatsAppMessageKey } };

export interface FakeWhatsAppSent {
  jid: string;
  text: string;
  /** The id of the message quoted with `options.quoted`, if any. */
  quotedId?: string;
  messageId: string;
}

/** A media message an adapter sent, as `sendMessage` received it. */
export interface FakeWhatsAppSentMedia {
  jid: string;
  kind: "image" | "video" | "audio" | "document" | "sticker";
  data: Uint8Array;
  /** What Baileys would put in the message: the given mimetype or its default for the kind. */
  mimetype: string;
  fileName?: string;
  caption?: string;
  /** True for a voice note (`audio` with `ptt: true`). */
  ptt?: boolean;
  quotedId?: string;
  messageId: string;
}

/** A reaction an adapter sent (`{ react: { text, key } }`); `emoji: ""` takes the reaction off. */
export interface FakeWhatsAppSentReaction {
  jid: string;
  emoji: string;
  key: FakeWhatsAppMessageKey;
  messageId: string;
}

export interface FakeWhatsAppPresence {
  type: string;
  jid: string | undefined;
}
