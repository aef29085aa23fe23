export { TELEGRAM_BOT_TOKEN_ENV } from "./resolve-bot-token.js";
export type { TelegramAccountHandle } from "./telegram-account.js";
export { TelegramChannelError, type TelegramChannelErrorCode } from "./telegram-channel-error.js";
export {
  DEFAULT_TELEGRAM_API_ROOT,
  type TelegramConfig,
  type TelegramConfigInput,
  TelegramConfigSchema,
} from "./telegram-config.js";
export { TELEGRAM_MAX_DOWNLOAD_BYTES, TelegramFileTooBigError } from "./telegram-file-download.js";
export { markdownToTelegramMarkdownV2 } from "./telegram-markdown.js";
export {
  createTelegramPlugin,
  TELEGRAM_MAX_TEXT_LENGTH,
  telegramPlugin,
  telegramPlugin as default,
} from "./telegram-plugin.js";
export { TELEGRAM_REACTION_EMOJI, toTelegramReactionEmoji } from "./telegram-reactions.js";
export { TELEGRAM_MAX_CAPTION_LENGTH, TELEGRAM_MAX_UPLOAD_BYTES } from "./telegram-send-media.js";
