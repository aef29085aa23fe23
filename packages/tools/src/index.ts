export { createCronTool } from "./automation/cron-tool.js";
export { CronToolSchema } from "./automation/cron-tool-schema.js";
export * from "./config.js";
export { ApplyPatchArgsSchema, type ApplyPatchResult } from "./fs/apply-patch-tool.js";
export { EditArgsSchema, type EditResult } from "./fs/edit-tool.js";
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
export { createNodesTool, NodesToolSchema } from "./nodes/nodes-tool.js";
export { createSessionTools } from "./sessions/create-session-tools.js";
export type { SessionToolsOptions } from "./sessions/session-tool-target.js";
export {
  agentToAgentAllows,
  decideSessionAccess,
  type SessionCaller,
} from "./sessions/session-visibility.js";
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
export { resolvePermittedAddress, systemHostLookup } from "./web/ssrf-guard.js";
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
