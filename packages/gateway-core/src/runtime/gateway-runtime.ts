import type { HealthResult, PresenceEntry } from "@openclaw/protocol";
import type { SessionStorage, SessionStore } from "@openclaw/sessions";
import type { ToolHost } from "../agent-tools/tool-host/tool-host.js";
import type { ExecApprovalManager } from "../approvals/exec-approval-manager.js";
import type { AuthRateLimiter } from "../auth/auth-rate-limiter.js";
import type { HostPolicy } from "../auth/host-policy.js";
import type { GatewayCredential } from "../auth/verify-credential.js";
import type { CanvasHost } from "../canvas/canvas-host.js";
import type { ChannelManager, PairingStore, PluginRegistry } from "../channels/index.js";
import type { ChatService } from "../chat/chat-service.js";
import type { GatewayCluster } from "../cluster/cluster-membership.js";
import type { ChatCommands } from "../commands/index.js";
import type { CronService } from "../cron/index.js";
import type { DiagnosticBus } from "../diagnostics/diagnostic-events.js";
import type { PrometheusExporter } from "../diagnostics/prometheus-exporter.js";
import type { HeartbeatService } from "../heartbeat/index.js";
import type { HookHandler } from "../hooks/index.js";
import type { Logger } from "../logging/logger.js";
import type { DeviceRegistry } from "../nodes/device-registry.js";
import type { NodePairingStore } from "../nodes/node-pairing-store.js";
import type { NodeRegistry } from "../nodes/node-registry.js";
import type { GatewayConfigState } from "./config-state.js";
import type { ControlUiSite } from "./control-ui-site.js";
import type { MediaServices } from "./media-services.js";
import type { PresenceRegistry } from "./presence-registry.js";
import type { SessionEventSubscriptions } from "./session-event-subscriptions.js";
import type { SessionMessageSubscriptions } from "./session-message-subscriptions.js";

export interface BindInfo {
  mode: string;
  host: string;
  port: number;
}

/** Everything a method handler may touch. One per running gateway. */
export interface GatewayRuntime {
  readonly version: string;
  readonly startedAt: number;
  readonly configState: GatewayConfigState;
  readonly sessions: SessionStore;
  /**
   * The storage engine under `sessions` (`storage.driver`), whose small tables other services may keep state in;
   * undefined when sessions are kept in the legacy file layout.
   */
  readonly storage: SessionStorage | undefined;
  /** This gateway's cluster (several instances on one PostgreSQL store); undefined when it runs alone. */
  readonly cluster?: GatewayCluster;
  readonly logger: Logger;
  /** Telemetry events (runs, model and tool calls, requests, channels): metrics, traces and the usage ledger. */
  readonly diagnostics: DiagnosticBus;
  /** The Prometheus exporter behind `/api/diagnostics/prometheus`; undefined while the route is off. */
  readonly prometheus?: PrometheusExporter;
  readonly logFile: string;
  readonly presence: PresenceRegistry;
  readonly rateLimiter: AuthRateLimiter;
  readonly bind: BindInfo;
  /** The one path to the agent: chat turns, runs, models. */
  readonly chat: ChatService;
  /** In-chat commands (`/new`, `/stop`, ...): channels use them, and `chat.send` for a message that is one. */
  readonly commands?: ChatCommands;
  /**
   * The media store, sniffing, transcription and document text (`<stateDir>/media`): channels' inbound media, and
   * `understand(bytes, hint)` for `chat.send` attachments and the HTTP API's image and file parts.
   */
  readonly media?: MediaServices;
  /** `POST <hooks.path>/wake|agent`, guarded by the separate hook token. */
  readonly hooks: HookHandler;
  /** Scheduled jobs (`cron.*`): stored under `<stateDir>/cron/`, timers armed once the gateway listens. */
  readonly cron: CronService;
  /** The agents' heartbeats (`agents.defaults.heartbeat`): `last-heartbeat`, `set-heartbeats`, `health`. */
  readonly heartbeat: HeartbeatService;
  readonly channels: ChannelManager;
  readonly plugins: PluginRegistry;
  readonly pairing: PairingStore;
  readonly pairingLimits: { pendingPerAccount: number; ttlMs: number };
  /** Shell commands waiting for an operator's answer (`exec.approval.*`). */
  readonly execApprovals: ExecApprovalManager;
  /** Node capability approvals (`node.pair.*`), created when a node connects. */
  readonly nodePairing: NodePairingStore;
  /** Paired devices and their role-bound tokens (`device.pair.*`, `device.token.*`). */
  readonly devices: DeviceRegistry;
  /** Nodes connected now and their in-flight `node.invoke` calls. */
  readonly nodes: NodeRegistry;
  /** The agent's tools under the tool policy (`tools.catalog`, `tools.effective`, `POST /tools/invoke`). */
  readonly toolHost?: ToolHost;
  /** Resolves once the built-in tools are registered; they load on first use, not with the gateway. */
  toolsReady?(): Promise<void>;
  /** Resolves the credential fresh on every call: a rotated token takes effect at once. */
  resolveCredential(): Promise<GatewayCredential>;
  /** The scopes the shared credential grants (config `gateway.auth.scopes`, every operator scope by default). */
  credentialScopes(): readonly string[];
  connectionCount(): number;
  /** Which OpenAI-compatible endpoints are on (start options win over config) and their body limits. */
  httpEndpoints(): {
    chatCompletions: { enabled: boolean; maxBodyBytes: number };
    responses: { enabled: boolean; maxBodyBytes: number };
  };
  /** Where the Control UI's files are and the path it is served at; undefined when it is off or not installed. */
  controlUiSite(): ControlUiSite | undefined;
  /** Which Host headers and browser origins are answered (DNS-rebinding defence), from the current config. */
  hostPolicy(): HostPolicy;
  /** The canvas host (`/__openclaw__/canvas/`, `/__openclaw__/a2ui/`): settings, live reload, capability URLs. */
  readonly canvasHost: CanvasHost;
  healthSnapshot(): Promise<HealthResult>;
  presenceEntries(): PresenceEntry[];
  /** Sends an event to every authenticated connection (holding `requiredScope`, when given). */
  broadcast(event: string, payload: unknown, requiredScope?: string): void;
  /** Connections subscribed to live session events (`sessions.subscribe`, OpenClaw's `sessions.changed`). */
  readonly sessionEvents: SessionEventSubscriptions;
  /** Connections following one session's new messages (`sessions.messages.subscribe`, OpenClaw's `session.message`). */
  readonly sessionMessages: SessionMessageSubscriptions;
}
