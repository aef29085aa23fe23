import type { GatewayToolPorts } from "../agent-tools/ports/create-gateway-tool-ports.js";
import type { GatewayCluster } from "../cluster/cluster-membership.js";
import type { AgentServices } from "./agent-services.js";
import { createWorkspacesInBackground } from "./background-workspaces.js";
import type { ClusterState } from "./cluster-state.js";
import type { CoalescedTask } from "./coalesced-task.js";
import { type ConfigReloadWiring, wireConfigReload } from "./config-reload-wiring.js";
import type { DiagnosticsServices } from "./diagnostics-services.js";
import type { EventFanout } from "./event-fanout.js";
import type { GatewayLogging } from "./gateway-logging.js";
import type { GatewayRuntime } from "./gateway-runtime.js";
import type { GatewayRuntimeDeps } from "./gateway-runtime-deps.js";
import type { MediaServices } from "./media-services.js";
import type { OpenedSessionStore } from "./session-storage.js";
import type { StateStores } from "./state-stores.js";

/** The lifecycle of a built runtime: the transport calls `start` once it listens. */
export interface RuntimeLifecycle {
  /** Starts the background work: channels connect, cron arms its timers, workspaces are created, config watched. */
  start(): Promise<void>;
  /** Stops taking work: config watch, cron, channels, agent runs and tools end. The stores stay open. */
  stop(): Promise<void>;
  /** Stops (if not yet) and closes the stores, and the log file when the runtime opened it. */
  close(): Promise<void>;
}

/** The composed services the lifecycle starts, stops and closes; the rest it reads from `runtime`. */
export interface RuntimeLifecycleParts {
  readonly deps: GatewayRuntimeDeps;
  readonly runtime: GatewayRuntime;
  readonly logging: GatewayLogging;
  /** Aborted the moment the stop begins, so nothing schedules a snapshot broadcast after it. */
  readonly stopping: AbortController;
  /** The coalesced snapshot broadcasts, cancelled by the stop. */
  readonly broadcasts: readonly CoalescedTask[];
  readonly media: MediaServices;
  readonly toolPorts: GatewayToolPorts;
  readonly agentServices: AgentServices;
  readonly fanout: EventFanout;
  readonly telemetry: DiagnosticsServices;
  readonly clusterState: ClusterState;
  readonly stateStores: StateStores;
  readonly cluster: GatewayCluster | undefined;
  readonly store: OpenedSessionStore;
}

/** Start, stop and close in the order the services depend on each other; stop and close run once. */
export function createRuntimeLifecycle(parts: RuntimeLifecycleParts): RuntimeLifecycle {
  const { deps, runtime, logging, media, cluster } = parts;
  const { configState, logger, cron, heartbeat, channels, plugins } = runtime;
  let workspacesCreated: Promise<void> = Promise.resolve();
  let reload: ConfigReloadWiring | undefined;

  const start = async () => {
    workspacesCreated = createWorkspacesInBackground(configState.config, {
      stateDir: deps.paths.stateDir,
      env: deps.env,
      logger,
    });
    media.start();
    if (cluster) {
      const { host, port } = runtime.bind;
      await cluster.join(`${host}:${port}`, deps.version, runtime.startedAt);
    }
    // Channels connect in the background: a slow or broken platform never delays the gateway's start.
    void channels.start();
    try {
      await cron.start();
    } catch (error) {
      // The jobs stay on disk untouched; cron.* methods answer UNAVAILABLE with the reason until a restart.
      logger.error("cron scheduler not started", { error: (error as Error).message });
    }
    heartbeat.start();
    reload = wireConfigReload({
      configState,
      logging,
      cron,
      heartbeat,
      channels,
      plugins,
      logger,
      ...(deps.onRestartRequired ? { onRestartRequired: deps.onRestartRequired } : {}),
    });
  };

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      parts.stopping.abort();
      reload?.close();
      // Live-reload streams never end by themselves: closed here, before the HTTP server waits for its sockets.
      runtime.canvasHost.close();
      for (const broadcast of parts.broadcasts) broadcast.cancel();
      runtime.nodes.close();
      // Before the channels stop, so a run finishing now can still deliver its answer.
      heartbeat.stop();
      await cron.stop();
      await channels.stop();
      media.stop();
      // Before the agent closes: results of sub-agent runs still going are then not announced.
      parts.toolPorts.close();
      // Pending approvals are denied (and that relayed) before this instance says goodbye to the others.
      await parts.agentServices.close();
      parts.fanout.close();
      await workspacesCreated;
    })();
    return stopped;
  };

  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= (async () => {
      await stop();
      // After the agent stopped: the last turns' usage rows, spans and log records are written before the end.
      await parts.telemetry.close();
      await parts.clusterState.close();
      await parts.stateStores.flush();
      parts.stateStores.close();
      await cluster?.close();
      await parts.store.close();
      if (!deps.logging) await logging.close();
    })();
    return closed;
  };

  return { start, stop, close };
}
