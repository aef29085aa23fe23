export type {
  DiscordChannel,
  DiscordMessage,
  DiscordUser,
  FakeDiscordUser,
} from "./discord-objects.js";
export type {
  FakeDiscordGuildMessage,
  FakeDiscordRequest,
  FakeDiscordSentMessage,
  FakeDiscordServer,
  FakeDiscordServerOptions,
  FakeDiscordThreadMessage,
} from "./fake-discord-server.js";
export { startFakeDiscordServer } from "./fake-discord-server.js";
export { FakeDiscordServerError, type FakeDiscordServerErrorCode } from "./fake-discord-server-error.js";
