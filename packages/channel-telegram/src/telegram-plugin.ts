import { type ChannelPlugin, createAccountRegistry, defineChannelPlugin } from "@openclaw/plugin-sdk";
import { toGrammySignal } from "./grammy-signal.js";
import { startTelegramAccount, type TelegramAccountRuntime } from "./telegram-account.js";
import { toTelegramChannelError } from "./telegram-api-failure.js";
import { TelegramChannelError } from "./telegram-channel-error.js";
import { type TelegramConfig, TelegramConfigSchema } from "./telegram-config.js";
import { DEFAULT_RATE_LIMIT_POLICY, sendTelegramText, withRateLimitRetry } from "./telegram-send.js";

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

  return defineChannelPlugin<TelegramConfig>({
    apiVersion: 1,
    id: "telegram",
    meta: {
      label: "Telegram",
      description: "Telegram bots over the Bot API (grammY): DMs, groups with mention gating, forum topics.",
    },
    configSchema: TelegramConfigSchema,
    platformEndpoint: (config) => ({ url: config.apiRoot, configKey: "apiRoot" }),
    capabilities: {
      dms: true,
      groups: true,
      threads: true,
      reactions: false,
      typing: true,
      media: false,
      edits: true,
      maxTextLength: TELEGRAM_MAX_TEXT_LENGTH,
    },

    startAccount: (context) =>
      startTelegramAccount(context, (runtime) => {
        return accounts.register(runtime);
      }),

    async sendText({ accountId, to, text, threadId, replyTo }) {
      const runtime = runningAccount(accountId);
      return sendTelegramText({
        api: runtime.bot.api,
        accountId,
        chatId: to,
        text,
        signal: runtime.signal,
        logger: runtime.logger,
        textFormat: runtime.textFormat,
        ...(threadId === undefined ? {} : { threadId }),
        ...(replyTo === undefined ? {} : { replyTo }),
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
