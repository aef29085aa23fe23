import { createDecipheriv, createHmac, timingSafeEqual } from "node:crypto";
import {
  type InboundMedia,
  type MediaDownloadOptions,
  type MediaKind,
  MediaTooLargeError,
  readBodyCapped,
} from "@openclaw/plugin-sdk";
import { WhatsAppChannelError } from "./whatsapp-channel-error.js";
import type { BaileysModule, WhatsAppMediaFields, WhatsAppMessageContent } from "./whatsapp-socket.js";

/**
 * What a download needs from Baileys: its key derivation and CDN address rule. The fetch is the adapter's own
 * (Baileys' `downloadContentFromMessage` pipes the HTTP body without an error handler, so a dropped connection or
 * a reader that stops at the size limit raises an uncaught exception; it also takes no abort signal and skips the
 * MAC check).
 */
export type WhatsAppMediaDeps = Pick<BaileysModule, "getMediaKeys" | "getUrlFromDirectPath"> & {
  /** Default: the global `fetch`. */
  fetch?: typeof fetch;
};

/** Baileys' `DEFAULT_ORIGIN`: WhatsApp's CDN expects the web client's origin. */
const WHATSAPP_WEB_ORIGIN = "https://web.whatsapp.com";
const MAC_LENGTH = 10;

/** Baileys' `MediaType` of each media message: it picks the HKDF info the file's keys are derived with. */
type BaileysMediaType = "image" | "video" | "ptv" | "audio" | "document" | "sticker";

interface FoundMedia {
  kind: MediaKind;
  mediaType: BaileysMediaType;
  fields: WhatsAppMediaFields;
}

/**
 * Peels the wrappers WhatsApp puts around a message (disappearing chats, view-once, a document with a caption),
 * as Baileys' `normalizeMessageContent` does.
 */
export function unwrapContent(
  content: WhatsAppMessageContent | null | undefined,
): WhatsAppMessageContent | undefined {
  let current = content ?? undefined;
  for (let depth = 0; current !== undefined && depth < 5; depth += 1) {
    const inner =
      current.ephemeralMessage?.message ??
      current.viewOnceMessage?.message ??
      current.viewOnceMessageV2?.message ??
      current.documentWithCaptionMessage?.message;
    if (!inner) return current;
    current = inner;
  }
  return current;
}

/** The media item of a message, if it carries one (WhatsApp messages hold at most one file). */
export function findMedia(content: WhatsAppMessageContent | undefined): FoundMedia | undefined {
  if (content === undefined) return undefined;
  if (content.imageMessage) return { kind: "image", mediaType: "image", fields: content.imageMessage };
  if (content.videoMessage) return { kind: "video", mediaType: "video", fields: content.videoMessage };
  // A round "video note" is its own message type, with video keys of its own name.
  if (content.ptvMessage) return { kind: "video", mediaType: "ptv", fields: content.ptvMessage };
  if (content.audioMessage) {
    const kind = content.audioMessage.ptt ? "voice" : "audio";
    return { kind, mediaType: "audio", fields: content.audioMessage };
  }
  if (content.documentMessage)
    return { kind: "document", mediaType: "document", fields: content.documentMessage };
  if (content.stickerMessage)
    return { kind: "sticker", mediaType: "sticker", fields: content.stickerMessage };
  return undefined;
}

function numberOf(value: number | { toNumber(): number } | null | undefined): number | undefined {
  if (typeof value === "number") return value;
  if (value && typeof value === "object") return value.toNumber();
  return undefined;
}

function base64Of(value: Uint8Array | string | null | undefined): string | undefined {
  if (typeof value === "string") return value || undefined;
  if (value instanceof Uint8Array && value.byteLength > 0) return Buffer.from(value).toString("base64");
  return undefined;
}

/** Where a file is: `https://<host><directPath>` as Baileys builds it, else the message's `url`. */
function downloadUrl(fields: WhatsAppMediaFields, deps: WhatsAppMediaDeps): string | undefined {
  if (fields.directPath) {
    let host: string | undefined;
    try {
      host = fields.url ? new URL(fields.url).host : undefined;
    } catch {
      host = undefined;
    }
    return deps.getUrlFromDirectPath(fields.directPath, host);
  }
  return fields.url || undefined;
}

/** AES-CBC pads to the next 16 bytes and WhatsApp appends a 10-byte MAC: the most an encrypted file can add. */
const ENCRYPTION_OVERHEAD = 16 + MAC_LENGTH;

/** Fetches the encrypted file (capped), checks its MAC and decrypts it with keys derived as Baileys does. */
async function fetchAndDecrypt(
  found: FoundMedia,
  deps: WhatsAppMediaDeps,
  { maxBytes, signal }: MediaDownloadOptions,
): Promise<Uint8Array> {
  const { fields, mediaType } = found;
  const url = downloadUrl(fields, deps);
  if (url === undefined || !fields.mediaKey) {
    throw new WhatsAppChannelError(
      "WHATSAPP_MEDIA_UNAVAILABLE",
      "the WhatsApp message names no file to download (no url or media key): ask the sender to send it again",
    );
  }
  const mediaKey =
    typeof fields.mediaKey === "string" ? Buffer.from(fields.mediaKey, "base64") : fields.mediaKey;
  const { iv, cipherKey, macKey } = await deps.getMediaKeys(mediaKey, mediaType);
  const response = await (deps.fetch ?? fetch)(url, { signal, headers: { Origin: WHATSAPP_WEB_ORIGIN } });
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw new WhatsAppChannelError(
      "WHATSAPP_MEDIA_UNAVAILABLE",
      `WhatsApp's media server answered ${response.status} for this file (it may have expired): ask the sender to send it again`,
    );
  }
  let encrypted: Uint8Array;
  try {
    encrypted = await readBodyCapped(response, maxBytes + ENCRYPTION_OVERHEAD);
  } catch (error) {
    // The limit was checked with room for padding and MAC; report it in terms of the file itself.
    if (error instanceof MediaTooLargeError) throw new MediaTooLargeError(maxBytes);
    throw error;
  }
  const ciphertext = encrypted.subarray(0, encrypted.byteLength - MAC_LENGTH);
  const mac = encrypted.subarray(encrypted.byteLength - MAC_LENGTH);
  // Baileys types the MAC key as optional; it always derives one for media.
  const expected = createHmac("sha256", macKey ?? new Uint8Array())
    .update(iv)
    .update(ciphertext)
    .digest()
    .subarray(0, MAC_LENGTH);
  if (encrypted.byteLength <= MAC_LENGTH || !timingSafeEqual(mac, expected)) {
    throw new WhatsAppChannelError(
      "WHATSAPP_MEDIA_CORRUPT",
      "the file from WhatsApp's media server does not match the message (MAC check failed): ask the sender to send it again",
    );
  }
  const decipher = createDecipheriv("aes-256-cbc", cipherKey, iv);
  const plain = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  if (plain.byteLength > maxBytes) throw new MediaTooLargeError(maxBytes, plain.byteLength);
  return new Uint8Array(plain.buffer, plain.byteOffset, plain.byteLength);
}

/**
 * Describes a message's file for the gateway; the bytes are fetched only when the gateway calls `download`
 * (WhatsApp media is end-to-end encrypted with the message's `mediaKey`). The size WhatsApp declares
 * (`fileLength`) is checked before any request, then the body is capped while it streams.
 */
export function describeInboundMedia(found: FoundMedia, deps: WhatsAppMediaDeps): InboundMedia {
  const { fields, kind } = found;
  const sizeBytes = numberOf(fields.fileLength);
  const mimeType = fields.mimetype?.slice(0, 255) || undefined;
  const fileName = kind === "document" ? fields.fileName?.slice(0, 255) || undefined : undefined;
  const seconds = numberOf(fields.seconds);
  const platformFileId = base64Of(fields.fileSha256);
  return {
    kind,
    ...(mimeType === undefined ? {} : { mimeType }),
    ...(fileName === undefined ? {} : { fileName }),
    ...(sizeBytes === undefined ? {} : { sizeBytes }),
    ...(seconds === undefined || (kind !== "audio" && kind !== "voice" && kind !== "video")
      ? {}
      : { durationSec: seconds }),
    ...(platformFileId === undefined ? {} : { platformFileId }),
    async download(options) {
      if (sizeBytes !== undefined && sizeBytes > options.maxBytes) {
        throw new MediaTooLargeError(options.maxBytes, sizeBytes);
      }
      options.signal.throwIfAborted();
      return fetchAndDecrypt(found, deps, options);
    },
  };
}
