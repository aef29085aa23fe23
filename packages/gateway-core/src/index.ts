export {
  GATEWAY_VERSION,
  GatewayStartError,
  startGateway,
  type GatewayAuthOptions,
  type GatewayServer,
  type StartGatewayOptions,
} from "./server/gateway-server.js";
export type { GatewayRuntime, BindInfo } from "./server/gateway-runtime.js";
export type { ExtraMethod, MethodRegistry, RequestContext } from "./server/method-registry.js";
export { createAuthRateLimiter, isLoopbackAddress, type AuthRateLimiter, type AuthRateLimitOptions } from "./auth/auth-rate-limiter.js";
export { BindError, resolveBindHost, type BindMode } from "./auth/bind-host.js";
export {
  createConsoleLogSink,
  createFileLogSink,
  createLogger,
  redactLogFields,
  type Logger,
  type LogLevel,
  type LogRecord,
  type LogSink,
} from "./logging/logger.js";
export * from "./config/index.js";
