import { DiscordChannelError } from "./discord-channel-error.js";
import type { DiscordConfig } from "./discord-config.js";

/** Read only for the default account, so a named account never silently borrows another bot's token. */
export const DISCORD_BOT_TOKEN_ENV = "DISCORD_BOT_TOKEN";

/** `token` from config beats `DISCORD_BOT_TOKEN` (default account only). */
export function resolveBotToken(
  config: Pick<DiscordConfig, "token">,
  accountId: string,
  env: NodeJS.ProcessEnv = process.env,
): string {
  if (config.token !== undefined) return config.token;
  const fromEnv = accountId === "default" ? env[DISCORD_BOT_TOKEN_ENV]?.trim() : undefined;
  if (fromEnv) return fromEnv.replace(/^Bot\s+/i, "");
  const key = accountId === "default" ? "channels.discord" : `channels.discord.accounts.${accountId}`;
  throw new DiscordChannelError(
    "DISCORD_TOKEN_MISSING",
    `Discord account "${accountId}" has no bot token: run \`openclaw config set ${key}.token <token>\` ` +
      "(Developer Portal > your application > Bot > Reset Token)" +
      (accountId === "default" ? `, or set ${DISCORD_BOT_TOKEN_ENV}` : ""),
  );
}
