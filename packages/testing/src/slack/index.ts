export type {
  FakeSlackCall,
  FakeSlackChannel,
  FakeSlackChannelMessage,
  FakeSlackDelivery,
  FakeSlackDirectMessage,
  FakeSlackFailure,
  FakeSlackPosted,
  FakeSlackServer,
  FakeSlackServerOptions,
  FakeSlackUser,
} from "./fake-slack-server.js";
export { startFakeSlackServer } from "./fake-slack-server.js";
export { FakeSlackServerError, type FakeSlackServerErrorCode } from "./fake-slack-server-error.js";
export {
  decodeSlackEntities,
  type SlackEnvelope,
  type SlackEvent,
  type SlackEventCallback,
} from "./slack-objects.js";
