import type { BindMode } from "../auth/bind-host.js";
import type { PluginRegistry } from "../channels/index.js";
import type { ConfigPaths } from "../config/index.js";
import type { CronClock } from "../cron/index.js";
import type { Logger, LogLevel } from "../logging/logger.js";
import type { ConfigReloadPlan } from "../reload/index.js";
import type { GatewayRuntime } from "../runtime/gateway-runtime.js";
import type {
  GatewayAuthOptions,
  GatewayClock,
  GatewayTelemetryStarter,
  StorageOption,
} from "../runtime/gateway-runtime-deps.js";
import type { MethodRegistry } from "../runtime/method-registry.js";
import type { PreAuthLimits } from "./preauth-admission.js";

/** Replaced at build and test time with package.json's version (tsup and vitest `define`). */
declare const __OPENCLAW_PACKAGE_VERSION__: string;

/** This gateway's version, as in its package.json: what hello-ok and the startup box report. */
export const GATEWAY_VERSION: string = __OPENCLAW_PACKAGE_VERSION__;

export interface StartGatewayOptions {
  /** Port to listen on; defaults to `OPENCLAW_GATEWAY_PORT`, then `gateway.port`, then 18789. */
  port?: number;
  /** When true the port is used as given: no fallback to the next free port if it is taken. */
  strictPort?: boolean;
  bind?: BindMode;
  customBindHost?: string;
  auth?: GatewayAuthOptions;
  stateDir?: string;
  configPath?: string;
  controlUiEnabled?: boolean;
  /**
   * Folder of the built Control UI (`controlUiAssetsDir()` from `@openclaw/control-ui`), served at
   * `gateway.controlUi.basePath`. `@openclaw/gateway` passes it. `gateway.controlUi.root` in the config wins over
   * it (e.g. OpenClaw's own `dist/control-ui`); with neither, no UI is served.
   */
  controlUiRoot?: string;
  openAiChatCompletionsEnabled?: boolean;
  openResponsesEnabled?: boolean;
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  logLevel?: LogLevel;
  /** Write human-readable log lines to stderr as well as to the JSON log file. */
  consoleLog?: boolean;
  version?: string;
  tickIntervalMs?: number;
  handshakeTimeoutMs?: number;
  /** Largest frame an authenticated client may send (before `hello-ok` the limit is always 64 KiB). */
  maxPayload?: number;
  maxBufferedBytes?: number;
  /** What unauthenticated sockets may cost: counts and bytes (defaults in `DEFAULT_PRE_AUTH_LIMITS`). */
  preAuth?: Partial<PreAuthLimits>;
  /** Open TCP connections of every kind at once (default 4096); beyond it new ones are dropped. */
  maxConnections?: number;
  /** Check every method result against its contract (for tests). */
  validateResults?: boolean;
  /**
   * Channels, tools and methods to serve. `@openclaw/gateway` passes one with the first-party channels registered
   * lazily; third-party plugins from `plugins.*` in the config are added to it at start.
   */
  plugins?: PluginRegistry;
  /**
   * Where sessions and transcripts are kept: an opened `SessionStorage`, or `{ driver, ...options }` naming a
   * driver registered with `plugins.registerStorageDriver`. Wins over the config's `storage` section.
   */
  storage?: StorageOption;
  /** Wall-clock time for the runtime (start time, health ages); tests pass a manual one. */
  clock?: GatewayClock;
  /**
   * Called when a config edit needs a gateway restart (`gateway.reload.mode` "restart", or "hybrid" for settings
   * such as the port). `openclaw gateway` restarts in place; without it the gateway logs what waits for a restart.
   */
  onRestartRequired?: (plan: ConfigReloadPlan) => void;
  /**
   * Starts telemetry export from the config (`@openclaw/gateway` passes one that loads `@openclaw/diagnostics-otel`
   * only when `diagnostics.otel.enabled` is true).
   */
  telemetry?: GatewayTelemetryStarter;
  /** The `tailscale` binary used for `gateway.tailscale.mode` serve/funnel (default: `tailscale` on PATH). */
  tailscaleBin?: string;
  /** Channel restart backoff (tests use small values). */
  channelBackoff?: { initialMs?: number; maxMs?: number; factor?: number };
  /** How long a channel account may take to connect before its start counts as failed (default 30 s). */
  channelStartTimeoutMs?: number;
  /**
   * This gateway's id in its cluster (several instances on one PostgreSQL store). Default: the process's instance
   * id; set it when one process runs several gateways (tests).
   */
  instanceId?: string;
  /**
   * Whether to join the cluster of a shareable store (leases, cross-instance events, membership). Default: yes for
   * every store that offers it but the memory store, which only tests share between in-process gateways.
   */
  cluster?: boolean;
  /** The scheduler's clock and catch-up delay (tests drive time with a manual clock). */
  cron?: { clock?: CronClock; catchUpDelayMs?: number };
}

export interface GatewayServer {
  readonly port: number;
  readonly host: string;
  /** The WebSocket URL, e.g. `ws://127.0.0.1:18789`. */
  readonly url: string;
  readonly httpUrl: string;
  readonly authMode: "token" | "password" | "none";
  /** True when the requested port was taken and the next free one was used. */
  readonly portFallback: boolean;
  readonly requestedPort: number;
  readonly paths: ConfigPaths;
  readonly logFile: string;
  /** The public HTTPS URL when `gateway.tailscale.mode` is serve or funnel. */
  readonly tailscaleUrl: string | undefined;
  /** Where the Control UI is served (`<httpUrl><basePath>/`), or undefined when it is off or not installed. */
  readonly controlUiUrl: string | undefined;
  readonly runtime: GatewayRuntime;
  readonly methods: MethodRegistry;
  connectionCount(): number;
  /** Tells every client `shutdown`, closes their sockets, stops listening and flushes the stores. */
  close(options?: { reason?: string; restartExpectedMs?: number }): Promise<void>;
}
