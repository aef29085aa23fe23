export { type AccountRegistry, createAccountRegistry } from "./account-registry.js";
export {
  CHANNEL_STATE_KEY_PATTERN,
  type ChannelAccountState,
  MAX_CHANNEL_STATE_VALUE_BYTES,
} from "./channel-account-state.js";
export {
  type DeleteMessageOptions,
  type EditTextOptions,
  type InboundMedia,
  InboundMediaSchema,
  type InboundReaction,
  InboundReactionSchema,
  MAX_DESCRIBED_MEDIA_ITEMS,
  MAX_INBOUND_MEDIA_ITEMS,
  type MediaDownloadOptions,
  type MediaKind,
  MediaKindSchema,
  MediaTooLargeError,
  type NativeCommand,
  type ReactOptions,
  readBodyCapped,
} from "./channel-media.js";
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
  type SenderIdSpelling,
  type SendMediaOptions,
  type SendTextOptions,
  type SendTypingOptions,
  validateChannelPlugin,
} from "./channel-plugin.js";
export { CHANNEL_PLUGIN_API_VERSION, isCompatiblePluginApiVersion } from "./channel-plugin-api-version.js";
export { chunkText } from "./chunk-text.js";
export { type DetectMentionOptions, detectMention } from "./detect-mention.js";
export {
  defineGatewayMethod,
  GATEWAY_METHOD_API_VERSION,
  type GatewayMethod,
  type GatewayMethodV1,
  GatewayMethodV1Schema,
  validateGatewayMethod,
  validateGatewayMethods,
} from "./gateway-method.js";
export type { GatewayMethodContext, GatewayMethodLogger } from "./gateway-method-context.js";
export {
  assertPluginEventName,
  GATEWAY_METHOD_NAME_MAX_LENGTH,
  GATEWAY_METHOD_NAME_PATTERN,
  gatewayMethodNameProblem,
  gatewayMethodNamespace,
  RESERVED_METHOD_NAMESPACES,
} from "./gateway-method-name.js";
export {
  type ChatKind,
  ChatKindSchema,
  type InboundMessage,
  InboundMessageSchema,
} from "./inbound-message.js";
export { convertMarkdownBlocks, type MarkdownBlockRenderer } from "./markdown-blocks.js";
export { definePluginBundle, type PluginBundle, type PluginBundleV1 } from "./plugin-bundle.js";
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
