export {
  type AuthRateLimiter,
  type AuthRateLimitOptions,
  createAuthRateLimiter,
  isLoopbackAddress,
} from "./auth/auth-rate-limiter.js";
export { BindError, type BindMode, resolveBindHost } from "./auth/bind-host.js";
export {
  type ChannelAccountRuntimeSnapshot,
  ChannelError,
  ChannelManager,
  type ChannelMeta,
  createPairingStore,
  type LazyChannelEntry,
  loadConfiguredPlugins,
  PairingError,
  type PairingStore,
  PluginRegistry,
} from "./channels/index.js";
export { ChatService, type ChatTurn, type ChatTurnRequest } from "./chat/chat-service.js";
export {
  COMPAT_TABLE_END,
  COMPAT_TABLE_START,
  countMethods,
  type MethodCounts,
  normalizeMarkdownTables,
  renderCompatibilityTable,
  replaceCompatTable,
} from "./compat/compat-table.js";
export * from "./config/index.js";
export {
  type CronClock,
  CronError,
  type CronErrorCode,
  CronService,
  type CronTimer,
  createManualCronClock,
  type ManualCronClock,
  systemCronClock,
} from "./cron/index.js";
export * from "./diagnostics/index.js";
export {
  createConsoleLogSink,
  createLogger,
  type Logger,
  type LogLevel,
  type LogRecord,
  type LogSink,
  redactLogFields,
} from "./logging/logger.js";
export {
  createRotatingFileLogSink,
  DEFAULT_LOG_MAX_ARCHIVES,
  DEFAULT_LOG_MAX_FILE_BYTES,
  LogFileError,
  type RotatingFileLogSink,
  type RotatingFileLogSinkOptions,
} from "./logging/rotating-file-sink.js";
export {
  MAX_TRACED_RUNS,
  type RunLogTrace,
  RunTraceIndex,
  withRunLogContext,
} from "./logging/run-log-context.js";
export * from "./reload/index.js";
export type { BroadcastHub, BroadcastTarget } from "./runtime/broadcast-hub.js";
export { GatewayConfigState } from "./runtime/config-state.js";
export { createGatewayRuntime, type GatewayRuntimeHandle } from "./runtime/create-gateway-runtime.js";
export {
  type GatewayLogging,
  type GatewayLoggingOptions,
  openGatewayLogging,
} from "./runtime/gateway-logging.js";
export type { BindInfo, GatewayRuntime } from "./runtime/gateway-runtime.js";
export type {
  GatewayAuthOptions,
  GatewayClock,
  GatewayRuntimeDeps,
  GatewayTelemetry,
  GatewayTelemetryContext,
  GatewayTelemetryStarter,
  StorageOption,
} from "./runtime/gateway-runtime-deps.js";
export { GatewayStartError } from "./runtime/gateway-start-error.js";
export type {
  ExtraMethod,
  MethodHandler,
  MethodRegistry,
  RequestContext,
} from "./runtime/method-registry.js";
export { PresenceRegistry } from "./runtime/presence-registry.js";
export {
  type OpenedSessionStore,
  type OpenSessionStoreOptions,
  openSessionStore,
} from "./runtime/session-storage.js";
export { startGateway } from "./server/gateway-server.js";
export {
  GATEWAY_VERSION,
  type GatewayServer,
  type StartGatewayOptions,
} from "./server/gateway-server-options.js";
export * from "./tailscale/index.js";
export {
  buildSystemPrompt,
  createWorkspacePromptBuilder,
  type EnsuredAgentWorkspace,
  type EnsuredWorkspace,
  ensureAgentWorkspaces,
  ensureWorkspace,
  isMainSession,
  type PreparedPrompt,
  type PrepareRunInput,
  resolveAgentWorkspaceDir,
  type WorkspacePromptBuilder,
} from "./workspace/index.js";
