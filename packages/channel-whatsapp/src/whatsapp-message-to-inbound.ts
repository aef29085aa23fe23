import type { InboundMessage } from "@openclaw/plugin-sdk";
import { isGroupJid, jidToId, sameUser } from "./whatsapp-jid.js";
import type {
  WhatsAppContextInfo,
  WhatsAppMessage,
  WhatsAppMessageContent,
  WhatsAppUser,
} from "./whatsapp-socket.js";

interface TextAndContext {
  text: string;
  contextInfo: WhatsAppContextInfo | undefined;
}

function textOf(content: WhatsAppMessageContent | null | undefined): TextAndContext | undefined {
  if (!content) return undefined;
  // Disappearing-message chats wrap every message once more.
  if (content.ephemeralMessage?.message) return textOf(content.ephemeralMessage.message);
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

function timestampMs(value: WhatsAppMessage["messageTimestamp"]): number {
  if (typeof value === "number") return value * 1000;
  if (value && typeof value === "object") return value.toNumber() * 1000;
  return Date.now();
}

function isSelf(jid: string | null | undefined, self: WhatsAppUser | undefined): boolean {
  if (self === undefined) return false;
  return sameUser(jid, self.id) || sameUser(jid, self.lid);
}

/** A user's id: the phone-number jid when WhatsApp also gave one (`...Alt` beside an `@lid` address). */
function userJid(primary: string, alt: string | undefined): string {
  return primary.endsWith("@lid") && alt ? alt : primary;
}

/**
 * Normalises one received message, or returns undefined for what the gateway must not see: our own messages,
 * status broadcasts, and messages without text (stickers, reactions, protocol messages).
 */
export function whatsappMessageToInbound(
  message: WhatsAppMessage,
  options: { accountId: string; self: WhatsAppUser | undefined },
): InboundMessage | undefined {
  const { key } = message;
  const remoteJid = key.remoteJid;
  if (!remoteJid || key.fromMe || !key.id) return undefined;
  if (remoteJid === "status@broadcast" || remoteJid.endsWith("@newsletter")) return undefined;
  const content = textOf(message.message);
  if (content === undefined) return undefined;
  const { text, contextInfo } = content;

  const group = isGroupJid(remoteJid);
  const senderJid = group ? key.participant : userJid(remoteJid, key.remoteJidAlt);
  if (!senderJid) return undefined;
  const senderId = jidToId(group ? userJid(senderJid, key.participantAlt) : senderJid);
  const name = message.pushName ?? undefined;

  const mentioned = (contextInfo?.mentionedJid ?? []).some((jid) => isSelf(jid, options.self));
  const repliesToBot = Boolean(contextInfo?.stanzaId) && isSelf(contextInfo?.participant, options.self);
  const quoted = textOf(contextInfo?.quotedMessage);

  const chatId = jidToId(remoteJid);
  return {
    channel: "whatsapp",
    accountId: options.accountId,
    peer: group ? { id: chatId } : { id: senderId, ...(name ? { name } : {}) },
    chatKind: group ? "group" : "dm",
    ...(group ? { chatId } : {}),
    sender: { id: senderId, ...(name ? { name } : {}) },
    text,
    mentionsBot: mentioned || repliesToBot,
    ...(contextInfo?.stanzaId
      ? { replyTo: { messageId: contextInfo.stanzaId, ...(quoted ? { text: quoted.text } : {}) } }
      : {}),
    timestamp: Math.trunc(timestampMs(message.messageTimestamp)),
    platformMessageId: key.id,
  };
}
