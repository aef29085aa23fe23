import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createTlsServer, type Server as TlsServer } from "node:https";
import { createAgentRuntime } from "@openclaw/agent";
import {
  GATEWAY_EVENTS,
  type HealthResult,
  OPERATOR_SCOPES,
  PROTOCOL_VERSION,
  scopeSatisfies,
} from "@openclaw/protocol";
import { createFileSessionStore, type SessionStore } from "@openclaw/sessions";
import { type AgentToolbox, createAgentToolbox } from "../agent-tools/agent-toolbox.js";
import { createGatewayToolPorts } from "../agent-tools/ports/create-gateway-tool-ports.js";
import { createExecAllowlist } from "../approvals/exec-allowlist.js";
import { ExecApprovalManager } from "../approvals/exec-approval-manager.js";
import { createAuthRateLimiter } from "../auth/auth-rate-limiter.js";
import { assertSafeBind, type BindMode, isLoopbackHost, resolveBindHost } from "../auth/bind-host.js";
import type { HostPolicy } from "../auth/host-policy.js";
import type { GatewayCredential } from "../auth/verify-credential.js";
import {
  ChannelManager,
  createPairingStore,
  DEFAULT_PAIRING_TTL_MS,
  loadConfiguredPlugins,
  MAX_PENDING_PAIRING_REQUESTS,
  PluginRegistry,
} from "../channels/index.js";
import { ChatService } from "../chat/chat-service.js";
import {
  type ConfigPaths,
  listConfiguredAgents,
  loadConfig,
  type OpenClawConfig,
  resolveConfigPaths,
  resolveGatewayCredential,
} from "../config/index.js";
import { type CronClock, CronService, readCronSettings } from "../cron/index.js";
import { createHookHandler } from "../hooks/index.js";
import { normalizeBasePath } from "../http/control-ui-base-path.js";
import { handleHttpRequest } from "../http/http-routes.js";
import { openGatewayLogFile } from "../logging/gateway-log-file.js";
import {
  createConsoleLogSink,
  createLogger,
  type Logger,
  type LogLevel,
  toLogLevel,
} from "../logging/logger.js";
import { defaultAgentId } from "../methods/agents-methods.js";
import { createCoreMethodHandlers } from "../methods/core-methods.js";
import { createNodePairingStore } from "../nodes/node-pairing-store.js";
import {
  type ConfigReloadPlan,
  describeConfigReloadPlan,
  planConfigReload,
  watchConfigFile,
} from "../reload/index.js";
import { exposeViaTailscale, TailscaleError, type TailscaleExposure } from "../tailscale/index.js";
import { ensureAgentWorkspaces } from "../workspace/index.js";
import { GatewayConfigState } from "./config-state.js";
import type { ConnectionPolicy, GatewayConnection } from "./gateway-connection.js";
import type { GatewayRuntime } from "./gateway-runtime.js";
import { MethodRegistry } from "./method-registry.js";
import { DEFAULT_PRE_AUTH_LIMITS, type PreAuthLimits } from "./preauth-admission.js";
import { PresenceRegistry } from "./presence-registry.js";
import { attachWebSocketUpgrade } from "./websocket-upgrade.js";

export const GATEWAY_VERSION = "0.1.0";
const PORT_FALLBACK_ATTEMPTS = 20;
const PRESENCE_COALESCE_MS = 100;

/**
 * Presence lists the clients a person would call "around": apps, UIs, nodes, backends. One-shot CLI calls, probes
 * and test clients come and go in milliseconds and are left out, as in OpenClaw.
 */
function isPresenceClient(mode: string | undefined): boolean {
  return mode !== "cli" && mode !== "probe" && mode !== "test";
}

export interface GatewayAuthOptions {
  mode?: "token" | "password" | "none";
  token?: string;
  password?: string;
}

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
   * `gateway.controlUi.basePath`. `@openclaw/gateway` passes it; without it no UI is served.
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
   * Called when a config edit needs a gateway restart (`gateway.reload.mode` "restart", or "hybrid" for settings
   * such as the port). `openclaw gateway` restarts in place; without it the gateway logs what waits for a restart.
   */
  onRestartRequired?: (plan: ConfigReloadPlan) => void;
  /** The `tailscale` binary used for `gateway.tailscale.mode` serve/funnel (default: `tailscale` on PATH). */
  tailscaleBin?: string;
  /** Channel restart backoff (tests use small values). */
  channelBackoff?: { initialMs?: number; maxMs?: number; factor?: number };
  /** How long a channel account may take to connect before its start counts as failed (default 30 s). */
  channelStartTimeoutMs?: number;
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

export class GatewayStartError extends Error {
  override readonly name = "GatewayStartError";
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

function parsePort(value: string | undefined): number | undefined {
  if (value === undefined || value === "") return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new GatewayStartError(
      "PORT_INVALID",
      `OPENCLAW_GATEWAY_PORT must be a port number between 0 and 65535, got "${value}"`,
    );
  }
  return port;
}

/** Reads the PEM files named by `gateway.tls`, with an error that says which file and how to fix it. */
async function loadTlsFiles(tls: {
  certPath?: string;
  keyPath?: string;
}): Promise<{ cert: Buffer; key: Buffer }> {
  if (!tls.certPath || !tls.keyPath) {
    throw new GatewayStartError(
      "TLS_INVALID",
      "gateway.tls.enabled is true but gateway.tls.certPath or gateway.tls.keyPath is not set: point both at PEM files",
    );
  }
  const read = async (path: string, what: string) => {
    try {
      return await readFile(path);
    } catch (error) {
      throw new GatewayStartError(
        "TLS_INVALID",
        `cannot read the TLS ${what} at ${path} (gateway.tls.${what === "certificate" ? "certPath" : "keyPath"}): ${(error as Error).message}`,
      );
    }
  };
  return { cert: await read(tls.certPath, "certificate"), key: await read(tls.keyPath, "private key") };
}

function listen(server: Server | TlsServer, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      server.off("listening", onListening);
      reject(error);
    };
    const onListening = () => {
      server.off("error", onError);
      const address = server.address();
      resolve(typeof address === "object" && address ? address.port : port);
    };
    server.once("error", onError);
    server.once("listening", onListening);
    server.listen({ port, host, exclusive: true });
  });
}

/** Resolves once every connection is gone or `timeoutMs` passed, whichever comes first. */
async function waitForDrain(connections: Set<GatewayConnection>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (connections.size > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Starts the gateway: HTTP and WebSocket on one port. Resolves once it is listening. */
export async function startGateway(options: StartGatewayOptions = {}): Promise<GatewayServer> {
  const env = options.env ?? process.env;
  const paths = resolveConfigPaths({ env, stateDir: options.stateDir, configPath: options.configPath });
  const initialConfig = await loadConfig(paths.configPath);
  // `logging.file`, `logging.level` and `logging.maxFileBytes` apply while running: the sink and the level are
  // looked up on every record, so a reload swaps them without touching the loggers handed out.
  const fileLog = openGatewayLogFile(paths.stateDir, initialConfig.config.logging);
  let logLevel: LogLevel = options.logLevel ?? toLogLevel(initialConfig.config.logging.level) ?? "info";
  const logger =
    options.logger ??
    createLogger({
      level: () => logLevel,
      sinks: options.consoleLog ? [fileLog.sink, createConsoleLogSink()] : [fileLog.sink],
    });

  const configState = await GatewayConfigState.open(paths, logger, initialConfig);
  const gatewayConfig = configState.config.gateway;
  const bindMode: BindMode = options.bind ?? gatewayConfig.bind ?? "loopback";
  const host = resolveBindHost(bindMode, options.customBindHost ?? gatewayConfig.customBindHost);

  const resolveCredential = async (): Promise<GatewayCredential> => {
    const resolved = await resolveGatewayCredential({
      config: configState.config,
      env,
      flagToken: options.auth?.token,
      flagPassword: options.auth?.password,
      flagMode: options.auth?.mode,
    });
    return { mode: resolved.mode, secret: resolved.secret };
  };
  const initialCredential = await resolveCredential();
  assertSafeBind(host, initialCredential.mode);

  const envPort = parsePort(env.OPENCLAW_GATEWAY_PORT);
  const requestedPort = options.port ?? envPort ?? gatewayConfig.port ?? 18789;
  const strictPort = options.strictPort ?? false;

  const sessions: SessionStore = await createFileSessionStore({
    stateDir: paths.stateDir,
    logger: logger.child({ component: "sessions" }),
  });
  const presence = new PresenceRegistry();
  const rateLimit = gatewayConfig.auth?.rateLimit;
  const rateLimiter = createAuthRateLimiter({
    maxAttempts: rateLimit?.maxAttempts ?? 10,
    windowMs: rateLimit?.windowMs ?? 60_000,
    lockoutMs: rateLimit?.lockoutMs ?? 300_000,
    exemptLoopback: rateLimit?.exemptLoopback ?? true,
  });
  const connections = new Set<GatewayConnection>();
  const policy: ConnectionPolicy = {
    maxPayload: options.maxPayload ?? 25 * 1024 * 1024,
    maxBufferedBytes: options.maxBufferedBytes ?? 50 * 1024 * 1024,
    tickIntervalMs: options.tickIntervalMs ?? 30_000,
    handshakeTimeoutMs:
      options.handshakeTimeoutMs ?? (parsePort(env.OPENCLAW_HANDSHAKE_TIMEOUT_MS) || 15_000),
  };

  let healthCache: { at: number; value: HealthResult } | undefined;
  const healthSnapshot = async (): Promise<HealthResult> => {
    const now = Date.now();
    if (healthCache && now - healthCache.at < 1000) return { ...healthCache.value, ts: now };
    const started = performance.now();
    const recent = (await sessions.list({ limit: 5 })).rows;
    const channelSummary = await channels.status();
    const value: HealthResult = {
      ok: true,
      ts: now,
      durationMs: Math.round(performance.now() - started),
      heartbeatSeconds: Math.round(policy.tickIntervalMs / 1000),
      defaultAgentId: defaultAgentId(configState.config),
      channels: channelSummary.channels,
      channelOrder: channelSummary.channelOrder,
      channelLabels: channelSummary.channelLabels,
      sessions: {
        path: sessions.indexPath,
        count: await sessions.count(),
        recent: recent.map((row) => ({
          key: row.key,
          updatedAt: typeof row.updatedAt === "number" ? Math.round(row.updatedAt) : null,
          age: typeof row.updatedAt === "number" ? Math.max(0, Math.round(now - row.updatedAt)) : null,
        })),
      },
    };
    healthCache = { at: now, value };
    return value;
  };

  const broadcast = (event: string, payload: unknown, requiredScope?: string) => {
    const frame = `{"type":"event","event":${JSON.stringify(event)},"payload":${JSON.stringify(payload)},"stateVersion":${JSON.stringify({ presence: presence.version, health: 0 })}`;
    for (const connection of connections) {
      if (!connection.isOpen) continue;
      if (requiredScope && !scopeSatisfies(connection.scopes, requiredScope)) continue;
      connection.sendBroadcast(frame);
    }
  };

  // Built once the services it needs exist (below); a run cannot start before the gateway listens.
  let toolbox: AgentToolbox | undefined;
  /** Workspaces are created in the background at start; close waits for it, so nothing writes after a stop. */
  let workspacesCreated: Promise<void> = Promise.resolve();
  const agent = createAgentRuntime({
    prepareRun: (input) => toolbox?.prepareRun(input) ?? {},
    getConfig: () => ({
      models: configState.config.models,
      agents: {
        defaults: configState.config.agents.defaults,
        list: listConfiguredAgents(configState.config),
      },
    }),
    transcripts: {
      read: (sessionKey) => sessions.readTranscript(sessionKey),
      append: (sessionKey, entry) => sessions.appendTranscript(sessionKey, { ...entry }),
    },
    env,
    logger: logger.child({ component: "agent" }),
  });
  // Chat and agent frames carry conversation content: only read-scoped operators receive them.
  const chat = new ChatService({
    agent,
    emit: (event, payload) => broadcast(event, payload, "operator.read"),
    logger,
  });

  const plugins = options.plugins ?? new PluginRegistry();
  const pluginReport = await loadConfiguredPlugins(plugins, configState.config.plugins, {
    stateDir: paths.stateDir,
    logger,
  });
  for (const failure of pluginReport.errors) logger.error("plugin not loaded", failure);
  for (const tool of plugins.tools()) agent.tools.register(tool);
  const execAllowlist = createExecAllowlist(paths.stateDir);
  const execApprovals = new ExecApprovalManager({
    emit: (event, payload, scope) => broadcast(event, payload, scope),
    allowlist: execAllowlist,
    logger: logger.child({ component: "approvals" }),
  });
  // The built-in tools, the tool policy and the workspace prompt; runs are prepared through it (see prepareRun).
  toolbox = createAgentToolbox({
    getConfig: () => configState.config,
    stateDir: paths.stateDir,
    env,
    registry: agent.tools,
    pluginTools: () => plugins.tools(),
    execApprovals,
    execAllowlist,
    defaultAgentId: () => defaultAgentId(configState.config),
    resolveModel: (agentId) => {
      try {
        const { provider, model } = agent.resolveModel(undefined, agentId);
        return { provider, model };
      } catch {
        return undefined;
      }
    },
    logger: logger.child({ component: "tools" }),
  });
  const { toolHost } = toolbox;
  configState.onChange(() => toolbox?.syncExec());
  const nodePairing = createNodePairingStore({ stateDir: paths.stateDir });
  const pairing = createPairingStore({ stateDir: paths.stateDir });
  // Channel changes reach clients as one health snapshot per burst, like presence.
  let healthTimer: NodeJS.Timeout | undefined;
  let stopping = false;
  const scheduleHealthBroadcast = () => {
    healthCache = undefined;
    if (stopping) return;
    healthTimer ??= setTimeout(() => {
      healthTimer = undefined;
      void healthSnapshot().then((health) => broadcast("health", health));
    }, PRESENCE_COALESCE_MS);
  };
  const channels = new ChannelManager({
    registry: plugins,
    agents: () => agentChoices(),
    getConfig: () => ({
      channels: configState.config.channels,
      session: configState.config.session,
      bindings: (configState.config as { bindings?: unknown }).bindings,
    }),
    chat,
    pairing,
    logger: logger.child({ component: "channels" }),
    stateDir: paths.stateDir,
    onChange: scheduleHealthBroadcast,
    defaultAgentId: () => defaultAgentId(configState.config),
    ...(options.channelBackoff ? { backoff: options.channelBackoff } : {}),
    ...(options.channelStartTimeoutMs ? { startTimeoutMs: options.channelStartTimeoutMs } : {}),
  });

  // A burst of connects or disconnects becomes one presence snapshot, not one per change: each snapshot goes to
  // every client, so per-change broadcasts would cost O(clients^2) during a reconnect storm.
  let presenceTimer: NodeJS.Timeout | undefined;
  const schedulePresenceBroadcast = () => {
    presenceTimer ??= setTimeout(() => {
      presenceTimer = undefined;
      broadcast("presence", { presence: presence.list() });
    }, PRESENCE_COALESCE_MS);
  };

  let port = requestedPort;
  // Webhook runs and cron jobs both answer into a channel and may name any configured agent.
  const deliverToChannel = async (delivery: {
    channel: string;
    to: string;
    accountId?: string;
    threadId?: string;
    text: string;
  }) => {
    await channels.send({
      channel: delivery.channel,
      to: delivery.to,
      message: delivery.text,
      ...(delivery.accountId ? { accountId: delivery.accountId } : {}),
      ...(delivery.threadId ? { threadId: delivery.threadId } : {}),
    });
  };
  const agentChoices = () => ({
    ids: listConfiguredAgents(configState.config)
      .map((agent) => agent.id)
      .concat("main"),
    defaultId: defaultAgentId(configState.config),
  });
  // Hooks get their own limiter, as OpenClaw documents it: loopback is not exempt, since webhook senders are
  // often local scripts and proxies.
  const hooks = createHookHandler({
    config: () => configState.config.hooks,
    chat,
    rateLimiter: createAuthRateLimiter({
      maxAttempts: 20,
      windowMs: 60_000,
      lockoutMs: 60_000,
      exemptLoopback: false,
    }),
    agents: agentChoices,
    deliver: deliverToChannel,
    logger: logger.child({ component: "hooks" }),
  });
  // Cheap to construct: the jobs file is read (and croner loaded, if needed) in start(), after listen.
  const cron = new CronService({
    stateDir: paths.stateDir,
    chat,
    deliver: deliverToChannel,
    emit: (event) => broadcast("cron", event, "operator.read"),
    agents: agentChoices,
    mainKey: () => configState.config.session.mainKey,
    settings: () => readCronSettings(configState.config, env),
    logger: logger.child({ component: "cron" }),
    ...(options.cron?.clock ? { clock: options.cron.clock } : {}),
    ...(options.cron?.catchUpDelayMs !== undefined ? { catchUpDelayMs: options.cron.catchUpDelayMs } : {}),
  });
  // The session, messaging and cron tools act through the same services as everything else.
  const toolPorts = await createGatewayToolPorts({
    stateDir: paths.stateDir,
    sessions,
    chat,
    agent,
    config: () => configState.config,
    channels,
    pairing,
    cron,
    // A session whose key names no chat (DMs under dmScope "main") answers where its last message came from.
    routeOf: (sessionKey) => channels.lastRouteOf(sessionKey),
    logger: logger.child({ component: "tools" }),
  });
  toolbox.attachPorts(toolPorts);
  const hookToken = configState.config.hooks?.token;
  if (hookToken && initialCredential.secret && hookToken === initialCredential.secret) {
    logger.warn("hooks.token is the same as the gateway credential: give hooks a token of their own");
  }

  let tailscaleHost: string | undefined;
  const hostPolicy = (): HostPolicy => {
    const controlUi = configState.config.gateway.controlUi;
    const extraHosts = [host];
    if (tailscaleHost) extraHosts.push(tailscaleHost);
    return {
      allowedOrigins: controlUi?.allowedOrigins ?? [],
      extraHosts,
      dangerouslyAllowHostHeaderOriginFallback: controlUi?.dangerouslyAllowHostHeaderOriginFallback === true,
    };
  };

  const runtime: GatewayRuntime = {
    version: options.version ?? GATEWAY_VERSION,
    startedAt: Date.now(),
    configState,
    sessions,
    logger,
    get logFile() {
      return fileLog.path;
    },
    presence,
    rateLimiter,
    chat,
    hooks,
    cron,
    channels,
    plugins,
    pairing,
    pairingLimits: { pendingPerAccount: MAX_PENDING_PAIRING_REQUESTS, ttlMs: DEFAULT_PAIRING_TTL_MS },
    execApprovals,
    nodePairing,
    toolHost,
    toolsReady: () => toolbox?.ready() ?? Promise.resolve(),
    get bind() {
      return { mode: bindMode, host, port };
    },
    resolveCredential,
    credentialScopes: () => configState.config.gateway.auth?.scopes ?? [...OPERATOR_SCOPES],
    connectionCount: () => connections.size,
    httpEndpoints: () => {
      const configured = configState.config.gateway.http.endpoints;
      return {
        chatCompletions: {
          enabled: options.openAiChatCompletionsEnabled ?? configured.chatCompletions.enabled,
          maxBodyBytes: configured.chatCompletions.maxBodyBytes,
        },
        responses: {
          enabled: options.openResponsesEnabled ?? configured.responses.enabled,
          maxBodyBytes: configured.responses.maxBodyBytes,
        },
      };
    },
    channelIds: () => plugins.channelIds(),
    hostPolicy,
    controlUiSite: () => {
      const controlUi = configState.config.gateway.controlUi;
      const enabled = options.controlUiEnabled ?? controlUi?.enabled ?? true;
      if (!enabled || !options.controlUiRoot) return undefined;
      return { root: options.controlUiRoot, basePath: normalizeBasePath(controlUi?.basePath) };
    },
    healthSnapshot,
    presenceEntries: () => presence.list(),
    broadcast,
  };

  const methods = new MethodRegistry(createCoreMethodHandlers(), {
    validateResults: options.validateResults,
  });
  const events = [...GATEWAY_EVENTS];

  const onRequest = (request: IncomingMessage, response: ServerResponse) => {
    void handleHttpRequest(request, response, runtime);
  };
  const tls = gatewayConfig.tls?.enabled ? await loadTlsFiles(gatewayConfig.tls) : undefined;
  // Slow senders are cut off within seconds: headers must arrive in 5 s, a whole request in 30 s, checked every
  // second (Node's defaults are 60 s, 300 s and a 30 s check, which let slowloris sockets live for minutes).
  const serverOptions = { headersTimeout: 5_000, requestTimeout: 30_000, connectionsCheckingInterval: 1_000 };
  const httpServer: Server | TlsServer = tls
    ? createTlsServer({ ...tls, ...serverOptions }, onRequest)
    : createServer(serverOptions, onRequest);
  httpServer.keepAliveTimeout = 5_000;
  httpServer.maxConnections = options.maxConnections ?? 4096;
  const wss = attachWebSocketUpgrade(httpServer, {
    runtime,
    methods,
    policy,
    events,
    connections,
    preAuth: { ...DEFAULT_PRE_AUTH_LIMITS, ...options.preAuth },
    onAuthenticated(conn) {
      if (!isPresenceClient(conn.client?.mode)) return;
      presence.upsert(conn.connId, {
        host: conn.client?.displayName ?? conn.client?.id,
        ip: conn.clientAddress,
        version: conn.client?.version,
        platform: conn.client?.platform,
        mode: conn.client?.mode,
        instanceId: conn.client?.instanceId,
        reason: "connect",
        ts: Date.now(),
        onlineSince: conn.connectedAt,
        roles: [conn.role],
        scopes: [...conn.scopes],
      });
    },
    onReady(conn) {
      if (isPresenceClient(conn.client?.mode)) schedulePresenceBroadcast();
    },
    onClosed(conn) {
      if (presence.remove(conn.connId)) schedulePresenceBroadcast();
    },
  });

  let portFallback = false;
  for (let attempt = 0; ; attempt += 1) {
    try {
      port = await listen(httpServer, requestedPort + attempt, host);
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const lastAttempt = strictPort || requestedPort === 0 || attempt + 1 >= PORT_FALLBACK_ATTEMPTS;
      if (code !== "EADDRINUSE" || lastAttempt) {
        await sessions.close();
        await fileLog.close();
        throw new GatewayStartError(
          code === "EADDRINUSE" ? "PORT_IN_USE" : "LISTEN_FAILED",
          code === "EADDRINUSE"
            ? `port ${requestedPort + attempt} on ${host} is already in use: stop the other process or pass --port <free port>`
            : `cannot listen on ${host}:${requestedPort + attempt}: ${(error as Error).message}`,
          { cause: error },
        );
      }
      portFallback = true;
    }
  }
  if (portFallback)
    logger.warn("requested port was taken; using the next free port", { requestedPort, port });

  // Each agent's workspace (with its templates, unless skipBootstrap) is created in the background: the start does
  // not wait for its fsyncs, and a run that comes first creates its own workspace before it reads it.
  workspacesCreated = ensureAgentWorkspaces(configState.config, { stateDir: paths.stateDir, env }).then(
    (ensured) => {
      const created = ensured.filter((workspace) => workspace.created.length > 0);
      for (const workspace of created) {
        logger.info("agent workspace created", { agentId: workspace.agentId, dir: workspace.dir });
      }
    },
    (error: unknown) => logger.error("agent workspace not created", { error: (error as Error).message }),
  );
  // Channels connect in the background: a slow or broken platform never delays the gateway's start.
  void channels.start();
  try {
    await cron.start();
  } catch (error) {
    // The jobs stay on disk untouched; cron.* methods answer UNAVAILABLE with the reason until a restart.
    logger.error("cron scheduler not started", { error: (error as Error).message });
  }

  const tickTimer = setInterval(() => broadcast("tick", { ts: Date.now() }), policy.tickIntervalMs);
  tickTimer.unref();

  const urlHost = host === "0.0.0.0" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
  logger.info("gateway listening", {
    url: `${tls ? "wss" : "ws"}://${urlHost}:${port}`,
    bind: bindMode,
    auth: initialCredential.mode,
    protocol: PROTOCOL_VERSION,
    exposed: !isLoopbackHost(host),
  });

  // Edits to the config file (by hand, `openclaw config set`, or config.set) are planned path by path: settings
  // read on use are simply swapped in, hot ones re-applied here, and the rest need a restart.
  let reloads: Promise<void> = Promise.resolve();
  const applyHot = async (plan: ConfigReloadPlan, next: OpenClawConfig) => {
    if (plan.subsystems.logging) {
      if (!options.logLevel) logLevel = toLogLevel(next.logging.level) ?? "info";
      await fileLog.apply(next.logging, logger);
    }
    if (plan.subsystems.cron) cron.settingsChanged();
    for (const channel of plan.channelsToRestart) {
      if (!plugins.channelIds().includes(channel)) continue;
      try {
        await channels.stopChannel(channel);
        if (next.channels?.[channel]?.enabled !== false) await channels.startChannel(channel);
      } catch (error) {
        logger.error("channel restart after a config change failed", {
          channel,
          error: (error as Error).message,
        });
      }
    }
  };
  const onConfigChange = (next: OpenClawConfig, previous: OpenClawConfig) => {
    const plan = planConfigReload(previous, next, next.gateway.reload.mode);
    if (plan.changedPaths.length === 0) return;
    reloads = reloads.then(async () => {
      if (stopping) return;
      logger.info("config reloaded", { plan: describeConfigReloadPlan(plan) });
      if (plan.action === "hot") await applyHot(plan, next);
      // Plugins are loaded once at start; a changed plugins section is read again only by a restart.
      if (plan.subsystems.plugins && plan.action !== "restart") {
        logger.warn(
          "plugins.* changed: restart the gateway (`openclaw gateway restart`) to load the new plugin set",
        );
      }
      if (plan.action === "restart" && options.onRestartRequired) {
        options.onRestartRequired(plan);
      } else if (plan.restartRequired || plan.action === "restart") {
        logger.warn("some config changes apply after a restart: run `openclaw gateway restart`", {
          paths: plan.restartPaths,
        });
      }
    });
  };
  configState.onChange(onConfigChange);
  const watcher = watchConfigFile(paths.configPath, () => configState.refresh().then(() => undefined), {
    onError: (error) =>
      logger.warn("cannot watch the config file; edits apply on the next connection instead", {
        error: error.message,
      }),
  });

  let closing: Promise<void> | undefined;
  const close = (closeOptions: { reason?: string; restartExpectedMs?: number } = {}) => {
    closing ??= (async () => {
      clearInterval(tickTimer);
      clearTimeout(presenceTimer);
      const payload: Record<string, unknown> = { reason: closeOptions.reason ?? "gateway stopping" };
      if (closeOptions.restartExpectedMs !== undefined)
        payload.restartExpectedMs = closeOptions.restartExpectedMs;
      for (const connection of connections) {
        if (connection.isOpen) connection.sendEvent("shutdown", payload);
        connection.close(1012, "gateway shutting down");
      }
      stopping = true;
      watcher.close();
      await tailscale?.stop();
      clearTimeout(healthTimer);
      // Before the channels stop, so a run finishing now can still deliver its answer.
      await cron.stop();
      await channels.stop();
      execApprovals.close();
      toolPorts.close();
      chat.close();
      await agent.close();
      await toolbox?.close();
      await workspacesCreated;
      await waitForDrain(connections, 1000);
      for (const connection of connections) connection.terminate();
      wss.close();
      httpServer.closeIdleConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await sessions.close();
      logger.info("gateway stopped", { reason: payload.reason });
      await fileLog.close();
    })();
    return closing;
  };

  let tailscale: TailscaleExposure | undefined;
  const tailscaleConfig = configState.config.gateway.tailscale;
  if (tailscaleConfig.mode !== "off") {
    try {
      tailscale = await exposeViaTailscale({
        mode: tailscaleConfig.mode,
        port,
        authMode: initialCredential.mode,
        resetOnExit: tailscaleConfig.resetOnExit,
        bind: bindMode,
        tls: Boolean(tls),
        env,
        logger: logger.child({ component: "tailscale" }),
        ...(options.tailscaleBin ? { bin: options.tailscaleBin } : {}),
      });
      logger.info(`exposed through Tailscale ${tailscaleConfig.mode}`, { url: tailscale.url });
      tailscaleHost = tailscale.url ? new URL(tailscale.url).hostname : undefined;
    } catch (error) {
      await close({ reason: "tailscale failed" });
      if (error instanceof TailscaleError)
        throw new GatewayStartError(error.code, error.message, { cause: error });
      throw error;
    }
  }

  return {
    port,
    host,
    tailscaleUrl: tailscale?.url,
    get controlUiUrl() {
      const site = runtime.controlUiSite();
      return site ? `${tls ? "https" : "http"}://${urlHost}:${port}${site.basePath}/` : undefined;
    },
    url: `${tls ? "wss" : "ws"}://${urlHost}:${port}`,
    httpUrl: `${tls ? "https" : "http"}://${urlHost}:${port}`,
    authMode: initialCredential.mode,
    portFallback,
    requestedPort,
    paths,
    get logFile() {
      return fileLog.path;
    },
    runtime,
    methods,
    connectionCount: () => connections.size,
    close,
  };
}
