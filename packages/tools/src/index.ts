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
export { ToolError, type ToolErrorCode } from "./tool-error.js";
