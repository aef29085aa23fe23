export { AgentError, type AgentErrorCode } from "./agent-error.js";
export { createAgentRuntime } from "./agent-runtime.js";
export { MAX_MODEL_IMAGE_BYTES, modelSeesImages } from "./attachment-content.js";
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
  type ProviderKeyRef,
  ProviderKeyRefSchema,
} from "./config-schema.js";
export { type ModelPrice, modelPrice, type TokenCost, tokenCost } from "./model-pricing.js";
export type {
  AgentObservation,
  AgentObserver,
  ModelCallObservation,
  ObservedTokens,
  RunEndObservation,
  RunFirstTokenObservation,
  RunStartObservation,
  ToolCallObservation,
} from "./observation.js";
export { type SessionLock, SessionLockError } from "./session-lock.js";
export {
  modelReasons,
  normalizeThinkingLevel,
  resolveThinkingLevel,
  THINKING_LEVELS,
  type ThinkingLevel,
} from "./thinking-level.js";
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
  AttachmentKind,
  ModelListing,
  ProviderCredentials,
  QueueMode,
  ResolvedModelRef,
  RetryOptions,
  RunAttachment,
  RunPreparation,
  RunPreparationInput,
  RunSnapshot,
  TokenUsage,
  ToolContext,
  ToolModelOutput,
  ToolRegistry,
  TranscriptEntry,
  TranscriptMedia,
  TranscriptSink,
} from "./types.js";
