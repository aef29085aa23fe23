import type { InboundMedia, MediaKind } from "@openclaw/plugin-sdk";
import { MAX_INBOUND_MEDIA_ITEMS } from "@openclaw/plugin-sdk";
import type { Message } from "grammy/types";
import { downloadTelegramFile, type TelegramFileSource } from "./telegram-file-download.js";

interface FileDescription {
  kind: MediaKind;
  fileId: string;
  sizeBytes?: number;
  mimeType?: string;
  fileName?: string;
  durationSec?: number;
}

function stickerMimeType(sticker: NonNullable<Message["sticker"]>): string {
  if (sticker.is_animated) return "application/x-tgsticker";
  if (sticker.is_video) return "video/webm";
  return "image/webp";
}

/** The files a Telegram message carries, described with what the message declares. */
function describeFiles(message: Message): FileDescription[] {
  const files: FileDescription[] = [];
  // Absent fields are left out rather than set to undefined: InboundMedia's optional fields are exact.
  const add = (file: FileDescription) =>
    files.push(
      Object.fromEntries(Object.entries(file).filter(([, value]) => value !== undefined)) as FileDescription,
    );
  if (message.photo !== undefined && message.photo.length > 0) {
    // Telegram lists a photo's renditions; the largest (by pixels, then bytes) is the one worth looking at.
    const largest = [...message.photo].sort(
      (a, b) => a.width * a.height - b.width * b.height || (a.file_size ?? 0) - (b.file_size ?? 0),
    )[message.photo.length - 1];
    if (largest)
      add({ kind: "image", fileId: largest.file_id, sizeBytes: largest.file_size, mimeType: "image/jpeg" });
  }
  const { voice, audio, video, video_note: videoNote, sticker, animation, document } = message;
  if (voice) {
    add({
      kind: "voice",
      fileId: voice.file_id,
      sizeBytes: voice.file_size,
      mimeType: voice.mime_type ?? "audio/ogg",
      durationSec: voice.duration,
    });
  }
  if (audio) {
    add({
      kind: "audio",
      fileId: audio.file_id,
      sizeBytes: audio.file_size,
      mimeType: audio.mime_type,
      fileName: audio.file_name,
      durationSec: audio.duration,
    });
  }
  if (video) {
    add({
      kind: "video",
      fileId: video.file_id,
      sizeBytes: video.file_size,
      mimeType: video.mime_type,
      fileName: video.file_name,
      durationSec: video.duration,
    });
  }
  if (videoNote) {
    add({
      kind: "video",
      fileId: videoNote.file_id,
      sizeBytes: videoNote.file_size,
      mimeType: "video/mp4",
      durationSec: videoNote.duration,
    });
  }
  if (sticker) {
    add({
      kind: "sticker",
      fileId: sticker.file_id,
      sizeBytes: sticker.file_size,
      mimeType: stickerMimeType(sticker),
    });
  }
  if (animation) {
    // An animation (GIF, sent as MP4) repeats itself in `document` for older clients: one item, not two.
    add({
      kind: "video",
      fileId: animation.file_id,
      sizeBytes: animation.file_size,
      mimeType: animation.mime_type ?? "video/mp4",
      fileName: animation.file_name,
      durationSec: animation.duration,
    });
  } else if (document) {
    add({
      kind: "document",
      fileId: document.file_id,
      sizeBytes: document.file_size,
      mimeType: document.mime_type,
      fileName: document.file_name,
    });
  }
  return files;
}

/**
 * The message's files as {@link InboundMedia} whose `download` fetches through the Bot API only when the gateway
 * asks (after its access policy), capped at the gateway's `maxBytes`.
 */
export function telegramInboundMedia(message: Message, source: TelegramFileSource): InboundMedia[] {
  return describeFiles(message)
    .slice(0, MAX_INBOUND_MEDIA_ITEMS)
    .map(({ fileId, ...described }) => ({
      ...described,
      platformFileId: fileId,
      download: (options) =>
        downloadTelegramFile(source, { fileId, ...pickSize(described.sizeBytes) }, options),
    }));
}

const pickSize = (sizeBytes: number | undefined) => (sizeBytes === undefined ? {} : { sizeBytes });
