import { chunkText, type OutboundMedia } from "@openclaw/plugin-sdk";
import type { SendableChannels } from "discord.js";
import { toDiscordChannelError } from "./discord-api-failure.js";
import { DiscordChannelError } from "./discord-channel-error.js";
import { DISCORD_MAX_TEXT_LENGTH, sendDiscordText } from "./discord-send.js";

/**
 * The largest file the adapter uploads. Discord's limit depends on the server's boost level (10 MiB without
 * boosts today, up to 500 MiB); 25 MiB is the long-standing default bot limit. A server with a lower limit answers
 * 413, reported as DISCORD_MEDIA_TOO_LARGE.
 */
export const DISCORD_MAX_UPLOAD_BYTES = 25 * 1024 * 1024;

/** Extensions Discord uses to decide how to show a file (inline image, audio player, video). */
const EXTENSIONS: Record<string, string> = {
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/gif": "gif",
  "image/webp": "webp",
  "audio/ogg": "ogg",
  "audio/opus": "ogg",
  "audio/mpeg": "mp3",
  "audio/mp4": "m4a",
  "audio/wav": "wav",
  "audio/x-wav": "wav",
  "video/mp4": "mp4",
  "video/webm": "webm",
  "video/quicktime": "mov",
  "application/pdf": "pdf",
  "text/plain": "txt",
  "text/markdown": "md",
  "application/json": "json",
};

/** The upload's name: the given one without directories (Discord shows it), else `<kind>.<ext>` from the type. */
export function uploadFileName(media: Pick<OutboundMedia, "fileName" | "mimeType" | "kind">): string {
  const given = media.fileName
    ?.split(/[\\/]/)
    .at(-1)
    ?.replace(/[^\p{L}\p{N}._ -]/gu, "_")
    .trim();
  if (given) return given.slice(-100);
  const mime = media.mimeType.split(";")[0]?.trim().toLowerCase() ?? "";
  return `${media.kind ?? "file"}.${EXTENSIONS[mime] ?? "bin"}`;
}

/**
 * Uploads one file (multipart through discord.js) with the caption's first 2000 characters as its text; the rest
 * of a longer caption follows as plain messages. A voice note goes out as an audio file (Discord's waveform voice
 * messages need OGG/Opus and a waveform). Media given only as a URL is posted as a link. Returns every sent id.
 */
export async function sendDiscordMedia(
  channel: SendableChannels,
  accountId: string,
  options: { media: OutboundMedia; caption?: string; replyTo?: string },
): Promise<{ messageId: string; messageIds: string[] }> {
  const { media, replyTo } = options;
  const caption = options.caption?.trim() ?? "";
  if (media.data === undefined) {
    if (media.url === undefined) {
      throw new DiscordChannelError(
        "DISCORD_API_ERROR",
        "nothing to send: the media has neither data nor url",
      );
    }
    const sent = await sendDiscordText(
      channel,
      accountId,
      caption ? `${caption}\n${media.url}` : media.url,
      replyTo,
    );
    return sent;
  }
  if (media.data.byteLength > DISCORD_MAX_UPLOAD_BYTES) {
    throw new DiscordChannelError(
      "DISCORD_MEDIA_TOO_LARGE",
      `the file has ${media.data.byteLength} bytes, more than Discord's upload limit of ${DISCORD_MAX_UPLOAD_BYTES}: send a smaller file or a link`,
    );
  }
  const [first = "", ...rest] =
    caption.length > DISCORD_MAX_TEXT_LENGTH ? chunkText(caption, DISCORD_MAX_TEXT_LENGTH) : [caption];
  let uploaded: string;
  try {
    const message = await channel.send({
      ...(first === "" ? {} : { content: first }),
      files: [{ attachment: Buffer.from(media.data), name: uploadFileName(media) }],
      allowedMentions: { parse: ["users"], repliedUser: false },
      ...(replyTo === undefined ? {} : { reply: { messageReference: replyTo, failIfNotExists: false } }),
    });
    uploaded = message.id;
  } catch (error) {
    throw toDiscordChannelError(error, accountId);
  }
  const messageIds = [uploaded];
  if (rest.length > 0) {
    const more = await sendDiscordText(channel, accountId, rest.join("\n\n"));
    messageIds.push(...more.messageIds);
  }
  return { messageId: uploaded, messageIds };
}
