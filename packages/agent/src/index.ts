export { AgentError, type AgentErrorCode } from "./agent-error.js";
export { createAgentRuntime } from "./agent-runtime.js";
export {
  type AgentDefaults,
  AgentDefaultsSchema,
  type AgentEntry,
  AgentEntrySchema,
  type AgentRuntimeConfig,
  type ModelEntry,
  type ModelsConfig,
  ModelsConfigSchema,
  type ProviderApi,
  type ProviderConfig,
} from "./config-schema.js";
export { createToolRegistry } from "./tool-registry.js";
export type {
  AcceptedRun,
  AgentLogger,
  AgentRunEvent,
  AgentRunHandle,
  AgentRunRequest,
  AgentRunResult,
  AgentRunStatus,
  AgentRunStream,
  AgentRuntime,
  AgentRuntimeOptions,
  AgentTool,
  ModelListing,
  QueueMode,
  ResolvedModelRef,
  RetryOptions,
  RunSnapshot,
  TokenUsage,
  ToolContext,
  ToolRegistry,
  TranscriptEntry,
  TranscriptSink,
} from "./types.js";
