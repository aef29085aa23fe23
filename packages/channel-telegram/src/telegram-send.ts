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

/** What every outbound call needs besides its own parameters. */
export interface TelegramCallContext {
  api: Api;
  accountId: string;
  signal: AbortSignal;
  logger: ChannelLogger;
  policy?: RateLimitPolicy;
  /** "plain" skips the MarkdownV2 conversion. */
  textFormat?: "markdown" | "plain";
}

/**
 * Calls `call` with `text` converted from the agent's Markdown to MarkdownV2; when Telegram cannot parse the
 * entities, calls it again with the plain text, so a formatting slip never loses a message. Retries 429s and turns
 * failures into {@link TelegramChannelError}s. Used for messages, edits and captions alike.
 */
export async function callWithFormattedText<T>(
  context: TelegramCallContext,
  method: string,
  text: string,
  call: (
    text: string,
    parseMode: "MarkdownV2" | undefined,
    signal: ReturnType<typeof toGrammySignal>,
  ) => Promise<T>,
): Promise<T> {
  const { signal, logger } = context;
  const retry = { policy: context.policy ?? DEFAULT_RATE_LIMIT_POLICY, signal, logger, method };
  const grammySignal = toGrammySignal(signal);
  if (context.textFormat !== "plain") {
    try {
      const formatted = markdownToTelegramMarkdownV2(text);
      return await withRateLimitRetry(() => call(formatted, "MarkdownV2", grammySignal), retry);
    } catch (error) {
      if (!isEntityParseError(error)) throw toTelegramChannelError(error, context.accountId);
      logger.debug("telegram rejected the MarkdownV2; resending as plain text", { method });
    }
  }
  try {
    return await withRateLimitRetry(() => call(text, undefined, grammySignal), retry);
  } catch (error) {
    throw toTelegramChannelError(error, context.accountId);
  }
}

/** Telegram's `message_thread_id` and `reply_parameters` for a message sent into a topic or as a reply. */
export function placement(threadId: string | undefined, replyTo: string | undefined) {
  return {
    ...(threadId === undefined ? {} : { message_thread_id: Number(threadId) }),
    ...(replyTo === undefined
      ? {}
      : { reply_parameters: { message_id: Number(replyTo), allow_sending_without_reply: true } }),
  };
}

export interface SendTelegramTextOptions extends TelegramCallContext {
  chatId: string;
  text: string;
  threadId?: string;
  replyTo?: string;
}

/** Sends `text` as MarkdownV2 converted from the agent's Markdown, with the plain-text fallback. */
export async function sendTelegramText(options: SendTelegramTextOptions): Promise<{ messageId: string }> {
  const where = placement(options.threadId, options.replyTo);
  const sent = await callWithFormattedText(options, "sendMessage", options.text, (text, parseMode, signal) =>
    options.api.sendMessage(
      options.chatId,
      text,
      parseMode === undefined ? where : { ...where, parse_mode: parseMode },
      signal,
    ),
  );
  return { messageId: String(sent.message_id) };
}
