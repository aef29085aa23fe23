import { GrammyError, HttpError } from "grammy";
import { TelegramChannelError } from "./telegram-channel-error.js";

export const POLLING_CONFLICT_MESSAGE =
  "another process is polling this bot token (Telegram 409): stop the other bot or use a different token";

/** node-fetch puts the request URL, and so `/bot<token>/`, into its messages. */
export function redactToken(text: string): string {
  return text.replace(/\/bot[^/\s]+\//g, "/bot<redacted>/");
}

/**
 * Turns what grammY throws into a {@link TelegramChannelError} whose message is fit for `lastError`:
 * it names the cause and the fix, and never contains the token (grammY's messages do not either).
 */
export function toTelegramChannelError(error: unknown, accountId: string): TelegramChannelError {
  if (error instanceof TelegramChannelError) return error;
  if (error instanceof GrammyError) {
    if (error.error_code === 401 || error.error_code === 404) {
      // Telegram answers 404 for a token of the wrong shape, 401 for a revoked or unknown one.
      return new TelegramChannelError(
        "TELEGRAM_UNAUTHORIZED",
        `Telegram rejected the bot token of account "${accountId}" (${error.error_code} ${error.description}): ` +
          "copy the token again from @BotFather (or /revoke it for a new one) and update channels.telegram.botToken",
        { cause: error },
      );
    }
    if (error.error_code === 409) {
      const message = /webhook/i.test(error.description)
        ? `a webhook is set for this bot token (Telegram 409: ${error.description}): remove it or use mode "webhook"`
        : POLLING_CONFLICT_MESSAGE;
      return new TelegramChannelError("TELEGRAM_POLLING_CONFLICT", message, { cause: error });
    }
    return new TelegramChannelError(
      "TELEGRAM_API_ERROR",
      `Telegram ${error.method} failed (${error.error_code} ${error.description})`,
      { cause: error },
    );
  }
  if (error instanceof HttpError) {
    const cause = error.error instanceof Error ? redactToken(error.error.message) : "";
    if (cause.startsWith("invalid json response body")) {
      // node-fetch quotes the start of the body: an HTML error page would spill its markup into lastError.
      return new TelegramChannelError(
        "TELEGRAM_NETWORK_ERROR",
        `${error.message} (the answer was not the Bot API's JSON, e.g. an HTML error page from a proxy): ` +
          "check that channels.telegram.apiRoot points at the Telegram Bot API",
        { cause: error },
      );
    }
    const reason = cause === "" ? "" : ` (${cause.replace(/\s+/g, " ")})`;
    return new TelegramChannelError(
      "TELEGRAM_NETWORK_ERROR",
      `${error.message}${reason}: check that the gateway can reach the Telegram Bot API (channels.telegram.apiRoot)`,
      { cause: error },
    );
  }
  const message = redactToken(error instanceof Error ? error.message : String(error));
  return new TelegramChannelError("TELEGRAM_NETWORK_ERROR", `Telegram request failed: ${message}`, {
    cause: error,
  });
}

/** Seconds Telegram asked us to wait (429 `parameters.retry_after`), or undefined for any other failure. */
export function retryAfterSeconds(error: unknown): number | undefined {
  if (!(error instanceof GrammyError) || error.error_code !== 429) return undefined;
  return error.parameters.retry_after ?? 1;
}

/** Telegram's 400 for MarkdownV2 it cannot parse, e.g. "Bad Request: can't parse entities: ...". */
export function isEntityParseError(error: unknown): boolean {
  return (
    error instanceof GrammyError &&
    error.error_code === 400 &&
    /can't parse entities/i.test(error.description)
  );
}
