import type { ChannelLogger } from "@openclaw/plugin-sdk";
import type { Api } from "grammy";
import { toGrammySignal } from "./grammy-signal.js";
import { isEntityParseError, retryAfterSeconds, toTelegramChannelError } from "./telegram-api-failure.js";
import { TelegramChannelError } from "./telegram-channel-error.js";
import { markdownToTelegramMarkdownV2 } from "./telegram-markdown.js";

export interface RateLimitPolicy {
  /** Calls per send, the first included. */
  maxAttempts: number;
  /** A longer `retry_after` fails at once: the reply would arrive too late to matter. */
  maxRetryAfterSeconds: number;
}

export const DEFAULT_RATE_LIMIT_POLICY: RateLimitPolicy = { maxAttempts: 4, maxRetryAfterSeconds: 60 };

function waitSeconds(seconds: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, seconds * 1000);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** Calls `call` again after each 429, waiting Telegram's `retry_after`, up to the policy's bounds. */
export async function withRateLimitRetry<T>(
  call: () => Promise<T>,
  options: { policy: RateLimitPolicy; signal: AbortSignal; logger: ChannelLogger; method: string },
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      const retryAfter = retryAfterSeconds(error);
      if (retryAfter === undefined) throw error;
      if (attempt >= options.policy.maxAttempts || retryAfter > options.policy.maxRetryAfterSeconds) {
        throw new TelegramChannelError(
          "TELEGRAM_API_ERROR",
          `Telegram kept rate limiting ${options.method} (429, retry after ${retryAfter} s, attempt ${attempt}): ` +
            "the bot sends too fast for this chat; fewer or shorter replies help",
          { cause: error },
        );
      }
      options.logger.warn("telegram rate limited; waiting", {
        method: options.method,
        retryAfterSeconds: retryAfter,
        attempt,
      });
      await waitSeconds(retryAfter, options.signal);
    }
  }
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
