import { randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";
import { asString, type BotApiParams } from "./bot-api-request.js";
import { type ApiReply, fail, ok } from "./fake-telegram-state.js";
import type { FakeTelegramMediaKind } from "./fake-telegram-types.js";

/** The Bot API's getFile serves files up to 20 MB; larger ones need a self-hosted Bot API server. */
export const MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024;

export interface StoredFile {
  file_id: string;
  file_unique_id: string;
  file_path: string;
  /** What getFile and the message declare as `file_size`. */
  file_size: number;
  bytes: Uint8Array;
}

// The leading bytes of real file_ids differ by kind (they encode the file type); the rest is opaque.
const FILE_ID_PREFIX: Record<FakeTelegramMediaKind, string> = {
  photo: "AgACAgIAAxkBAA",
  document: "BQACAgIAAxkBAA",
  voice: "AwACAgIAAxkBAA",
  audio: "CQACAgIAAxkBAA",
  video: "BAACAgIAAxkBAA",
  video_note: "DQACAgIAAxkBAA",
  sticker: "CAACAgIAAxkBAA",
  animation: "CgACAgIAAxkBAA",
};

// The folders Telegram's file server uses in `file_path`.
const FOLDER: Record<FakeTelegramMediaKind, string> = {
  photo: "photos",
  document: "documents",
  voice: "voice",
  audio: "music",
  video: "videos",
  video_note: "video_notes",
  sticker: "stickers",
  animation: "animations",
};

const DEFAULT_EXTENSION: Record<FakeTelegramMediaKind, string> = {
  photo: "jpg",
  document: "dat",
  voice: "oga",
  audio: "mp3",
  video: "mp4",
  video_note: "mp4",
  sticker: "webp",
  animation: "mp4",
};

const MIME_BY_EXTENSION: Record<string, string> = {
  txt: "text/plain",
  md: "text/markdown",
  csv: "text/csv",
  json: "application/json",
  pdf: "application/pdf",
  zip: "application/zip",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  mp3: "audio/mpeg",
  m4a: "audio/mp4",
  ogg: "audio/ogg",
  oga: "audio/ogg",
  opus: "audio/ogg",
  wav: "audio/x-wav",
  mp4: "video/mp4",
  mov: "video/quicktime",
  webm: "video/webm",
};

/** The MIME type Telegram derives from a file name (it does not read the upload's content type). */
export function mimeTypeForFileName(fileName: string): string | undefined {
  const extension = /\.([A-Za-z0-9]+)$/.exec(fileName)?.[1]?.toLowerCase();
  return extension === undefined ? undefined : MIME_BY_EXTENSION[extension];
}

const base64url = (bytes: number) => randomBytes(bytes).toString("base64url");

/** Every file users or the bot sent, by file_id and by file_path; serves getFile and the file URLs. */
export class FakeFileStore {
  readonly downloads: string[] = [];
  readonly #byId = new Map<string, StoredFile>();
  readonly #byPath = new Map<string, StoredFile>();
  #count = 0;

  add(
    kind: FakeTelegramMediaKind,
    bytes: Uint8Array,
    options: { fileName?: string; declaredSizeBytes?: number } = {},
  ): StoredFile {
    const extension = /\.([A-Za-z0-9]+)$/.exec(options.fileName ?? "")?.[1] ?? DEFAULT_EXTENSION[kind];
    const file: StoredFile = {
      file_id: `${FILE_ID_PREFIX[kind]}${base64url(42)}`,
      file_unique_id: `AQAD${base64url(9)}`,
      file_path: `${FOLDER[kind]}/file_${this.#count++}.${extension}`,
      file_size: options.declaredSizeBytes ?? bytes.byteLength,
      bytes,
    };
    this.#byId.set(file.file_id, file);
    this.#byPath.set(file.file_path, file);
    return file;
  }

  byId(fileId: string): StoredFile | undefined {
    return this.#byId.get(fileId);
  }

  getFile(params: BotApiParams): ApiReply {
    const file = this.#byId.get(asString(params.file_id) ?? "");
    if (!file) return fail(400, "Bad Request: invalid file_id");
    if (file.file_size > MAX_DOWNLOAD_BYTES) return fail(400, "Bad Request: file is too big");
    const { bytes: _bytes, ...described } = file;
    return ok(described);
  }

  /** `GET /file/bot<token>/<file_path>`, as api.telegram.org serves it. */
  serve(path: string, res: ServerResponse): void {
    const file = this.#byPath.get(path);
    if (!file || file.file_size > MAX_DOWNLOAD_BYTES) {
      const body = JSON.stringify({ ok: false, error_code: 404, description: "Not Found" });
      res.writeHead(404, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    this.downloads.push(path);
    res.writeHead(200, {
      "content-type": "application/octet-stream",
      "content-length": file.bytes.byteLength,
    });
    res.end(file.bytes);
  }
}
