import {
  type ChannelLogger,
  DEFAULT_RATE_LIMIT_POLICY,
  type RateLimitPolicy,
  retryOnRateLimit,
} from "@openclaw/plugin-sdk";
import type { Api } from "grammy";
import { toGrammySignal } from "./grammy-signal.js";
import { isEntityParseError, retryAfterSeconds, toTelegramChannelError } from "./telegram-api-failure.js";
import { TelegramChannelError } from "./telegram-channel-error.js";
import { markdownToTelegramMarkdownV2 } from "./telegram-markdown.js";

export { DEFAULT_RATE_LIMIT_POLICY, type RateLimitPolicy };

/** Calls `call` again after each 429, waiting Telegram's `retry_after`, up to the policy's bounds. */
export function withRateLimitRetry<T>(
  call: () => Promise<T>,
  options: { policy: RateLimitPolicy; signal: AbortSignal; logger: ChannelLogger; method: string },
): Promise<T> {
  return retryOnRateLimit(call, {
    policy: options.policy,
    signal: options.signal,
    retryAfterSeconds,
    onWait: ({ retryAfterSeconds: seconds, attempt }) =>
      options.logger.warn("telegram rate limited; waiting", {
        method: options.method,
        retryAfterSeconds: seconds,
        attempt,
      }),
    giveUp: ({ retryAfterSeconds: seconds, attempt, error }) =>
      new TelegramChannelError(
        "TELEGRAM_API_ERROR",
        `Telegram kept rate limiting ${options.method} (429, retry after ${seconds} s, attempt ${attempt}): ` +
          "the bot sends too fast for this chat; fewer or shorter replies help",
        { cause: error },
      ),
  });
}

export interface SendTelegramTextOptions {
  api: Api;
  accountId: string;
  chatId: string;
  text: string;
  threadId?: string;
  replyTo?: string;
  signal: AbortSignal;
  logger: ChannelLogger;
  policy?: RateLimitPolicy;
  /** "plain" skips the MarkdownV2 conversion. */
  textFormat?: "markdown" | "plain";
}

/**
 * Sends `text` as MarkdownV2 converted from the agent's Markdown; when Telegram cannot parse the entities the
 * same text goes out again as plain text, so a formatting slip never loses a reply.
 */
export async function sendTelegramText(options: SendTelegramTextOptions): Promise<{ messageId: string }> {
  const { api, chatId, text, signal, logger } = options;
  const retry = {
    policy: options.policy ?? DEFAULT_RATE_LIMIT_POLICY,
    signal,
    logger,
    method: "sendMessage",
  };
  const placement = {
    ...(options.threadId === undefined ? {} : { message_thread_id: Number(options.threadId) }),
    ...(options.replyTo === undefined
      ? {}
      : { reply_parameters: { message_id: Number(options.replyTo), allow_sending_without_reply: true } }),
  };
  if (options.textFormat === "plain") {
    try {
      const sent = await withRateLimitRetry(
        () => api.sendMessage(chatId, text, placement, toGrammySignal(signal)),
        retry,
      );
      return { messageId: String(sent.message_id) };
    } catch (error) {
      throw toTelegramChannelError(error, options.accountId);
    }
  }
  try {
    const formatted = markdownToTelegramMarkdownV2(text);
    const sent = await withRateLimitRetry(
      () =>
        api.sendMessage(
          chatId,
          formatted,
          { ...placement, parse_mode: "MarkdownV2" },
          toGrammySignal(signal),
        ),
      retry,
    );
    return { messageId: String(sent.message_id) };
  } catch (error) {
    if (!isEntityParseError(error)) throw toTelegramChannelError(error, options.accountId);
    logger.debug("telegram rejected the MarkdownV2; resending as plain text", { chatId });
  }
  try {
    const sent = await withRateLimitRetry(
      () => api.sendMessage(chatId, text, placement, toGrammySignal(signal)),
      retry,
    );
    return { messageId: String(sent.message_id) };
  } catch (error) {
    throw toTelegramChannelError(error, options.accountId);
  }
}
