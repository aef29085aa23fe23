import { OPERATOR_SCOPES } from "@openclaw/protocol";
import { createGatewayToolPorts } from "../agent-tools/ports/create-gateway-tool-ports.js";
import { createGatewayNodesPort } from "../agent-tools/ports/gateway-nodes-port.js";
import { createAuthRateLimiter } from "../auth/auth-rate-limiter.js";
import { createCanvasHost } from "../canvas/canvas-host.js";
import { resolveCanvasHostSettings } from "../canvas/canvas-host-settings.js";
import { createCanvasTool } from "../canvas/canvas-tool.js";
import {
  type ChannelManager,
  DEFAULT_PAIRING_TTL_MS,
  loadConfiguredPlugins,
  MAX_PENDING_PAIRING_REQUESTS,
  PluginRegistry,
} from "../channels/index.js";
import { type GatewayCluster, openGatewayCluster } from "../cluster/cluster-membership.js";
import { defaultAgentId } from "../config/configured-agents.js";
import { loadConfig } from "../config/index.js";
import { PROCESS_INSTANCE_ID } from "../diagnostics/process-identity.js";
import type { HeartbeatSummary } from "../heartbeat/index.js";
import { listNodeEntries } from "../nodes/node-catalog.js";
import { NodeRegistry } from "../nodes/node-registry.js";
import { createAgentServices } from "./agent-services.js";
import { createAutomationServices } from "./automation-services.js";
import { createChannelServices } from "./channel-services.js";
import { createChatCommandWiring } from "./chat-command-wiring.js";
import { openClusterState } from "./cluster-state.js";
import { createCoalescedTask } from "./coalesced-task.js";
import { GatewayConfigState } from "./config-state.js";
import { createCredentialResolver, warnIfHookTokenIsCredential } from "./credential-resolver.js";
import {
  createDiagnosticBus,
  type DiagnosticsServices,
  observedSessionStore,
  startDiagnosticsServices,
} from "./diagnostics-services.js";
import { createEventFanout } from "./event-fanout.js";
import { openGatewayLogging } from "./gateway-logging.js";
import type { GatewayRuntime } from "./gateway-runtime.js";
import type { GatewayRuntimeDeps } from "./gateway-runtime-deps.js";
import { createHealthSnapshots } from "./health-snapshot.js";
import { createHttpSurface } from "./http-surface.js";
import { createMediaServices } from "./media-services.js";
import { createRuntimeLifecycle, type RuntimeLifecycle } from "./runtime-lifecycle.js";
import { openSessionStore } from "./session-storage.js";
import { openStateStores, type StateStores } from "./state-stores.js";
import { observeTranscriptAppends } from "./transcript-append-observer.js";

/** A burst of presence or channel changes becomes one snapshot to every client. */
const SNAPSHOT_COALESCE_MS = 100;

/** A built runtime and its lifecycle. The transport serves `runtime`; `start` once it listens. */
export interface GatewayRuntimeHandle extends RuntimeLifecycle {
  readonly runtime: GatewayRuntime;
  /** Presence and health snapshots to every client, at most one per burst of changes. */
  schedulePresenceBroadcast(): void;
}

/**
 * The composition root: builds every service of a gateway from config plus the injected dependencies and wires
 * them together. Nothing here listens on a port; `startGateway` (the transport) serves the returned runtime.
 */
export async function createGatewayRuntime(deps: GatewayRuntimeDeps): Promise<GatewayRuntimeHandle> {
  const { paths, env } = deps;
  const now = () => deps.clock?.now() ?? Date.now();
  const initialConfig = deps.initialConfig ?? (await loadConfig(paths.configPath));
  const logging =
    deps.logging ?? openGatewayLogging({ stateDir: paths.stateDir, logging: initialConfig.config.logging });
  const { logger } = logging;
  const configState = await GatewayConfigState.open(paths, logger, initialConfig);
  const config = () => configState.config;

  const plugins = deps.plugins ?? new PluginRegistry();
  const store = await openSessionStore({
    ...(deps.storage ? { option: deps.storage } : {}),
    ...(config().storage ? { config: config().storage } : {}),
    plugins,
    stateDir: paths.stateDir,
    env,
    logger,
    defaultAgentId: defaultAgentId(config()),
    now,
  });
  const diagnostics = createDiagnosticBus(logger);
  // Every durable transcript line is reported, so `session.message` follows the transcript whoever wrote it.
  const observed = observeTranscriptAppends(observedSessionStore(store.sessions, config(), diagnostics));
  const { sessions } = observed;
  let state: StateStores | undefined;
  let telemetryServices: DiagnosticsServices | undefined;
  let clusterMember: GatewayCluster | undefined;
  // What was opened so far is released when a later service fails to build, so a failed start leaves nothing open.
  try {
    return await composeServices();
  } catch (error) {
    await telemetryServices?.close();
    await state?.flush();
    await clusterMember?.close();
    await store.close();
    if (!deps.logging) await logging.close();
    throw error;
  }

  async function composeServices(): Promise<GatewayRuntimeHandle> {
    // Several gateways on one PostgreSQL store act as one: leases, claims, events and membership go through it.
    const cluster = await openGatewayCluster({
      storage: store.storage,
      join: deps.cluster ?? store.storage?.driver !== "memory",
      instanceId: deps.instanceId ?? PROCESS_INSTANCE_ID,
      logger,
    });
    clusterMember = cluster;
    const coordinator = cluster?.coordinator;
    const stateStores = await openStateStores({
      storage: store.storage,
      stateDir: paths.stateDir,
      logger,
      ...(coordinator ? { cluster: coordinator } : {}),
    });
    state = stateStores;
    const clusterState = await openClusterState({
      storage: store.storage,
      cluster: coordinator,
      configState,
      paths,
      logger,
    });
    const rateLimit = config().gateway.auth?.rateLimit;
    const rateLimiter = createAuthRateLimiter({
      maxAttempts: rateLimit?.maxAttempts ?? 10,
      windowMs: rateLimit?.windowMs ?? 60_000,
      lockoutMs: rateLimit?.lockoutMs ?? 300_000,
      exemptLoopback: rateLimit?.exemptLoopback ?? true,
    });
    const fanout = createEventFanout({
      targets: deps.connections ?? new Set(),
      sessions,
      cluster: coordinator,
      logger,
    });
    const { presence, hub, sessionEvents, sessionMessages, sessionFacts } = fanout;
    const broadcast = hub.broadcast;
    observed.listen((sessionKey, entry) => sessionFacts.onTranscriptAppend(sessionKey, entry));

    const pluginReport = await loadConfiguredPlugins(plugins, config().plugins, {
      stateDir: paths.stateDir,
      logger,
    });
    for (const failure of pluginReport.errors) logger.error("plugin not loaded", failure);

    const telemetry = await startDiagnosticsServices({
      bus: diagnostics,
      config,
      deps,
      env,
      logging,
      logger,
      ledger: store.storage?.usage,
      sessions,
      channelAccounts: () => channels.accountStates(),
    });
    telemetryServices = telemetry;
    const { prometheus } = telemetry;
    const agentServices = createAgentServices({
      configState,
      sessions,
      diagnostics,
      plugins,
      execAllowlist: stateStores.execAllowlist,
      stateDir: paths.stateDir,
      env,
      logger,
      broadcast,
      cluster: coordinator,
      ...(cluster
        ? {
            sessionLock: (run, signal) => cluster.sessionLock(run, signal),
            sessionHeldElsewhere: (sessionKey) => cluster.sessionHeldElsewhere(sessionKey),
          }
        : {}),
    });
    const { agent, chat, toolbox, execApprovals } = agentServices;
    agent.on((event) => sessionFacts.onRunEvent(event));
    const { nodePairing, pairing } = stateStores;
    const { devices } = clusterState;
    const nodes = new NodeRegistry({
      sendTo: (connId, event, payload) => hub.sendTo(new Set([connId]), event, payload),
    });
    clusterState.onNodeTokensInvalidated((deviceId, reason) => nodes.disconnect(deviceId, reason));
    // The canvas tool drives a node's canvas panel (the Control UI's Canvas screen) through node.invoke.
    agent.tools.register(createCanvasTool(nodes));

    const stopping = new AbortController();
    const health = createHealthSnapshots({
      sessions,
      channels: () => channels,
      config,
      tickIntervalMs: deps.tickIntervalMs,
      now,
      // Built below with the other automation; health only asks once the gateway serves.
      heartbeats: () => heartbeatSummaries(),
    });
    // Channel changes reach clients as one health snapshot per burst, like presence.
    const healthBroadcast = createCoalescedTask(() => {
      void health.snapshot().then((snapshot) => broadcast("health", snapshot));
    }, SNAPSHOT_COALESCE_MS);
    const chatCommands = createChatCommandWiring({
      sessions,
      agent,
      config,
      version: deps.version,
      logger,
      now,
    });
    const media = createMediaServices({ stateDir: paths.stateDir, config, env, logger });
    const channels: ChannelManager = createChannelServices({
      plugins,
      config,
      chat,
      pairing,
      media,
      commands: chatCommands,
      storage: store.storage,
      cluster: coordinator,
      paths,
      env,
      logger,
      diagnostics,
      deps,
      onChange: () => {
        health.invalidate();
        if (!stopping.signal.aborted) healthBroadcast.schedule();
      },
    });
    const presenceBroadcast = createCoalescedTask(
      () => broadcast("presence", { presence: presence.list() }),
      SNAPSHOT_COALESCE_MS,
    );
    fanout.onRemotePresenceChange(() => {
      if (!stopping.signal.aborted) presenceBroadcast.schedule();
    });

    let heartbeatSummaries: () => HeartbeatSummary[] = () => [];
    const { hooks, cron, heartbeat } = createAutomationServices({
      config,
      chat,
      channels,
      stateDir: paths.stateDir,
      env,
      logger,
      broadcast,
      ...(deps.cron ? { cron: deps.cron } : {}),
      ...(stateStores.cron ? { cronStore: stateStores.cron } : {}),
      ...(coordinator && stateStores.cron ? { cluster: coordinator } : {}),
      diagnostics,
    });
    heartbeatSummaries = () => heartbeat.summaries();
    // The session, messaging and cron tools act through the same services as everything else.
    const toolPorts = await createGatewayToolPorts({
      stateDir: paths.stateDir,
      sessions,
      chat,
      agent,
      config,
      channels,
      pairing,
      cron,
      // A session whose key names no chat (DMs under dmScope "main") answers where its last message came from.
      routeOf: (sessionKey) => channels.lastRouteOf(sessionKey),
      logger: logger.child({ component: "tools" }),
    });
    toolPorts.nodes = createGatewayNodesPort({
      nodes,
      nodePairing,
      devices,
      listNodes: () => listNodeEntries({ nodes, nodePairing, devices }),
      broadcastResolved: (event) =>
        broadcast("node.pair.resolved", { ...event, ts: Date.now() }, "operator.pairing"),
    });
    toolbox.attachPorts(toolPorts);

    const resolveCredential = createCredentialResolver({ config, env, auth: deps.auth });
    await warnIfHookTokenIsCredential(config(), resolveCredential, logger);

    const canvasHost = createCanvasHost({
      settings: () => resolveCanvasHostSettings(config(), { stateDir: paths.stateDir, env }),
      logger,
    });
    const runtime: GatewayRuntime = {
      version: deps.version,
      startedAt: now(),
      configState,
      sessions,
      storage: store.storage,
      ...(cluster ? { cluster } : {}),
      logger,
      diagnostics,
      ...(prometheus ? { prometheus } : {}),
      get logFile() {
        return logging.file;
      },
      presence,
      rateLimiter,
      chat,
      commands: chatCommands.commands,
      media,
      hooks,
      cron,
      heartbeat,
      channels,
      plugins,
      pairing,
      pairingLimits: { pendingPerAccount: MAX_PENDING_PAIRING_REQUESTS, ttlMs: DEFAULT_PAIRING_TTL_MS },
      execApprovals,
      nodePairing,
      devices,
      nodes,
      toolHost: toolbox.toolHost,
      toolsReady: () => toolbox.ready(),
      get bind() {
        return { mode: deps.bind.mode, host: deps.bind.host, port: deps.bind.port() };
      },
      resolveCredential,
      credentialScopes: () => config().gateway.auth?.scopes ?? [...OPERATOR_SCOPES],
      connectionCount: hub.connectionCount,
      ...createHttpSurface(config, deps),
      canvasHost,
      healthSnapshot: () => health.snapshot(),
      presenceEntries: () => presence.list(),
      broadcast,
      sessionEvents,
      sessionMessages,
    };

    const lifecycle = createRuntimeLifecycle({
      deps,
      runtime,
      logging,
      stopping,
      broadcasts: [presenceBroadcast, healthBroadcast],
      media,
      toolPorts,
      agentServices,
      fanout,
      telemetry,
      clusterState,
      stateStores,
      cluster,
      store,
    });
    return {
      runtime,
      schedulePresenceBroadcast: () => presenceBroadcast.schedule(),
      ...lifecycle,
    };
  }
}
