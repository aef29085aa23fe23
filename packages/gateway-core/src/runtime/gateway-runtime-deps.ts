import type { SessionStorage } from "@openclaw/sessions";
import type { PluginRegistry } from "../channels/index.js";
import type { ConfigPaths, LoadedConfig, OpenClawConfig } from "../config/index.js";
import type { CronClock } from "../cron/index.js";
import type { DiagnosticBus } from "../diagnostics/diagnostic-events.js";
import type { Logger, LogSink } from "../logging/logger.js";
import type { ConfigReloadPlan } from "../reload/index.js";
import type { BroadcastTarget } from "./broadcast-hub.js";
import type { GatewayLogging } from "./gateway-logging.js";

/** The storage as a start option: an opened storage, or a driver (registered in the plugin registry) to open. */
export type StorageOption = SessionStorage | { driver: string; [option: string]: unknown };

/** Flags that win over `gateway.auth` in the config (CLI `--token`, `--password`, `--auth`). */
export interface GatewayAuthOptions {
  mode?: "token" | "password" | "none";
  token?: string;
  password?: string;
}

/** Wall-clock time for the runtime (start time, health ages); tests pass a manual one. */
export interface GatewayClock {
  now(): number;
}

/** What a telemetry exporter is started with: the config, the runtime's diagnostic events and its log records. */
export interface GatewayTelemetryContext {
  /** The config at start (a change of `diagnostics.*` needs a restart). */
  config: OpenClawConfig;
  diagnostics: DiagnosticBus;
  logger: Logger;
  /** Every log record from now on (redacted, with its run's `traceId`); returns the removal. */
  addLogSink(sink: LogSink): () => void;
  /** The gateway's version (`service.version`). */
  version: string;
  /** The gateway's environment (`OTEL_*` fallbacks). */
  env: NodeJS.ProcessEnv;
}

/** A started exporter: `close` flushes what is buffered and stops it. */
export interface GatewayTelemetry {
  close(): Promise<void>;
}

/**
 * Starts telemetry export when the config asks for it (undefined when it does not). The composition root passes one
 * that imports the exporter package only then, so a gateway without telemetry never loads it.
 */
export type GatewayTelemetryStarter = (
  context: GatewayTelemetryContext,
) => Promise<GatewayTelemetry | undefined>;

/**
 * What `createGatewayRuntime` builds the services from. Everything that touches the outside world (storage,
 * clock, logger, plugins, env) is passed in; nothing below constructs its own.
 */
export interface GatewayRuntimeDeps {
  paths: ConfigPaths;
  /** The config as already loaded by the caller; read from `paths.configPath` when omitted. */
  initialConfig?: LoadedConfig;
  env: NodeJS.ProcessEnv;
  /** The logger and log file; opened from the config's `logging` section when omitted. */
  logging?: GatewayLogging;
  clock?: GatewayClock;
  /**
   * Channels, tools, methods and storage drivers to serve. Third-party plugins from `plugins.*` in the config
   * are added to it.
   */
  plugins?: PluginRegistry;
  /** Overrides the config's `storage` section (see {@link StorageOption}). */
  storage?: StorageOption;
  /** The transport's open connections, read by `broadcast` (the transport adds and removes them). */
  connections?: ReadonlySet<BroadcastTarget>;
  /** Where the transport listens; `port` is read again after the listen (it may fall back to a free one). */
  bind: { mode: string; host: string; port: () => number; extraHosts: () => readonly string[] };
  version: string;
  auth?: GatewayAuthOptions;
  /** Start-option overrides of the config's HTTP endpoints and Control UI. */
  http?: {
    openAiChatCompletionsEnabled?: boolean;
    openResponsesEnabled?: boolean;
    controlUiEnabled?: boolean;
    controlUiRoot?: string;
  };
  tickIntervalMs: number;
  channelBackoff?: { initialMs?: number; maxMs?: number; factor?: number };
  channelStartTimeoutMs?: number;
  /** The cluster instance id (default: the process's). */
  instanceId?: string;
  /** Join the store's cluster (default: every shareable store but memory). */
  cluster?: boolean;
  cron?: { clock?: CronClock; catchUpDelayMs?: number };
  onRestartRequired?: (plan: ConfigReloadPlan) => void;
  /** Telemetry export (OpenTelemetry in `@openclaw/gateway`); a failure to start is logged, the gateway runs on. */
  telemetry?: GatewayTelemetryStarter;
}
