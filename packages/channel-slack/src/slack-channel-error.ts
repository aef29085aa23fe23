/** Stable codes of {@link SlackChannelError}; the gateway shows the message, tooling switches on the code. */
export type SlackChannelErrorCode =
  | "SLACK_TOKEN_MISSING"
  | "SLACK_UNAUTHORIZED"
  | "SLACK_RATE_LIMITED"
  | "SLACK_API_ERROR"
  | "SLACK_NETWORK_ERROR"
  | "SLACK_SOCKET_LOST"
  | "SLACK_ACCOUNT_NOT_RUNNING"
  | "SLACK_HTTP_LISTEN_FAILED"
  | "SLACK_FILE_UNAVAILABLE"
  | "SLACK_MEDIA_TOO_LARGE";

/** Every failure this channel reports; the message says what to do about it. */
export class SlackChannelError extends Error {
  override readonly name = "SlackChannelError";

  constructor(
    readonly code: SlackChannelErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
