export {
  SLACK_APP_TOKEN_ENV,
  SLACK_BOT_TOKEN_ENV,
  SLACK_SIGNING_SECRET_ENV,
} from "./resolve-slack-credentials.js";
export type { SlackAccountHandle } from "./slack-account.js";
export { SlackChannelError, type SlackChannelErrorCode } from "./slack-channel-error.js";
export {
  DEFAULT_SLACK_API_URL,
  type SlackConfig,
  type SlackConfigInput,
  SlackConfigSchema,
} from "./slack-config.js";
export { escapeSlackText, markdownToSlackMrkdwn } from "./slack-mrkdwn.js";
export {
  createSlackPlugin,
  SLACK_MAX_TEXT_LENGTH,
  slackPlugin,
  slackPlugin as default,
} from "./slack-plugin.js";
