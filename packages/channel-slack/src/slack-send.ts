import {
  type ChannelLogger,
  DEFAULT_RATE_LIMIT_POLICY,
  type RateLimitPolicy,
  retryOnRateLimit,
} from "@openclaw/plugin-sdk";
import type { webApi } from "@slack/bolt";
import { retryAfterSeconds, toSlackChannelError } from "./slack-api-failure.js";
import { SlackChannelError } from "./slack-channel-error.js";
import type { SlackConversations } from "./slack-conversations.js";
import { escapeSlackText, markdownToSlackMrkdwn } from "./slack-mrkdwn.js";

export { DEFAULT_RATE_LIMIT_POLICY, type RateLimitPolicy };

/**
 * Calls `call` again after each 429, waiting exactly Slack's `Retry-After`, up to the policy's bounds. The
 * WebClient runs with `rejectRateLimitedCalls` so that the wait is ours: abortable by stop() and without the
 * client's extra exponential backoff on top of the header.
 */
export function withRateLimitRetry<T>(
  call: () => Promise<T>,
  options: { policy: RateLimitPolicy; signal: AbortSignal; logger: ChannelLogger; method: string },
): Promise<T> {
  return retryOnRateLimit(call, {
    policy: options.policy,
    signal: options.signal,
    retryAfterSeconds,
    onWait: ({ retryAfterSeconds: seconds, attempt }) =>
      options.logger.warn("slack rate limited; waiting", {
        method: options.method,
        retryAfterSeconds: seconds,
        attempt,
      }),
    giveUp: ({ retryAfterSeconds: seconds, attempt, error }) =>
      new SlackChannelError(
        "SLACK_RATE_LIMITED",
        `Slack kept rate limiting ${options.method} (429, retry after ${seconds} s, attempt ${attempt}): ` +
          "the bot sends too fast for this channel; fewer or shorter replies help",
        { cause: error },
      ),
  });
}

export interface SendSlackTextOptions {
  client: webApi.WebClient;
  accountId: string;
  channel: string;
  text: string;
  threadTs?: string;
  signal: AbortSignal;
  logger: ChannelLogger;
  policy?: RateLimitPolicy;
  textFormat: "mrkdwn" | "plain";
  /** Learns the IM channel when `channel` is a user id (chat.postMessage answers with the conversation). */
  conversations?: SlackConversations;
}

/** Posts one message (the gateway has chunked it already); link unfurling is off, as OpenClaw's default. */
export async function sendSlackText(options: SendSlackTextOptions): Promise<{ messageId: string }> {
  const text =
    options.textFormat === "plain" ? escapeSlackText(options.text) : markdownToSlackMrkdwn(options.text);
  try {
    const sent = await withRateLimitRetry(
      () =>
        options.client.chat.postMessage({
          channel: options.channel,
          text,
          mrkdwn: options.textFormat === "mrkdwn",
          unfurl_links: false,
          ...(options.threadTs === undefined ? {} : { thread_ts: options.threadTs }),
        }),
      {
        policy: options.policy ?? DEFAULT_RATE_LIMIT_POLICY,
        signal: options.signal,
        logger: options.logger,
        method: "chat.postMessage",
      },
    );
    if (typeof sent.ts !== "string" || sent.ts === "") {
      throw new SlackChannelError("SLACK_API_ERROR", "Slack chat.postMessage returned no ts for the message");
    }
    if (typeof sent.channel === "string") options.conversations?.learn(options.channel, sent.channel);
    return { messageId: sent.ts };
  } catch (error) {
    throw toSlackChannelError(error, options.accountId, "chat.postMessage");
  }
}
