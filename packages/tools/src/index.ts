export { createCronTool } from "./automation/cron-tool.js";
export { CronToolSchema } from "./automation/cron-tool-schema.js";
export { ApplyPatchArgsSchema, type ApplyPatchResult } from "./fs/apply-patch-tool.js";
export { EditArgsSchema, type EditResult } from "./fs/edit-tool.js";
export { type FsToolsConfig, FsToolsConfigSchema } from "./fs/fs-config.js";
export { type FsPolicy, type FsToolsOptions, parseToolArgs } from "./fs/fs-tool-context.js";
export { createFsTools } from "./fs/fs-tools.js";
export { ReadArgsSchema, type ReadResult } from "./fs/read-tool.js";
export {
  isInside,
  PATH_MAX_CHARS,
  resolveWorkspacePath,
  type WorkspacePathOptions,
} from "./fs/workspace-path.js";
export { WriteArgsSchema, type WriteResult } from "./fs/write-tool.js";
export type { ToolImage } from "./media/image-model-output.js";
export {
  IMAGE_MAX_BYTES,
  IMAGE_MEDIA_TYPES,
  type ImageMediaType,
  sniffImageType,
} from "./media/image-sniff.js";
export type { ImageFetcher } from "./media/image-source.js";
export {
  createViewImageTool,
  ViewImageArgsSchema,
  type ViewImageResult,
  type ViewImageToolOptions,
} from "./media/view-image-tool.js";
export {
  type MemorySearchConfig,
  MemorySearchConfigSchema,
  mergeMemorySearchConfig,
} from "./memory/memory-config.js";
export { memoryRecallPromptSection } from "./memory/memory-recall-prompt.js";
export {
  createMemoryTools,
  MemoryGetArgsSchema,
  type MemoryGetToolResult,
  MemorySearchArgsSchema,
  type MemorySearchToolResult,
  type MemoryToolsOptions,
} from "./memory/memory-tools.js";
export { createMessageTool } from "./messaging/message-tool.js";
export { resolveGroupToolRule } from "./policy/channel-group-tool-policy.js";
export {
  CORE_TOOL_DEFINITIONS,
  CORE_TOOL_GROUPS,
  coreToolDefinition,
  coreToolGroups,
  normalizeToolName,
  PLUGIN_TOOLS_GROUP,
  profileAllowlist,
  TOOL_PROFILE_IDS,
  TOOL_SECTIONS,
  type ToolProfileId,
  type ToolSectionId,
} from "./policy/core-tool-catalog.js";
export {
  evaluateTool,
  filterTools,
  partitionTools,
  type RemovedTool,
  type ResolvedToolPolicy,
  type ToolPolicyLayer,
  type ToolVerdict,
} from "./policy/filter-tools.js";
export { DEFAULT_HTTP_TOOL_DENY, httpToolDenyLayers } from "./policy/http-tool-deny.js";
export {
  resolveToolPolicy,
  type ToolPolicyContext,
  type ToolPolicySource,
} from "./policy/resolve-tool-policy.js";
export { matchToolsBySender, type SenderIdentity } from "./policy/sender-tool-policy.js";
export type { ToolDescriptor } from "./policy/tool-pattern.js";
export {
  GatewayHttpToolsConfigSchema,
  refuseAllowWithAlsoAllow,
  TOOL_POLICY_CONFIG_FIELDS,
  type ToolPolicyConfig,
  ToolPolicyConfigSchema,
  type ToolPolicyRule,
  ToolPolicyRuleSchema,
} from "./policy/tool-policy-config.js";
export { describeUnknownToolNames } from "./policy/unknown-tool-names.js";
export type {
  CronCaller,
  CronJobFields,
  CronJobView,
  CronPage,
  CronPort,
  CronRunOutcome,
  CronSchedulerStatus,
} from "./ports/cron-port.js";
export type { MessagingPort, OutboundMessage, OutboundReceipt } from "./ports/messaging-port.js";
export {
  type AgentInfo,
  type HistoryEntry,
  SESSION_TOOL_KINDS,
  type SessionInfo,
  type SessionListQuery,
  type SessionSendOutcome,
  type SessionSendRequest,
  type SessionsPort,
  type SessionToolKind,
  type SpawnLimits,
  type SpawnOutcome,
  type SpawnRequest,
} from "./ports/sessions-port.js";
export { createSessionTools } from "./sessions/create-session-tools.js";
export type { SessionToolsOptions } from "./sessions/session-tool-target.js";
export {
  AgentToAgentConfigSchema,
  resolveSessionToolSettings,
  SESSION_VISIBILITIES,
  type SessionToolSettings,
  SessionToolsConfigSchema,
  type SessionVisibility,
  SUBAGENT_DEFAULTS,
  type SubagentSettings,
  type SubagentsConfig,
  SubagentsConfigSchema,
} from "./sessions/session-tools-config.js";
export {
  agentToAgentAllows,
  decideSessionAccess,
  type SessionCaller,
} from "./sessions/session-visibility.js";
export { ToolError, type ToolErrorCode } from "./tool-error.js";
export { blockedAddressRange } from "./web/address-policy.js";
export { type GuardedFetchOptions, type GuardedFetchResult, guardedFetch } from "./web/guarded-fetch.js";
export { braveSearchProvider } from "./web/search/brave-search-provider.js";
export { searxngSearchProvider } from "./web/search/searxng-search-provider.js";
export { tavilySearchProvider } from "./web/search/tavily-search-provider.js";
export type {
  WebSearchFilter,
  WebSearchHit,
  WebSearchOptions,
  WebSearchProvider,
  WebSearchProviderDefinition,
  WebSearchProviderSetup,
} from "./web/search/web-search-provider.js";
export type { HostLookup, ResolvedAddress, SsrfPolicy } from "./web/ssrf-guard.js";
export {
  BraveWebSearchSettingsSchema,
  SearxngWebSearchSettingsSchema,
  type SecretInput,
  SecretInputSchema,
  TavilyWebSearchSettingsSchema,
  type WebFetchConfig,
  WebFetchConfigSchema,
  WebFetchSsrfPolicySchema,
  type WebSearchConfig,
  WebSearchConfigSchema,
  type WebSearchToolConfig,
  type WebToolsConfig,
  WebToolsConfigSchema,
  webSearchToolConfigFrom,
} from "./web/web-config.js";
export {
  createWebFetchTool,
  WebFetchArgsSchema,
  type WebFetchResult,
  type WebFetchToolOptions,
} from "./web/web-fetch-tool.js";
export {
  BUILT_IN_WEB_SEARCH_PROVIDERS,
  createWebSearchTool,
  selectWebSearchProvider,
  WebSearchArgsSchema,
  type WebSearchResult,
  type WebSearchToolOptions,
} from "./web/web-search-tool.js";
