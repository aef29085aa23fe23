import { MediaTooLargeError, readBodyCapped } from "@openclaw/plugin-sdk";
import { type Api, GrammyError } from "grammy";
import { toGrammySignal } from "./grammy-signal.js";
import { redactToken, toTelegramChannelError } from "./telegram-api-failure.js";
import { TelegramChannelError } from "./telegram-channel-error.js";

/** The Bot API's getFile serves files up to 20 MB (a self-hosted Bot API server lifts the limit). */
export const TELEGRAM_MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024;

/** A file over the Bot API's 20 MB getFile limit: no bot on api.telegram.org can fetch it. */
export class TelegramFileTooBigError extends MediaTooLargeError {
  constructor(sizeBytes?: number) {
    super(TELEGRAM_MAX_DOWNLOAD_BYTES, sizeBytes);
    this.message =
      `Telegram bots can download files up to 20 MB (Bot API getFile)` +
      (sizeBytes === undefined ? "" : `; this one has ${sizeBytes} bytes`) +
      ": ask for a smaller file, or run a self-hosted Bot API server (channels.telegram.apiRoot)";
  }
}

export interface TelegramFileSource {
  api: Api;
  /** The bot token, for the file URL only: never logged, never in an error. */
  token: string;
  apiRoot: string;
  accountId: string;
}

/**
 * Fetches one file by its `file_id`: refuses before any request when the declared size is over `maxBytes` (or over
 * the Bot API's 20 MB), asks getFile for its path, then reads `<apiRoot>/file/bot<token>/<path>` capped at `maxBytes`.
 */
export async function downloadTelegramFile(
  source: TelegramFileSource,
  file: { fileId: string; sizeBytes?: number },
  options: { maxBytes: number; signal: AbortSignal },
): Promise<Uint8Array> {
  const { maxBytes, signal } = options;
  if (file.sizeBytes !== undefined && file.sizeBytes > maxBytes)
    throw new MediaTooLargeError(maxBytes, file.sizeBytes);
  if (file.sizeBytes !== undefined && file.sizeBytes > TELEGRAM_MAX_DOWNLOAD_BYTES) {
    throw new TelegramFileTooBigError(file.sizeBytes);
  }
  let path: string | undefined;
  let declared: number | undefined;
  try {
    const described = await source.api.getFile(file.fileId, toGrammySignal(signal));
    path = described.file_path;
    declared = described.file_size;
  } catch (error) {
    if (error instanceof GrammyError && /file is too big/i.test(error.description)) {
      throw new TelegramFileTooBigError(file.sizeBytes);
    }
    throw toTelegramChannelError(error, source.accountId);
  }
  if (declared !== undefined && declared > maxBytes) throw new MediaTooLargeError(maxBytes, declared);
  if (path === undefined) {
    throw new TelegramChannelError(
      "TELEGRAM_API_ERROR",
      "Telegram getFile returned no file_path (the file is no longer available): ask the sender to send it again",
    );
  }
  const url = `${source.apiRoot}/file/bot${source.token}/${path}`;
  let response: Response;
  try {
    response = await fetch(url, { signal });
  } catch (error) {
    if (signal.aborted) throw error;
    // Node's fetch errors do not quote the URL, but their causes may; the token must never reach a log, so
    // neither the cause nor its unredacted text is kept.
    const reason = redactToken(error instanceof Error ? error.message : String(error));
    throw new TelegramChannelError(
      "TELEGRAM_NETWORK_ERROR",
      `downloading a Telegram file failed (${reason}): check that the gateway can reach channels.telegram.apiRoot`,
    );
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw new TelegramChannelError(
      "TELEGRAM_API_ERROR",
      `downloading a Telegram file failed (HTTP ${response.status}): the file may have expired; ask the sender to send it again`,
    );
  }
  return readBodyCapped(response, maxBytes);
}
