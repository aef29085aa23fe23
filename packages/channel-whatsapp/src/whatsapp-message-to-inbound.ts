import type { InboundMessage } from "@openclaw/plugin-sdk";
import {
  describeInboundMedia,
  findMedia,
  unwrapContent,
  type WhatsAppMediaDeps,
} from "./whatsapp-inbound-media.js";
import { isGroupJid, jidToId, sameUser } from "./whatsapp-jid.js";
import type {
  WhatsAppContextInfo,
  WhatsAppMessage,
  WhatsAppMessageContent,
  WhatsAppMessageKey,
  WhatsAppUser,
} from "./whatsapp-socket.js";

interface TextAndContext {
  text: string;
  contextInfo: WhatsAppContextInfo | undefined;
}

/** The text of a message, or the caption of its image, video or document, with the context (mentions, quote). */
function textOf(content: WhatsAppMessageContent | undefined): TextAndContext | undefined {
  if (content === undefined) return undefined;
  if (typeof content.conversation === "string" && content.conversation.length > 0) {
    return { text: content.conversation, contextInfo: undefined };
  }
  const extended = content.extendedTextMessage;
  if (typeof extended?.text === "string" && extended.text.length > 0) {
    return { text: extended.text, contextInfo: extended.contextInfo ?? undefined };
  }
  for (const media of [content.imageMessage, content.videoMessage, content.documentMessage]) {
    if (typeof media?.caption === "string" && media.caption.length > 0) {
      return { text: media.caption, contextInfo: media.contextInfo ?? undefined };
    }
  }
  return undefined;
}

export function timestampMs(value: WhatsAppMessage["messageTimestamp"]): number {
  if (typeof value === "number") return value * 1000;
  if (value && typeof value === "object") return value.toNumber() * 1000;
  return Date.now();
}

export function isSelf(jid: string | null | undefined, self: WhatsAppUser | undefined): boolean {
  if (self === undefined) return false;
  return sameUser(jid, self.id) || sameUser(jid, self.lid);
}

/** A user's id: the phone-number jid when WhatsApp also gave one (`...Alt` beside an `@lid` address). */
function userJid(primary: string, alt: string | undefined): string {
  return primary.endsWith("@lid") && alt ? alt : primary;
}

/** Where a received message was said and by whom, in the gateway's terms; undefined for what it must not see. */
export interface WhatsAppChatOf {
  group: boolean;
  chatId: string;
  senderId: string;
  peer: { id: string; name?: string };
  sender: { id: string; name?: string };
}

export function chatOf(
  key: WhatsAppMessageKey,
  pushName: string | null | undefined,
): WhatsAppChatOf | undefined {
  const remoteJid = key.remoteJid;
  if (!remoteJid || key.fromMe || !key.id) return undefined;
  if (remoteJid === "status@broadcast" || remoteJid.endsWith("@newsletter")) return undefined;
  const group = isGroupJid(remoteJid);
  const senderJid = group ? key.participant : userJid(remoteJid, key.remoteJidAlt);
  if (!senderJid) return undefined;
  const senderId = jidToId(group ? userJid(senderJid, key.participantAlt) : senderJid);
  const name = pushName ?? undefined;
  const sender = { id: senderId, ...(name ? { name } : {}) };
  const chatId = jidToId(remoteJid);
  return { group, chatId, senderId, peer: group ? { id: chatId } : sender, sender };
}

export interface WhatsAppInboundOptions {
  accountId: string;
  self: WhatsAppUser | undefined;
  /** Baileys' media helpers, for downloading files; without them media is left out. */
  media?: WhatsAppMediaDeps;
}

/**
 * Normalises one received message, or returns undefined for what the gateway must not see: our own messages,
 * status broadcasts, reactions, protocol messages and anything with neither text nor a file.
 */
export function whatsappMessageToInbound(
  message: WhatsAppMessage,
  options: WhatsAppInboundOptions,
): InboundMessage | undefined {
  const { key } = message;
  const chat = chatOf(key, message.pushName);
  if (chat === undefined || !key.id) return undefined;
  const content = unwrapContent(message.message);
  const caption = textOf(content);
  const found = options.media === undefined ? undefined : findMedia(content);
  if (caption === undefined && found === undefined) return undefined;
  const text = caption?.text ?? "";
  const contextInfo = caption?.contextInfo ?? found?.fields.contextInfo ?? undefined;

  const mentioned = (contextInfo?.mentionedJid ?? []).some((jid) => isSelf(jid, options.self));
  const repliesToBot = Boolean(contextInfo?.stanzaId) && isSelf(contextInfo?.participant, options.self);
  const quoted = textOf(unwrapContent(contextInfo?.quotedMessage));

  return {
    channel: "whatsapp",
    accountId: options.accountId,
    peer: chat.peer,
    chatKind: chat.group ? "group" : "dm",
    ...(chat.group ? { chatId: chat.chatId } : {}),
    sender: chat.sender,
    text,
    mentionsBot: mentioned || repliesToBot,
    ...(contextInfo?.stanzaId
      ? { replyTo: { messageId: contextInfo.stanzaId, ...(quoted ? { text: quoted.text } : {}) } }
      : {}),
    timestamp: Math.trunc(timestampMs(message.messageTimestamp)),
    platformMessageId: key.id,
    ...(found === undefined || options.media === undefined
      ? {}
      : { media: [describeInboundMedia(found, options.media)] }),
  };
}
