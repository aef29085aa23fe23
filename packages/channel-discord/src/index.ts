export { DISCORD_INTENTS, type DiscordAccountHandle } from "./discord-account.js";
export { DiscordChannelError, type DiscordChannelErrorCode } from "./discord-channel-error.js";
export {
  DEFAULT_DISCORD_API_BASE_URL,
  type DiscordConfig,
  type DiscordConfigInput,
  DiscordConfigSchema,
} from "./discord-config.js";
export { createDiscordPlugin, discordPlugin, discordPlugin as default } from "./discord-plugin.js";
export { DISCORD_MAX_TEXT_LENGTH } from "./discord-send.js";
export { DISCORD_MAX_UPLOAD_BYTES } from "./discord-send-media.js";
export { DISCORD_BOT_TOKEN_ENV } from "./resolve-bot-token.js";
