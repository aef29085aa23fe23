import {
  type InboundMedia,
  MAX_INBOUND_MEDIA_ITEMS,
  type MediaDownloadOptions,
  type MediaKind,
  MediaTooLargeError,
  readBodyCapped,
} from "@openclaw/plugin-sdk";
import { type Attachment, type Message, MessageFlags, type Sticker, StickerFormatType } from "discord.js";
import { DiscordChannelError } from "./discord-channel-error.js";

/** What a download needs besides its own options: the account's signal, so a stopped account stops fetching. */
export interface MediaDownloadContext {
  accountId: string;
  signal: AbortSignal;
}

function attachmentKind(attachment: Attachment, voiceMessage: boolean): MediaKind {
  // A voice message is an audio attachment with a waveform; the flag sits on the message.
  if (voiceMessage || attachment.waveform !== null) return "voice";
  const type = attachment.contentType ?? "";
  if (type.startsWith("image/")) return "image";
  if (type.startsWith("audio/")) return "audio";
  if (type.startsWith("video/")) return "video";
  return "document";
}

const STICKER_TYPES: Partial<Record<StickerFormatType, { mimeType: string; extension: string }>> = {
  [StickerFormatType.PNG]: { mimeType: "image/png", extension: "png" },
  [StickerFormatType.APNG]: { mimeType: "image/apng", extension: "png" },
  [StickerFormatType.GIF]: { mimeType: "image/gif", extension: "gif" },
  [StickerFormatType.Lottie]: { mimeType: "application/json", extension: "json" },
};

/**
 * Fetches a CDN URL (attachments and stickers need no token) with the size cap: refused before the request when
 * the declared size is over `maxBytes`, and cut off while streaming when the body is.
 */
function cappedDownload(
  url: string,
  declaredSize: number | undefined,
  context: MediaDownloadContext,
): InboundMedia["download"] {
  return async ({ maxBytes, signal }: MediaDownloadOptions) => {
    if (declaredSize !== undefined && declaredSize > maxBytes)
      throw new MediaTooLargeError(maxBytes, declaredSize);
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.any([signal, context.signal]) });
    } catch (error) {
      throw new DiscordChannelError(
        "DISCORD_MEDIA_DOWNLOAD_FAILED",
        `cannot download a Discord attachment for account "${context.accountId}" (${error instanceof Error ? error.message : String(error)}): check the network and channels.discord.cdnBaseUrl`,
        { cause: error },
      );
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw new DiscordChannelError(
        "DISCORD_MEDIA_DOWNLOAD_FAILED",
        `Discord's CDN answered ${response.status} for an attachment: it may have expired (attachment links last about 24 hours)`,
      );
    }
    return readBodyCapped(response, maxBytes);
  };
}

function attachmentMedia(
  attachment: Attachment,
  voiceMessage: boolean,
  context: MediaDownloadContext,
): InboundMedia {
  return {
    kind: attachmentKind(attachment, voiceMessage),
    ...(attachment.contentType === null ? {} : { mimeType: attachment.contentType.slice(0, 255) }),
    fileName: attachment.name.slice(0, 255),
    sizeBytes: attachment.size,
    ...(attachment.duration === null ? {} : { durationSec: attachment.duration }),
    platformFileId: attachment.id,
    download: cappedDownload(attachment.url, attachment.size, context),
  };
}

function stickerMedia(sticker: Sticker, context: MediaDownloadContext): InboundMedia {
  const type = (sticker.format === null ? undefined : STICKER_TYPES[sticker.format]) ?? STICKER_TYPES[1];
  return {
    kind: "sticker",
    ...(type === undefined ? {} : { mimeType: type.mimeType }),
    fileName: `${sticker.name}.${type?.extension ?? "png"}`.slice(0, 255),
    platformFileId: sticker.id,
    download: cappedDownload(sticker.url, undefined, context),
  };
}

/**
 * The attachments (images, audio, voice messages, video, documents) and stickers of a message, each with a lazy
 * download; undefined when there are none. Discord allows 10 attachments and 3 stickers: past the SDK's limit of
 * 10 items the stickers go first.
 */
export function discordMessageMedia(
  message: Message,
  context: MediaDownloadContext,
): InboundMedia[] | undefined {
  const voiceMessage = message.flags.has(MessageFlags.IsVoiceMessage);
  const media = [
    ...[...message.attachments.values()].map((attachment) =>
      attachmentMedia(attachment, voiceMessage, context),
    ),
    ...[...message.stickers.values()].map((sticker) => stickerMedia(sticker, context)),
  ];
  return media.length === 0 ? undefined : media.slice(0, MAX_INBOUND_MEDIA_ITEMS);
}
