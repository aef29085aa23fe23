import { controlUiAssetsDir } from "@openclaw/control-ui";
import {
  type BindMode,
  type GatewayServer,
  type Logger,
  type LogLevel,
  type PluginRegistry,
  type StartGatewayOptions,
  startGateway,
} from "@openclaw/gateway-core";
import { closingBrowserWith, composeBrowser } from "./browser-composition.js";
import { createFirstPartyPlugins } from "./first-party-plugins.js";
import { createOtelTelemetry } from "./otel-telemetry.js";

export { createFirstPartyPlugins } from "./first-party-plugins.js";
export { type GatewayStorageHandle, openGatewayStorage } from "./open-gateway-storage.js";

export interface StartGatewayServerOptions {
  bind?: BindMode;
  customBindHost?: string;
  auth?: { mode?: "token" | "password" | "none"; token?: string; password?: string };
  controlUiEnabled?: boolean;
  openAiChatCompletionsEnabled?: boolean;
  openResponsesEnabled?: boolean;
  stateDir?: string;
  configPath?: string;
  logger?: Logger;
  logLevel?: LogLevel;
  consoleLog?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Advanced transport settings; the defaults match OpenClaw's. */
  transport?: Pick<
    StartGatewayOptions,
    "tickIntervalMs" | "handshakeTimeoutMs" | "maxPayload" | "maxBufferedBytes"
  >;
  validateResults?: boolean;
  /** Channel restart backoff; the default starts at 1 s and caps at 60 s. */
  channelBackoff?: StartGatewayOptions["channelBackoff"];
  /**
   * Where sessions, transcripts and the small tables live: an opened `SessionStorage` (its owner closes it) or a
   * driver config such as `{ driver: "postgres", url }`. Wins over the config file's `storage` section; without
   * either the embedded SQLite store under the state dir is used.
   */
  storage?: StartGatewayOptions["storage"];
  /** Replace the first-party plugin set (e.g. to add your own channels before start). */
  plugins?: PluginRegistry;
  /** The scheduler's clock and catch-up delay (tests drive `cron` jobs with a manual clock). */
  cron?: StartGatewayOptions["cron"];
  /** Called when a config edit needs a restart; `openclaw gateway` restarts in place. */
  onRestartRequired?: StartGatewayOptions["onRestartRequired"];
  /** The `tailscale` binary for `gateway.tailscale.mode` serve/funnel (default: on PATH). */
  tailscaleBin?: string;
  /** This gateway's id in its cluster (default: the process's); for several gateways in one process. */
  instanceId?: string;
  /** Join the store's cluster: default yes on PostgreSQL; `true` joins gateways sharing one memory store (tests). */
  cluster?: boolean;
}

/**
 * Starts an OpenClaw gateway with the first-party plugins registered. An explicit `port` is used as given
 * (the promise rejects with `PORT_IN_USE` when it is taken); with `port` undefined the configured or default
 * port is tried first and the next free port is used if it is taken (`server.portFallback` tells).
 */
export async function startGatewayServer(
  port?: number,
  options: StartGatewayServerOptions = {},
): Promise<GatewayServer> {
  const plugins = options.plugins ?? createFirstPartyPlugins();
  const browser = composeBrowser(plugins, options);
  const server = startGateway({
    port,
    strictPort: port !== undefined,
    bind: options.bind,
    customBindHost: options.customBindHost,
    auth: options.auth,
    controlUiEnabled: options.controlUiEnabled,
    controlUiRoot: controlUiAssetsDir(),
    openAiChatCompletionsEnabled: options.openAiChatCompletionsEnabled,
    openResponsesEnabled: options.openResponsesEnabled,
    stateDir: options.stateDir,
    configPath: options.configPath,
    logger: options.logger,
    logLevel: options.logLevel,
    consoleLog: options.consoleLog,
    env: options.env,
    validateResults: options.validateResults,
    telemetry: createOtelTelemetry(),
    plugins,
    ...(options.storage ? { storage: options.storage } : {}),
    ...(options.channelBackoff ? { channelBackoff: options.channelBackoff } : {}),
    ...(options.cron ? { cron: options.cron } : {}),
    ...(options.onRestartRequired ? { onRestartRequired: options.onRestartRequired } : {}),
    ...(options.tailscaleBin ? { tailscaleBin: options.tailscaleBin } : {}),
    ...(options.instanceId ? { instanceId: options.instanceId } : {}),
    ...(options.cluster === undefined ? {} : { cluster: options.cluster }),
    ...options.transport,
  });
  return server.then(
    (started) => closingBrowserWith(started, browser),
    async (error: unknown) => {
      await browser?.close();
      throw error;
    },
  );
}

export {
  BindError,
  type BindMode,
  ConfigError,
  type ConfigPaths,
  type ConfigReloadPlan,
  DEFAULT_GATEWAY_PORT,
  type EnsuredAgentWorkspace,
  ensureAgentWorkspaces,
  ensureGatewayToken,
  GATEWAY_VERSION,
  type GatewayServer,
  GatewayStartError,
  generateGatewayToken,
  getConfigValue,
  isSecretKey,
  type LoadedConfig,
  type Logger,
  loadConfig,
  type OpenClawConfig,
  PluginRegistry,
  parseConfigValueLiteral,
  planConfigReload,
  redactConfig,
  resolveAgentWorkspaceDir,
  resolveConfigPaths,
  resolveGatewayCredential,
  resolveGatewayPort,
  setConfigValue,
  validateConfigText,
  writeConfigFile,
} from "@openclaw/gateway-core";
