export { type AccountRegistry, createAccountRegistry } from "./account-registry.js";
export {
  type ChannelAccountContext,
  type ChannelAccountHandle,
  type ChannelCapabilities,
  ChannelCapabilitiesSchema,
  type ChannelLogger,
  type ChannelPlugin,
  type ChannelPluginV1,
  type ChannelQrLogin,
  defineChannelPlugin,
  type OutboundMedia,
  type ProbeOptions,
  parseChannelAccountConfig,
  type QrLoginStartOptions,
  type QrLoginState,
  type QrLoginWaitOptions,
  type SendMediaOptions,
  type SendTextOptions,
  type SendTypingOptions,
  validateChannelPlugin,
} from "./channel-plugin.js";
export { CHANNEL_PLUGIN_API_VERSION, isCompatiblePluginApiVersion } from "./channel-plugin-api-version.js";
export { chunkText } from "./chunk-text.js";
export { type DetectMentionOptions, detectMention } from "./detect-mention.js";
export {
  type ChatKind,
  ChatKindSchema,
  type InboundMessage,
  InboundMessageSchema,
} from "./inbound-message.js";
export { convertMarkdownBlocks, type MarkdownBlockRenderer } from "./markdown-blocks.js";
export { PluginError, type PluginErrorCode, type PluginIssue } from "./plugin-error.js";
export {
  DEFAULT_RATE_LIMIT_POLICY,
  type RateLimitPolicy,
  type RateLimitRetryOptions,
  retryOnRateLimit,
  waitSeconds,
} from "./rate-limit-retry.js";
export {
  type ChannelAccount,
  DEFAULT_ACCOUNT_ID,
  resolveChannelAccounts,
} from "./resolve-channel-accounts.js";
export {
  accountConfigPath,
  ChannelStartTimeoutError,
  DEFAULT_START_TIMEOUT_MS,
  type PlatformEndpoint,
  startTimeoutError,
} from "./start-deadline.js";
