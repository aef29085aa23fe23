import { readFile } from "node:fs/promises";
import { TelegramChannelError } from "./telegram-channel-error.js";
import type { TelegramConfig } from "./telegram-config.js";

/** Read only for the default account, so a named account never silently borrows another bot's token. */
export const TELEGRAM_BOT_TOKEN_ENV = "TELEGRAM_BOT_TOKEN";

/** `tokenFile` beats `botToken`, which beats `TELEGRAM_BOT_TOKEN` (default account only). */
export async function resolveBotToken(
  config: Pick<TelegramConfig, "botToken" | "tokenFile">,
  accountId: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  if (config.tokenFile !== undefined) {
    let text: string;
    try {
      text = await readFile(config.tokenFile, "utf8");
    } catch (error) {
      throw new TelegramChannelError(
        "TELEGRAM_TOKEN_FILE_UNREADABLE",
        `cannot read the Telegram bot token file ${config.tokenFile} (${(error as NodeJS.ErrnoException).code ?? "error"}): ` +
          "check the path in channels.telegram.tokenFile and that the gateway may read it",
        { cause: error },
      );
    }
    const token = text.trim();
    if (token.length > 0) return token;
    throw new TelegramChannelError(
      "TELEGRAM_TOKEN_MISSING",
      `the Telegram bot token file ${config.tokenFile} is empty: write the token from @BotFather into it`,
    );
  }
  if (config.botToken !== undefined) return config.botToken;
  const fromEnv = accountId === "default" ? env[TELEGRAM_BOT_TOKEN_ENV]?.trim() : undefined;
  if (fromEnv) return fromEnv;
  const key = accountId === "default" ? "channels.telegram" : `channels.telegram.accounts.${accountId}`;
  throw new TelegramChannelError(
    "TELEGRAM_TOKEN_MISSING",
    `Telegram account "${accountId}" has no bot token: run \`openclaw config set ${key}.botToken <token>\` ` +
      `(the token from @BotFather), set ${key}.tokenFile to a file holding it` +
      (accountId === "default" ? `, or set ${TELEGRAM_BOT_TOKEN_ENV}` : ""),
  );
}
