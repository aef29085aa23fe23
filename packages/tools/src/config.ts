// The light face of @openclaw/tools: the tool policy, the config schemas, the ports' types and ToolError. A gateway
// imports this at start; the tools themselves (and their parameter schemas) load from the main entry on first use.
export { type FsToolsConfig, FsToolsConfigSchema } from "./fs/fs-config.js";
export {
  type MemorySearchConfig,
  MemorySearchConfigSchema,
  mergeMemorySearchConfig,
} from "./memory/memory-config.js";
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
export type { NodeInvokeCall, NodesPort } from "./ports/nodes-port.js";
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
export { ToolError, type ToolErrorCode } from "./tool-error.js";
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
