import { PROTOCOL_VERSION } from "@openclaw/protocol";
import { assertSafeBind, type BindMode, isLoopbackHost, resolveBindHost } from "../auth/bind-host.js";
import { loadConfig, resolveConfigPaths } from "../config/index.js";
import { markDraining } from "../http/probes.js";
import { createCoreMethodHandlers } from "../methods/core-methods.js";
import { createGatewayRuntime } from "../runtime/create-gateway-runtime.js";
import { createCredentialResolver } from "../runtime/credential-resolver.js";
import { openGatewayLogging } from "../runtime/gateway-logging.js";
import { GatewayStartError } from "../runtime/gateway-start-error.js";
import { MethodRegistry } from "../runtime/method-registry.js";
import { registerPluginMethods } from "../runtime/plugin-methods.js";
import { exposeViaTailscale, TailscaleError, type TailscaleExposure } from "../tailscale/index.js";
import type { ConnectionPolicy } from "./connection-policy.js";
import type { GatewayConnection } from "./gateway-connection.js";
import { GATEWAY_VERSION, type GatewayServer, type StartGatewayOptions } from "./gateway-server-options.js";
import { createHttpTransport, waitForDrain } from "./http-transport.js";
import { listenWithFallback, loadTlsFiles, parsePort } from "./listen.js";
import { DEFAULT_PRE_AUTH_LIMITS } from "./preauth-admission.js";

/**
 * Starts the gateway: builds the runtime (`createGatewayRuntime`) and serves it over HTTP and WebSocket on one
 * port. Resolves once it is listening.
 */
export async function startGateway(options: StartGatewayOptions = {}): Promise<GatewayServer> {
  const env = options.env ?? process.env;
  const paths = resolveConfigPaths({ env, stateDir: options.stateDir, configPath: options.configPath });
  const initialConfig = await loadConfig(paths.configPath);
  const gatewayConfig = initialConfig.config.gateway;
  const bindMode: BindMode = options.bind ?? gatewayConfig.bind ?? "loopback";
  const host = resolveBindHost(bindMode, options.customBindHost ?? gatewayConfig.customBindHost);
  const initialCredential = await createCredentialResolver({
    config: () => initialConfig.config,
    env,
    auth: options.auth,
  })();
  assertSafeBind(host, initialCredential.mode);
  const requestedPort = options.port ?? parsePort(env.OPENCLAW_GATEWAY_PORT) ?? gatewayConfig.port ?? 18789;
  const policy: ConnectionPolicy = {
    maxPayload: options.maxPayload ?? 25 * 1024 * 1024,
    maxBufferedBytes: options.maxBufferedBytes ?? 50 * 1024 * 1024,
    tickIntervalMs: options.tickIntervalMs ?? 30_000,
    handshakeTimeoutMs:
      options.handshakeTimeoutMs ??
      (parsePort(env.OPENCLAW_HANDSHAKE_TIMEOUT_MS, "OPENCLAW_HANDSHAKE_TIMEOUT_MS") || 15_000),
  };
  const tls = gatewayConfig.tls?.enabled ? await loadTlsFiles(gatewayConfig.tls) : undefined;

  const logging = openGatewayLogging({
    stateDir: paths.stateDir,
    logging: initialConfig.config.logging,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.logLevel ? { level: options.logLevel } : {}),
    ...(options.consoleLog ? { console: true } : {}),
  });
  const { logger } = logging;
  const connections = new Set<GatewayConnection>();
  let port = requestedPort;
  let tailscaleHost: string | undefined;
  let handle: Awaited<ReturnType<typeof createGatewayRuntime>>;
  try {
    handle = await createGatewayRuntime({
      paths,
      initialConfig,
      env,
      logging,
      connections,
      bind: {
        mode: bindMode,
        host,
        port: () => port,
        extraHosts: () => (tailscaleHost ? [tailscaleHost] : []),
      },
      version: options.version ?? GATEWAY_VERSION,
      tickIntervalMs: policy.tickIntervalMs,
      http: {
        openAiChatCompletionsEnabled: options.openAiChatCompletionsEnabled,
        openResponsesEnabled: options.openResponsesEnabled,
        controlUiEnabled: options.controlUiEnabled,
        controlUiRoot: options.controlUiRoot,
      },
      ...pick(options, [
        "auth",
        "plugins",
        "storage",
        "clock",
        "channelBackoff",
        "channelStartTimeoutMs",
        "instanceId",
        "cluster",
      ]),
      ...pick(options, ["cron", "onRestartRequired", "telemetry"]),
    });
  } catch (error) {
    await logging.close();
    throw error;
  }
  const { runtime } = handle;

  const methods = new MethodRegistry(createCoreMethodHandlers(), {
    validateResults: options.validateResults,
  });
  registerPluginMethods(methods, runtime.plugins, runtime, logger);
  const { httpServer, wss } = createHttpTransport({
    handle,
    methods,
    policy,
    connections,
    preAuth: { ...DEFAULT_PRE_AUTH_LIMITS, ...options.preAuth },
    tls,
    maxConnections: options.maxConnections ?? 4096,
  });

  let portFallback = false;
  try {
    ({ port, portFallback } = await listenWithFallback(httpServer, {
      requestedPort,
      host,
      strictPort: options.strictPort ?? false,
    }));
  } catch (error) {
    await handle.close();
    await logging.close();
    throw error;
  }
  if (portFallback)
    logger.warn("requested port was taken; using the next free port", { requestedPort, port });

  await handle.start();
  const tickTimer = setInterval(() => runtime.broadcast("tick", { ts: Date.now() }), policy.tickIntervalMs);
  tickTimer.unref();

  const urlHost = host === "0.0.0.0" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
  logger.info("gateway listening", {
    url: `${tls ? "wss" : "ws"}://${urlHost}:${port}`,
    bind: bindMode,
    auth: initialCredential.mode,
    protocol: PROTOCOL_VERSION,
    exposed: !isLoopbackHost(host),
  });

  let tailscale: TailscaleExposure | undefined;
  let closing: Promise<void> | undefined;
  const close = (closeOptions: { reason?: string; restartExpectedMs?: number } = {}) => {
    closing ??= (async () => {
      markDraining(runtime);
      clearInterval(tickTimer);
      const payload: Record<string, unknown> = { reason: closeOptions.reason ?? "gateway stopping" };
      if (closeOptions.restartExpectedMs !== undefined)
        payload.restartExpectedMs = closeOptions.restartExpectedMs;
      for (const connection of connections) {
        if (connection.isOpen) connection.sendEvent("shutdown", payload);
        connection.close(1012, "gateway shutting down");
      }
      await tailscale?.stop();
      await handle.stop();
      await waitForDrain(connections, 1000);
      for (const connection of connections) connection.terminate();
      wss.close();
      httpServer.closeIdleConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await handle.close();
      logger.info("gateway stopped", { reason: payload.reason });
      await logging.close();
    })();
    return closing;
  };

  const tailscaleConfig = runtime.configState.config.gateway.tailscale;
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

  const scheme = tls ? "s" : "";
  return {
    port,
    host,
    tailscaleUrl: tailscale?.url,
    get controlUiUrl() {
      const site = runtime.controlUiSite();
      return site ? `http${scheme}://${urlHost}:${port}${site.basePath}/` : undefined;
    },
    url: `ws${scheme}://${urlHost}:${port}`,
    httpUrl: `http${scheme}://${urlHost}:${port}`,
    authMode: initialCredential.mode,
    portFallback,
    requestedPort,
    paths,
    get logFile() {
      return logging.file;
    },
    runtime,
    methods,
    connectionCount: () => connections.size,
    close,
  };
}

/** The options that are set, so `undefined` never overrides a default further down. */
function pick<T extends object, K extends keyof T>(source: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const picked: Partial<Pick<T, K>> = {};
  for (const key of keys) if (source[key] !== undefined) picked[key] = source[key];
  return picked;
}
