/** Stable codes of {@link TelegramChannelError}; the gateway shows the message, tooling switches on the code. */
export type TelegramChannelErrorCode =
  | "TELEGRAM_TOKEN_MISSING"
  | "TELEGRAM_TOKEN_FILE_UNREADABLE"
  | "TELEGRAM_UNAUTHORIZED"
  | "TELEGRAM_POLLING_CONFLICT"
  | "TELEGRAM_API_ERROR"
  | "TELEGRAM_NETWORK_ERROR"
  | "TELEGRAM_ACCOUNT_NOT_RUNNING"
  | "TELEGRAM_WEBHOOK_LISTEN_FAILED"
  | "TELEGRAM_MEDIA_TOO_LARGE"
  | "TELEGRAM_MEDIA_INVALID";

/** Every failure this channel reports; the message says what to do about it. */
export class TelegramChannelError extends Error {
  override readonly name = "TelegramChannelError";

  constructor(
    readonly code: TelegramChannelErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
