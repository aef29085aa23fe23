export type {
  FakeTelegramCall,
  FakeTelegramChat,
  FakeTelegramFailure,
  FakeTelegramInbound,
  FakeTelegramInboundMedia,
  FakeTelegramInboundReaction,
  FakeTelegramMediaKind,
  FakeTelegramSent,
  FakeTelegramServer,
  FakeTelegramServerOptions,
  FakeTelegramUpload,
  FakeTelegramUploadMethod,
  FakeTelegramUser,
  TelegramMessage,
  TelegramMessageEntity,
  TelegramUpdate,
} from "./fake-telegram-server.js";
export { startFakeTelegramServer } from "./fake-telegram-server.js";
export { FakeTelegramServerError, type FakeTelegramServerErrorCode } from "./fake-telegram-server-error.js";
export { TELEGRAM_REACTION_EMOJI } from "./reactions.js";
