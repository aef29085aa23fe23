import { SlackChannelError } from "./slack-channel-error.js";

interface SlackApiErrorShape {
  code?: unknown;
  message?: unknown;
  retryAfter?: unknown;
  statusCode?: unknown;
  data?: { error?: unknown; needed?: unknown } | null;
}

const AUTH_ERRORS = new Set([
  "invalid_auth",
  "not_authed",
  "account_inactive",
  "token_revoked",
  "token_expired",
  "not_allowed_token_type",
]);

function shape(error: unknown): SlackApiErrorShape {
  return error !== null && typeof error === "object" ? (error as SlackApiErrorShape) : {};
}

/** Seconds a rate-limited call asks to wait (`Retry-After`), when the error is a 429. */
export function retryAfterSeconds(error: unknown): number | undefined {
  const { code, retryAfter } = shape(error);
  return code === "slack_webapi_rate_limited_error" && typeof retryAfter === "number"
    ? retryAfter
    : undefined;
}

/** The Web API's `error` string of a platform error (`{ ok: false, error }`). */
export function platformErrorOf(error: unknown): string | undefined {
  const { code, data } = shape(error);
  return code === "slack_webapi_platform_error" && typeof data?.error === "string" ? data.error : undefined;
}

/**
 * Maps what @slack/web-api throws to a {@link SlackChannelError} whose message says what to do. Messages never
 * carry a token: the Web API's error strings do not contain one.
 */
export function toSlackChannelError(
  error: unknown,
  accountId: string,
  method = "the Web API",
): SlackChannelError {
  if (error instanceof SlackChannelError) return error;
  const section = accountId === "default" ? "channels.slack" : `channels.slack.accounts.${accountId}`;
  const platform = platformErrorOf(error);
  if (platform !== undefined && AUTH_ERRORS.has(platform)) {
    return new SlackChannelError(
      "SLACK_UNAUTHORIZED",
      `Slack refused the credentials of account "${accountId}" (${platform} from ${method}): copy the xoxb- bot token ` +
        `and the xapp- app token again from the app's settings into ${section}.botToken / appToken`,
      { cause: error },
    );
  }
  if (platform !== undefined) {
    const needed = shape(error).data?.needed;
    return new SlackChannelError(
      "SLACK_API_ERROR",
      `Slack ${method} failed: ${platform}` +
        (typeof needed === "string" ? ` (add the ${needed} scope to the app and reinstall it)` : ""),
      { cause: error },
    );
  }
  const retryAfter = retryAfterSeconds(error);
  if (retryAfter !== undefined) {
    return new SlackChannelError(
      "SLACK_RATE_LIMITED",
      `Slack kept rate limiting ${method} (429, retry after ${retryAfter} s): the bot sends too fast for this workspace`,
      { cause: error },
    );
  }
  const { code, statusCode } = shape(error);
  if (code === "slack_webapi_http_error") {
    return new SlackChannelError(
      "SLACK_API_ERROR",
      `Slack ${method} answered HTTP ${String(statusCode)}: check status.slack.com, the account restarts by itself`,
      { cause: error },
    );
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new SlackChannelError(
    "SLACK_NETWORK_ERROR",
    `cannot reach Slack for ${method} (${detail}): check the network, a proxy, or ${section}.apiUrl`,
    { cause: error },
  );
}
