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
export * from "./reload/index.js";
export type { BindInfo, GatewayRuntime } from "./server/gateway-runtime.js";
export {
  GATEWAY_VERSION,
  type GatewayAuthOptions,
  type GatewayServer,
  GatewayStartError,
  type StartGatewayOptions,
  startGateway,
} from "./server/gateway-server.js";
export type { ExtraMethod, MethodRegistry, RequestContext } from "./server/method-registry.js";
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
