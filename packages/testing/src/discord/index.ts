export type {
  DiscordAttachment,
  DiscordChannel,
  DiscordMessage,
  DiscordStickerFormat,
  DiscordStickerItem,
  DiscordUser,
  FakeDiscordUser,
} from "./discord-objects.js";
export { IS_VOICE_MESSAGE_FLAG } from "./discord-objects.js";
export type { FakeDiscordGatewayStats } from "./fake-discord-gateway.js";
export type {
  FakeDiscordAttachmentInput,
  FakeDiscordReactionInput,
  FakeDiscordStickerInput,
} from "./fake-discord-inbound.js";
export type { FakeDiscordInteractionInput } from "./fake-discord-interactions.js";
export type {
  FakeDiscordDirectMessage,
  FakeDiscordGuildMessage,
  FakeDiscordServer,
  FakeDiscordServerOptions,
  FakeDiscordThreadMessage,
} from "./fake-discord-server.js";
export { startFakeDiscordServer } from "./fake-discord-server.js";
export { FakeDiscordServerError, type FakeDiscordServerErrorCode } from "./fake-discord-server-error.js";
export type {
  FakeDiscordBotReaction,
  FakeDiscordCommandRegistration,
  FakeDiscordInteractionResponse,
  FakeDiscordRequest,
  FakeDiscordSentMessage,
  FakeDiscordUploadedFile,
} from "./fake-discord-state.js";
