/** Stable codes of {@link DiscordChannelError}; the gateway shows the message, tooling switches on the code. */
export type DiscordChannelErrorCode =
  | "DISCORD_TOKEN_MISSING"
  | "DISCORD_UNAUTHORIZED"
  | "DISCORD_DISALLOWED_INTENTS"
  | "DISCORD_GATEWAY_CLOSED"
  | "DISCORD_API_ERROR"
  | "DISCORD_NETWORK_ERROR"
  | "DISCORD_UNKNOWN_TARGET"
  | "DISCORD_ACCOUNT_NOT_RUNNING"
  | "DISCORD_MEDIA_TOO_LARGE"
  | "DISCORD_MEDIA_DOWNLOAD_FAILED";

/** Every failure this channel reports; the message says what to do about it. */
export class DiscordChannelError extends Error {
  override readonly name = "DiscordChannelError";

  constructor(
    readonly code: DiscordChannelErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
