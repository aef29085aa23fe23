import { chunkText, type OutboundMedia } from "@openclaw/plugin-sdk";
import { GrammyError, InputFile } from "grammy";
import type { Message } from "grammy/types";
import { toGrammySignal } from "./grammy-signal.js";
import { toTelegramChannelError } from "./telegram-api-failure.js";
import { TelegramChannelError } from "./telegram-channel-error.js";
import {
  callWithFormattedText,
  DEFAULT_RATE_LIMIT_POLICY,
  placement,
  sendTelegramText,
  type TelegramCallContext,
  withRateLimitRetry,
} from "./telegram-send.js";

/** The Bot API's upload limit for any file (photos: 10 MB, larger images go as documents). */
export const TELEGRAM_MAX_UPLOAD_BYTES = 50 * 1024 * 1024;
const TELEGRAM_MAX_PHOTO_BYTES = 10 * 1024 * 1024;
/** Telegram's limit for a caption, after entity parsing. */
export const TELEGRAM_MAX_CAPTION_LENGTH = 1024;
const TELEGRAM_MAX_TEXT_LENGTH = 4096;

type UploadMethod = "sendPhoto" | "sendDocument" | "sendVoice" | "sendAudio" | "sendVideo";

const METHOD_BY_KIND: Record<NonNullable<OutboundMedia["kind"]>, UploadMethod> = {
  image: "sendPhoto",
  voice: "sendVoice",
  audio: "sendAudio",
  video: "sendVideo",
  document: "sendDocument",
};

const EXTENSION_BY_MIME: Record<string, string> = {
  "image/jpeg": "jpg",
  "image/png": "png",
  "image/webp": "webp",
  "image/gif": "gif",
  "audio/ogg": "ogg",
  "audio/mpeg": "mp3",
  "audio/mp4": "m4a",
  "video/mp4": "mp4",
  "application/pdf": "pdf",
  "text/plain": "txt",
  "text/markdown": "md",
};

/** How Telegram should present the file: the kind the gateway asked for, else what its MIME type suggests. */
export function uploadMethodFor(media: OutboundMedia): UploadMethod {
  const size = media.data?.byteLength ?? 0;
  const method = media.kind ? METHOD_BY_KIND[media.kind] : methodForMimeType(media.mimeType);
  // Telegram re-encodes photos (a GIF would lose its motion) and takes them only up to 10 MB.
  if (method === "sendPhoto" && (size > TELEGRAM_MAX_PHOTO_BYTES || media.mimeType === "image/gif")) {
    return "sendDocument";
  }
  return method;
}

function methodForMimeType(mimeType: string): UploadMethod {
  const type = mimeType.toLowerCase().split(";")[0]?.trim() ?? "";
  if (type.startsWith("image/")) return "sendPhoto";
  // A voice note must be OGG/Opus; other audio goes out as a music file.
  if (type === "audio/ogg" || type === "audio/opus") return "sendVoice";
  if (type.startsWith("audio/")) return "sendAudio";
  if (type === "video/mp4") return "sendVideo";
  return "sendDocument";
}

function defaultFileName(media: OutboundMedia, method: UploadMethod): string {
  const extension = EXTENSION_BY_MIME[media.mimeType.toLowerCase()] ?? "bin";
  const stem = {
    sendPhoto: "photo",
    sendDocument: "file",
    sendVoice: "voice",
    sendAudio: "audio",
    sendVideo: "video",
  };
  return `${stem[method]}.${extension}`;
}

// Telegram's answers when it cannot take an image as a photo (dimensions, format): a document still delivers it.
const isPhotoRejected = (error: unknown) =>
  error instanceof TelegramChannelError &&
  error.cause instanceof GrammyError &&
  error.cause.error_code === 400 &&
  /IMAGE_PROCESS_FAILED|PHOTO_INVALID|PHOTO_SAVE_FILE_INVALID|PHOTO_EXT_INVALID/.test(
    error.cause.description,
  );

export interface SendTelegramMediaOptions extends TelegramCallContext {
  chatId: string;
  media: OutboundMedia;
  caption?: string;
  threadId?: string;
  replyTo?: string;
}

/**
 * Uploads one file (multipart) as a photo, voice note, audio file, video or document. A caption over Telegram's
 * 1024 characters is sent as a text message right after the file instead. Returns the file message's id and the
 * ids of any text messages that followed it.
 */
export async function sendTelegramMedia(
  options: SendTelegramMediaOptions,
): Promise<{ messageId: string; followUpIds: string[] }> {
  const { media } = options;
  if (media.data === undefined && media.url === undefined) {
    throw new TelegramChannelError(
      "TELEGRAM_MEDIA_INVALID",
      "sendMedia needs media.data (bytes) or media.url",
    );
  }
  if (media.data !== undefined && media.data.byteLength > TELEGRAM_MAX_UPLOAD_BYTES) {
    throw new TelegramChannelError(
      "TELEGRAM_MEDIA_TOO_LARGE",
      `the file has ${media.data.byteLength} bytes; Telegram bots can upload at most 50 MB: send a link instead`,
    );
  }
  const caption = options.caption?.trim() ?? "";
  const captionFits = caption !== "" && caption.length <= TELEGRAM_MAX_CAPTION_LENGTH;
  const method = uploadMethodFor(media);
  let sent: Message;
  try {
    sent = await upload(options, method, captionFits ? caption : undefined);
  } catch (error) {
    if (method !== "sendPhoto" || !isPhotoRejected(error)) throw error;
    options.logger.debug("telegram refused the image as a photo; sending it as a document", {
      chatId: options.chatId,
    });
    sent = await upload(options, "sendDocument", captionFits ? caption : undefined);
  }
  const followUpIds: string[] = [];
  if (caption !== "" && !captionFits) {
    for (const chunk of chunkText(caption, TELEGRAM_MAX_TEXT_LENGTH)) {
      const text = await sendTelegramText({ ...options, text: chunk, replyTo: undefined });
      followUpIds.push(text.messageId);
    }
  }
  return { messageId: String(sent.message_id), followUpIds };
}

function upload(
  options: SendTelegramMediaOptions,
  method: UploadMethod,
  caption: string | undefined,
): Promise<Message> {
  const { api, chatId, media } = options;
  const where = placement(options.threadId, options.replyTo);
  const input = () =>
    media.data === undefined
      ? (media.url as string)
      : new InputFile(media.data, media.fileName ?? defaultFileName(media, method));
  const call = (
    other: Record<string, unknown>,
    signal: ReturnType<typeof toGrammySignal>,
  ): Promise<Message> => {
    const params = { ...where, ...other };
    switch (method) {
      case "sendPhoto":
        return api.sendPhoto(chatId, input(), params, signal);
      case "sendVoice":
        return api.sendVoice(chatId, input(), params, signal);
      case "sendAudio":
        return api.sendAudio(chatId, input(), params, signal);
      case "sendVideo":
        return api.sendVideo(chatId, input(), params, signal);
      case "sendDocument":
        return api.sendDocument(chatId, input(), params, signal);
    }
  };
  if (caption !== undefined) {
    return callWithFormattedText(options, method, caption, (text, parseMode, signal) =>
      call(parseMode === undefined ? { caption: text } : { caption: text, parse_mode: parseMode }, signal),
    );
  }
  const retry = {
    policy: options.policy ?? DEFAULT_RATE_LIMIT_POLICY,
    signal: options.signal,
    logger: options.logger,
    method,
  };
  return withRateLimitRetry(() => call({}, toGrammySignal(options.signal)), retry).catch((error: unknown) => {
    throw toTelegramChannelError(error, options.accountId);
  });
}
