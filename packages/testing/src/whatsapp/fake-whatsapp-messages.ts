import type { FakeWhatsAppEncryptedMedia, FakeWhatsAppMediaType } from "./fake-whatsapp-media-cdn.js";
import type {
  FakeWhatsAppContextInfo,
  FakeWhatsAppMediaFields,
  FakeWhatsAppMessage,
  FakeWhatsAppMessageContent,
  FakeWhatsAppMessageKey,
  FakeWhatsAppReactionEvent,
} from "./fake-whatsapp-types.js";

/** Who sends a message into which chat; shared by the text, media and reaction builders. */
export interface FakeWhatsAppOrigin {
  /** The sender's jid, e.g. `15551234567@s.whatsapp.net`. */
  from: string;
  /** A group jid (`...@g.us`): the message arrives in that group from `from`. */
  group?: string;
  pushName?: string;
  id?: string;
  /** Seconds since the epoch; default now. */
  timestamp?: number;
}

/** Options for {@link FakeWhatsAppSocket.receiveText}, the short way to deliver a text. */
export interface FakeWhatsAppTextOptions extends FakeWhatsAppOrigin {
  text: string;
  /** Jids mentioned in the text (Baileys' `contextInfo.mentionedJid`). */
  mentions?: string[];
  /** The message this one replies to. */
  quoted?: { id: string; participant: string; text?: string };
}

/** What a person can send as media; `voice` is an `audioMessage` with `ptt: true`. */
export type FakeWhatsAppMediaKind = "image" | "voice" | "audio" | "video" | "document" | "sticker";

/** Options for {@link FakeWhatsAppSocket.receiveMedia}. */
export interface FakeWhatsAppMediaOptions extends FakeWhatsAppOrigin {
  kind: FakeWhatsAppMediaKind;
  /** The file's plain bytes; the fake CDN serves them encrypted. */
  data: Uint8Array;
  /** Default: what a WhatsApp client sends for the kind (`image/jpeg`, `audio/ogg; codecs=opus`, ...). */
  mimetype?: string;
  /** Documents only. */
  fileName?: string;
  /** Images, videos and documents (a captioned document arrives as `documentWithCaptionMessage`). */
  caption?: string;
  mentions?: string[];
  seconds?: number;
  /** The `fileLength` the message claims; default the real size. A larger claim tests a refusal before download. */
  declaredSize?: number;
}

/** Options for {@link FakeWhatsAppSocket.receiveReaction}. */
export interface FakeWhatsAppReactionOptions extends FakeWhatsAppOrigin {
  /** The reacted message: its id, whether the account itself sent it and, in groups, who sent it. */
  target: { id: string; fromMe: boolean; participant?: string };
  /** The emoji; `""` takes the sender's reaction off. */
  emoji: string;
}

const DEFAULT_MIMETYPES: Record<FakeWhatsAppMediaKind, string> = {
  image: "image/jpeg",
  voice: "audio/ogg; codecs=opus",
  audio: "audio/mpeg",
  video: "video/mp4",
  document: "application/pdf",
  sticker: "image/webp",
};

let counter = 0;
export function nextFakeWhatsAppId(prefix: string): string {
  counter += 1;
  return `${prefix}${Date.now().toString(16).toUpperCase()}${counter}`;
}

function keyOf(origin: FakeWhatsAppOrigin): FakeWhatsAppMessageKey {
  return {
    remoteJid: origin.group ?? origin.from,
    fromMe: false,
    id: origin.id ?? nextFakeWhatsAppId("3EB0"),
    ...(origin.group === undefined ? {} : { participant: origin.from }),
  };
}

function envelope(origin: FakeWhatsAppOrigin, message: FakeWhatsAppMessageContent): FakeWhatsAppMessage {
  return {
    key: keyOf(origin),
    message,
    messageTimestamp: origin.timestamp ?? Math.floor(Date.now() / 1000),
    ...(origin.pushName === undefined ? {} : { pushName: origin.pushName }),
  };
}

export function buildFakeTextMessage(options: FakeWhatsAppTextOptions): FakeWhatsAppMessage {
  const contextInfo: FakeWhatsAppContextInfo = {};
  if (options.mentions !== undefined) contextInfo.mentionedJid = options.mentions;
  if (options.quoted !== undefined) {
    contextInfo.stanzaId = options.quoted.id;
    contextInfo.participant = options.quoted.participant;
    if (options.quoted.text !== undefined) contextInfo.quotedMessage = { conversation: options.quoted.text };
  }
  const plain = options.mentions === undefined && options.quoted === undefined;
  return envelope(
    options,
    plain ? { conversation: options.text } : { extendedTextMessage: { text: options.text, contextInfo } },
  );
}

/** The Baileys `MediaType` whose keys encrypt a kind (a voice note is `audio`, a sticker uses image keys). */
export function fakeWhatsAppMediaType(kind: FakeWhatsAppMediaKind): FakeWhatsAppMediaType {
  return kind === "voice" ? "audio" : kind;
}

export function buildFakeMediaMessage(
  options: FakeWhatsAppMediaOptions,
  hosted: FakeWhatsAppEncryptedMedia,
): FakeWhatsAppMessage {
  const { kind } = options;
  const fields: FakeWhatsAppMediaFields = {
    ...hosted,
    fileLength: options.declaredSize ?? hosted.fileLength,
    mimetype: options.mimetype ?? DEFAULT_MIMETYPES[kind],
    ...(options.seconds === undefined ? {} : { seconds: options.seconds }),
  };
  if (options.mentions !== undefined) fields.contextInfo = { mentionedJid: options.mentions };
  const captioned = options.caption === undefined ? {} : { caption: options.caption };
  switch (kind) {
    case "image":
      return envelope(options, { imageMessage: { ...fields, ...captioned } });
    case "video":
      return envelope(options, { videoMessage: { ...fields, ...captioned } });
    case "voice":
      return envelope(options, { audioMessage: { ...fields, ptt: true } });
    case "audio":
      return envelope(options, { audioMessage: { ...fields, ptt: false } });
    case "sticker":
      return envelope(options, { stickerMessage: { ...fields, isAnimated: false } });
    case "document": {
      const fileName = options.fileName ?? "document";
      const document = { ...fields, fileName, title: fileName };
      return envelope(
        options,
        options.caption === undefined
          ? { documentMessage: document }
          : { documentWithCaptionMessage: { message: { documentMessage: { ...document, ...captioned } } } },
      );
    }
  }
}

/**
 * A reaction as Baileys hands it to listeners: `messages.upsert` carries a `reactionMessage` whose key Baileys has
 * already turned to the account's perspective (`fromMe` true for the account's own message, `remoteJid` the chat,
 * `participant` the original sender in groups), and `messages.reaction` repeats it keyed by the reacted message.
 */
export function buildFakeReaction(options: FakeWhatsAppReactionOptions): {
  message: FakeWhatsAppMessage;
  event: FakeWhatsAppReactionEvent;
} {
  const chat = options.group ?? options.from;
  const reactedKey: FakeWhatsAppMessageKey = {
    remoteJid: chat,
    fromMe: options.target.fromMe,
    id: options.target.id,
    ...(options.group !== undefined && options.target.participant !== undefined
      ? { participant: options.target.participant }
      : {}),
  };
  const seconds = options.timestamp ?? Math.floor(Date.now() / 1000);
  const reactionMessage = { key: reactedKey, text: options.emoji, senderTimestampMs: seconds * 1000 };
  const message = envelope({ ...options, timestamp: seconds }, { reactionMessage });
  return { message, event: { key: reactedKey, reaction: { ...reactionMessage, key: message.key } } };
}
