/** Stable codes of {@link WhatsAppChannelError}; the gateway shows the message, tooling switches on the code. */
export type WhatsAppChannelErrorCode =
  | "WHATSAPP_LOGGED_OUT"
  | "WHATSAPP_SESSION_REPLACED"
  | "WHATSAPP_CONNECTION_FAILED"
  | "WHATSAPP_NOT_CONNECTED"
  | "WHATSAPP_ACCOUNT_NOT_RUNNING"
  | "WHATSAPP_SEND_FAILED"
  | "WHATSAPP_INVALID_TARGET"
  | "WHATSAPP_MEDIA_INVALID"
  | "WHATSAPP_MEDIA_TOO_LARGE"
  | "WHATSAPP_MEDIA_UNAVAILABLE"
  | "WHATSAPP_MEDIA_CORRUPT"
  | "WHATSAPP_MESSAGE_UNKNOWN";

/** Every failure this channel reports; the message says what to do about it. */
export class WhatsAppChannelError extends Error {
  override readonly name = "WhatsAppChannelError";

  constructor(
    readonly code: WhatsAppChannelErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The `lastError` of an account whose device WhatsApp unlinked. */
export const WHATSAPP_LOGGED_OUT_MESSAGE =
  "WhatsApp logged this device out: run `openclaw channels login whatsapp` to link it again";
