import { type ChannelPlugin, createAccountRegistry, defineChannelPlugin } from "@openclaw/plugin-sdk";
import { toGrammySignal } from "./grammy-signal.js";
import { startTelegramAccount, type TelegramAccountRuntime } from "./telegram-account.js";
import { toTelegramChannelError } from "./telegram-api-failure.js";
import { TelegramChannelError } from "./telegram-channel-error.js";
import { type TelegramConfig, TelegramConfigSchema } from "./telegram-config.js";
import { deleteTelegramMessage, editTelegramText, reactOnTelegram } from "./telegram-message-actions.js";
import { DEFAULT_RATE_LIMIT_POLICY, sendTelegramText, withRateLimitRetry } from "./telegram-send.js";
import { sendTelegramMedia, TELEGRAM_MAX_UPLOAD_BYTES } from "./telegram-send-media.js";

/** Telegram's limit for one message's text, after entity parsing. */
export const TELEGRAM_MAX_TEXT_LENGTH = 4096;

/**
 * Creates the Telegram channel plugin. Each call has its own account table, so tests (or two gateways in one
 * process) never share running bots; the gateway uses the {@link telegramPlugin} instance.
 */
export function createTelegramPlugin(): ChannelPlugin<TelegramConfig> {
  const accounts = createAccountRegistry<TelegramAccountRuntime>(
    (accountId) =>
      new TelegramChannelError(
        "TELEGRAM_ACCOUNT_NOT_RUNNING",
        `Telegram account "${accountId}" is not running: start it with \`openclaw channels start telegram --account ${accountId}\``,
      ),
  );
  const runningAccount = accounts.running;
  /** The account's outbound call context: its API, abort signal, logger and text format. */
  const callContext = (accountId: string) => {
    const runtime = runningAccount(accountId);
    return {
      runtime,
      context: {
        api: runtime.bot.api,
        accountId,
        signal: runtime.signal,
        logger: runtime.logger,
        textFormat: runtime.textFormat,
      },
    };
  };

  return defineChannelPlugin<TelegramConfig>({
    apiVersion: 1,
    id: "telegram",
    meta: {
      label: "Telegram",
      description:
        "Telegram bots over the Bot API (grammY): DMs, groups with mention gating, forum topics, media, live edits, reactions and the command menu.",
    },
    configSchema: TelegramConfigSchema,
    platformEndpoint: (config) => ({ url: config.apiRoot, configKey: "apiRoot" }),
    capabilities: {
      dms: true,
      groups: true,
      threads: true,
      reactions: true,
      typing: true,
      media: true,
      edits: true,
      maxTextLength: TELEGRAM_MAX_TEXT_LENGTH,
      maxMediaBytes: TELEGRAM_MAX_UPLOAD_BYTES,
      nativeCommands: true,
    },

    startAccount: (context) =>
      startTelegramAccount(context, (runtime) => {
        return accounts.register(runtime);
      }),

    async sendText({ accountId, to, text, threadId, replyTo }) {
      const { runtime, context } = callContext(accountId);
      return runtime.sentMessages.track(to, async () => {
        const sent = await sendTelegramText({
          ...context,
          chatId: to,
          text,
          ...(threadId === undefined ? {} : { threadId }),
          ...(replyTo === undefined ? {} : { replyTo }),
        });
        runtime.sentMessages.remember(to, sent.messageId, threadId);
        return sent;
      });
    },

    async sendMedia({ accountId, to, media, caption, threadId, replyTo }) {
      const { runtime, context } = callContext(accountId);
      return runtime.sentMessages.track(to, async () => {
        const sent = await sendTelegramMedia({
          ...context,
          chatId: to,
          media,
          ...(caption === undefined ? {} : { caption }),
          ...(threadId === undefined ? {} : { threadId }),
          ...(replyTo === undefined ? {} : { replyTo }),
        });
        for (const messageId of [sent.messageId, ...sent.followUpIds]) {
          runtime.sentMessages.remember(to, messageId, threadId);
        }
        return { messageId: sent.messageId };
      });
    },

    async editText({ accountId, to, messageId, text }) {
      await editTelegramText(callContext(accountId).context, { chatId: to, messageId, text });
    },

    async deleteMessage({ accountId, to, messageId }) {
      await deleteTelegramMessage(callContext(accountId).context, { chatId: to, messageId });
    },

    async react({ accountId, to, messageId, emoji, remove }) {
      await reactOnTelegram(callContext(accountId).context, {
        chatId: to,
        messageId,
        emoji,
        ...(remove === undefined ? {} : { remove }),
      });
    },

    async sendTyping({ accountId, to, threadId }) {
      const runtime = runningAccount(accountId);
      try {
        await withRateLimitRetry(
          () =>
            runtime.bot.api.sendChatAction(
              to,
              "typing",
              threadId === undefined ? {} : { message_thread_id: Number(threadId) },
              toGrammySignal(runtime.signal),
            ),
          {
            policy: DEFAULT_RATE_LIMIT_POLICY,
            signal: runtime.signal,
            logger: runtime.logger,
            method: "sendChatAction",
          },
        );
      } catch (error) {
        throw toTelegramChannelError(error, accountId);
      }
    },

    async probe({ accountId, timeoutMs }) {
      const runtime = accounts.get(accountId);
      if (runtime === undefined) return { ok: false, detail: "not running" };
      try {
        const me = await runtime.bot.api.getMe(
          toGrammySignal(AbortSignal.any([runtime.signal, AbortSignal.timeout(timeoutMs)])),
        );
        return { ok: true, detail: `@${me.username}` };
      } catch (error) {
        return { ok: false, detail: toTelegramChannelError(error, accountId).message };
      }
    },
  });
}

export const telegramPlugin: ChannelPlugin<TelegramConfig> = createTelegramPlugin();
