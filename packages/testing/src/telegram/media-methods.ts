import { asString, type BotApiParams, UploadedFilePart } from "./bot-api-request.js";
import { type ApiReply, type FakeTelegramState, fail, ok } from "./fake-telegram-state.js";
import type { FakeTelegramUpload, FakeTelegramUploadMethod } from "./fake-telegram-types.js";
import { type FakeFileStore, mimeTypeForFileName, type StoredFile } from "./file-store.js";
import { imageSize, looksLikeImage } from "./image-size.js";
import { compact, type TelegramMessage, unixTime } from "./telegram-objects.js";
import { isReply, renderText, resolvePlacement } from "./text-methods.js";

const MAX_CAPTION_LENGTH = 1024;

const FIELD: Record<FakeTelegramUploadMethod, "photo" | "document" | "voice" | "audio" | "video"> = {
  sendPhoto: "photo",
  sendDocument: "document",
  sendVoice: "voice",
  sendAudio: "audio",
  sendVideo: "video",
};

type Handler = (params: BotApiParams) => ApiReply | Promise<ApiReply>;

/** sendPhoto, sendDocument, sendVoice, sendAudio and sendVideo: a multipart upload or a known file_id. */
export function mediaMethods(
  state: FakeTelegramState,
  files: FakeFileStore,
): Record<FakeTelegramUploadMethod | "getFile", Handler> {
  const send =
    (method: FakeTelegramUploadMethod): Handler =>
    (params) => {
      const field = FIELD[method];
      const placement = resolvePlacement(state, params);
      if (isReply(placement)) return placement;
      const value = params[field];
      let upload: FakeTelegramUpload | undefined;
      let file: StoredFile | undefined;
      if (value instanceof UploadedFilePart) {
        if (value.bytes.byteLength === 0) return fail(400, "Bad Request: file must be non-empty");
        if (field === "photo" && !looksLikeImage(value.bytes))
          return fail(400, "Bad Request: IMAGE_PROCESS_FAILED");
        const mimeType = field === "voice" ? "audio/ogg" : mimeTypeForFileName(value.fileName);
        upload = compact({
          field,
          bytes: value.bytes,
          fileName: value.fileName,
          contentType: value.contentType,
          mimeType: field === "photo" ? undefined : mimeType,
        });
        file = files.add(field, value.bytes, { fileName: value.fileName });
      } else {
        const known = files.byId(asString(value) ?? "");
        if (!known)
          return fail(400, `Bad Request: wrong remote file identifier specified: can't unserialize it`);
        file = known;
      }
      const caption = asString(params.caption);
      const parseMode = asString(params.parse_mode) || undefined;
      const renderedCaption =
        caption === undefined || caption === ""
          ? undefined
          : renderText(
              caption,
              parseMode,
              params.caption_entities,
              MAX_CAPTION_LENGTH,
              "Bad Request: message caption is too long",
            );
      if (renderedCaption !== undefined && "ok" in renderedCaption) return renderedCaption;
      const message: TelegramMessage = compact({
        message_id: state.nextMessageId(placement.chat.id),
        message_thread_id: placement.threadId,
        from: state.bot,
        chat: placement.chat,
        date: unixTime(),
        reply_to_message: placement.replyToMessage,
        ...mediaField(field, file, upload),
        caption: renderedCaption?.text,
        caption_entities: renderedCaption?.entities,
        is_topic_message: placement.isTopicMessage ? true : undefined,
      });
      state.store(message);
      state.recordSent(
        compact({
          method,
          chatId: String(placement.chat.id),
          caption,
          parseMode,
          messageThreadId: placement.threadId,
          replyToMessageId: placement.replyToId,
          upload,
          messageId: message.message_id,
          body: withoutFileBytes(params),
        }),
      );
      return ok(message);
    };

  return {
    sendPhoto: send("sendPhoto"),
    sendDocument: send("sendDocument"),
    sendVoice: send("sendVoice"),
    sendAudio: send("sendAudio"),
    sendVideo: send("sendVideo"),
    getFile: (params) => files.getFile(params),
  };
}

function mediaField(
  field: (typeof FIELD)[FakeTelegramUploadMethod],
  file: StoredFile,
  upload: FakeTelegramUpload | undefined,
): Record<string, unknown> {
  const common = { file_id: file.file_id, file_unique_id: file.file_unique_id, file_size: file.file_size };
  const fileName = upload?.fileName;
  const mimeType = upload?.mimeType;
  switch (field) {
    case "photo": {
      const size = imageSize(file.bytes) ?? { width: 512, height: 512 };
      return { photo: [{ ...common, ...size }] };
    }
    case "voice":
      return { voice: { duration: 1, mime_type: "audio/ogg", ...common } };
    case "audio":
      return { audio: compact({ duration: 1, file_name: fileName, mime_type: mimeType, ...common }) };
    case "video":
      return {
        video: compact({
          duration: 1,
          width: 640,
          height: 480,
          file_name: fileName,
          mime_type: mimeType,
          ...common,
        }),
      };
    case "document":
      return { document: compact({ file_name: fileName, mime_type: mimeType, ...common }) };
  }
}

/** The recorded body names the upload instead of holding its bytes (they are in `upload`). */
function withoutFileBytes(params: BotApiParams): BotApiParams {
  return Object.fromEntries(
    Object.entries(params).map(([key, value]) =>
      value instanceof UploadedFilePart
        ? [key, `<file ${value.fileName}, ${value.bytes.byteLength} bytes>`]
        : [key, value],
    ),
  );
}
