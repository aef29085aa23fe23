export { dmChannelOf } from "./fake-slack-conversations.js";
export type { FakeSlackFileDownload } from "./fake-slack-files.js";
export { startFakeSlackServer } from "./fake-slack-server.js";
export { FakeSlackServerError, type FakeSlackServerErrorCode } from "./fake-slack-server-error.js";
export type {
  FakeSlackCall,
  FakeSlackChannel,
  FakeSlackChannelMessage,
  FakeSlackDelivery,
  FakeSlackDirectMessage,
  FakeSlackFailure,
  FakeSlackFileInput,
  FakeSlackMessage,
  FakeSlackPosted,
  FakeSlackReactionCall,
  FakeSlackReactionInput,
  FakeSlackServer,
  FakeSlackServerOptions,
  FakeSlackSlashCommandInput,
  FakeSlackUpload,
  FakeSlackUser,
} from "./fake-slack-types.js";
export {
  decodeSlackEntities,
  type SlackEnvelope,
  type SlackEvent,
  type SlackEventCallback,
  type SlackFile,
  type SlackMessageEvent,
  type SlackReactionEvent,
  type SlackSlashCommandPayload,
} from "./slack-objects.js";
