export type {
  FakeTelegramCall,
  FakeTelegramChat,
  FakeTelegramFailure,
  FakeTelegramInbound,
  FakeTelegramSent,
  FakeTelegramServer,
  FakeTelegramServerOptions,
  FakeTelegramUser,
  TelegramMessage,
  TelegramMessageEntity,
  TelegramUpdate,
} from "./fake-telegram-server.js";
export { startFakeTelegramServer } from "./fake-telegram-server.js";
export { FakeTelegramServerError, type FakeTelegramServerErrorCode } from "./fake-telegram-server-error.js";
