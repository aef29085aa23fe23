import type { OutboundMedia } from "@openclaw/plugin-sdk";
import { WhatsAppChannelError } from "./whatsapp-channel-error.js";
import { jidToId } from "./whatsapp-jid.js";
import type { WhatsAppMessage, WhatsAppOutgoingContent, WhatsAppSocket } from "./whatsapp-socket.js";

/** WhatsApp plays voice notes only as Ogg/Opus; other audio goes out as a plain audio file. */
const VOICE_NOTE_MIME = /^audio\/ogg\b/i;

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Sends one message and returns it as Baileys does; a failure or an empty answer is a `WHATSAPP_SEND_FAILED`. */
export async function sendOrThrow(
  socket: WhatsAppSocket,
  jid: string,
  content: WhatsAppOutgoingContent,
  quoted: WhatsAppMessage | undefined,
): Promise<WhatsAppMessage & { key: { id: string } }> {
  let sent: WhatsAppMessage | undefined;
  try {
    sent = await socket.sendMessage(jid, content, quoted === undefined ? undefined : { quoted });
  } catch (error) {
    throw new WhatsAppChannelError(
      "WHATSAPP_SEND_FAILED",
      `WhatsApp could not deliver to ${jidToId(jid)}: ${describe(error)}`,
      { cause: error },
    );
  }
  const id = sent?.key.id;
  if (sent === undefined || !id) {
    throw new WhatsAppChannelError(
      "WHATSAPP_SEND_FAILED",
      `WhatsApp accepted no message for ${jidToId(jid)}: check the target number or group id`,
    );
  }
  return { ...sent, key: { ...sent.key, id } };
}

/** What `sendMedia` sends: the media message, and the caption as its own text when WhatsApp would not show it. */
export interface WhatsAppMediaPlan {
  content: WhatsAppOutgoingContent;
  followUpText?: string;
}

function kindOf(media: OutboundMedia): NonNullable<OutboundMedia["kind"]> {
  if (media.kind !== undefined) return media.kind;
  const type = media.mimeType.toLowerCase();
  if (type.startsWith("image/")) return "image";
  if (type.startsWith("video/")) return "video";
  if (type.startsWith("audio/")) return "audio";
  return "document";
}

/**
 * Maps one outbound file onto Baileys' payloads: `image`, `video`, `audio` (`ptt` for a voice note) or `document`.
 * Only bytes are accepted: Baileys would fetch a URL by itself, bypassing the gateway's size and address checks.
 */
export function planMediaMessage(
  media: OutboundMedia,
  caption: string | undefined,
  maxBytes: number,
): WhatsAppMediaPlan {
  const data = media.data;
  if (data === undefined) {
    throw new WhatsAppChannelError(
      "WHATSAPP_MEDIA_INVALID",
      "WhatsApp sends media from bytes only: load the file (or URL) in the gateway and pass it as media.data",
    );
  }
  if (data.byteLength > maxBytes) {
    throw new WhatsAppChannelError(
      "WHATSAPP_MEDIA_TOO_LARGE",
      `the file has ${data.byteLength} bytes, more than WhatsApp's limit of ${maxBytes} bytes for this account: ` +
        "raise channels.whatsapp.mediaMaxMb or send a smaller file",
    );
  }
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const mimetype = media.mimeType;
  const captioned = caption ? { caption } : {};
  switch (kindOf(media)) {
    case "image":
      return { content: { image: bytes, mimetype, ...captioned } };
    case "video":
      return { content: { video: bytes, mimetype, ...captioned } };
    case "voice":
    case "audio": {
      const ptt = media.kind === "voice" && VOICE_NOTE_MIME.test(mimetype);
      // WhatsApp clients show no caption under audio, so it follows as a message of its own.
      return { content: { audio: bytes, mimetype, ptt }, ...(caption ? { followUpText: caption } : {}) };
    }
    case "document":
      return { content: { document: bytes, mimetype, fileName: media.fileName ?? "file", ...captioned } };
  }
}
