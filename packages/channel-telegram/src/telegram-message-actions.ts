import { GrammyError } from "grammy";
import { toGrammySignal } from "./grammy-signal.js";
import { toTelegramChannelError } from "./telegram-api-failure.js";
import { toTelegramReactionEmoji } from "./telegram-reactions.js";
import {
  callWithFormattedText,
  DEFAULT_RATE_LIMIT_POLICY,
  type TelegramCallContext,
  withRateLimitRetry,
} from "./telegram-send.js";

const isBadRequest = (error: unknown, pattern: RegExp) =>
  error instanceof GrammyError && error.error_code === 400 && pattern.test(error.description);

/**
 * Replaces a message's text (live drafts), with the same MarkdownV2 conversion and plain fallback as sending.
 * Telegram's "message is not modified" means the text is already what we wanted: success.
 */
export async function editTelegramText(
  context: TelegramCallContext,
  target: { chatId: string; messageId: string; text: string },
): Promise<void> {
  await callWithFormattedText(context, "editMessageText", target.text, (text, parseMode, signal) =>
    context.api
      .editMessageText(
        target.chatId,
        Number(target.messageId),
        text,
        parseMode === undefined ? {} : { parse_mode: parseMode },
        signal,
      )
      .then(
        () => undefined,
        (error: unknown) => {
          if (isBadRequest(error, /message is not modified/i)) return undefined;
          throw error;
        },
      ),
  );
}

/** Deletes a message the bot sent; one that is already gone counts as deleted. */
export async function deleteTelegramMessage(
  context: TelegramCallContext,
  target: { chatId: string; messageId: string },
): Promise<void> {
  const retry = {
    policy: context.policy ?? DEFAULT_RATE_LIMIT_POLICY,
    signal: context.signal,
    logger: context.logger,
    method: "deleteMessage",
  };
  try {
    await withRateLimitRetry(
      () =>
        context.api.deleteMessage(target.chatId, Number(target.messageId), toGrammySignal(context.signal)),
      retry,
    );
  } catch (error) {
    if (isBadRequest(error, /message to delete not found/i)) {
      context.logger.debug("telegram message to delete was already gone", { chatId: target.chatId });
      return;
    }
    throw toTelegramChannelError(error, context.accountId);
  }
}

/**
 * Sets (or with `remove`, clears) the bot's reaction. Telegram takes only its fixed emoji set: another emoji is
 * mapped to the closest one, or skipped with a debug log, as is a chat that restricts reactions further.
 */
export async function reactOnTelegram(
  context: TelegramCallContext,
  target: { chatId: string; messageId: string; emoji: string; remove?: boolean },
): Promise<void> {
  let reaction: { type: "emoji"; emoji: string }[] = [];
  if (target.remove !== true) {
    const emoji = toTelegramReactionEmoji(target.emoji);
    if (emoji === undefined) {
      context.logger.debug("telegram has no reaction for this emoji; skipped", { emoji: target.emoji });
      return;
    }
    reaction = [{ type: "emoji", emoji }];
  }
  const retry = {
    policy: context.policy ?? DEFAULT_RATE_LIMIT_POLICY,
    signal: context.signal,
    logger: context.logger,
    method: "setMessageReaction",
  };
  try {
    await withRateLimitRetry(
      () =>
        context.api.setMessageReaction(
          target.chatId,
          Number(target.messageId),
          // grammY types the emoji as Telegram's literal union; toTelegramReactionEmoji only returns members of it.
          reaction as Parameters<typeof context.api.setMessageReaction>[2],
          {},
          toGrammySignal(context.signal),
        ),
      retry,
    );
  } catch (error) {
    if (isBadRequest(error, /REACTION_INVALID/)) {
      context.logger.debug("telegram chat does not allow this reaction; skipped", { emoji: target.emoji });
      return;
    }
    throw toTelegramChannelError(error, context.accountId);
  }
}
