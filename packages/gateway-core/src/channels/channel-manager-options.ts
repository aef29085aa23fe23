import type { ChannelAccountState } from "@openclaw/plugin-sdk";
import type { ClusterCoordinator } from "@openclaw/sessions";
import type { DiagnosticBus } from "../diagnostics/diagnostic-events.js";
import type { Logger } from "../logging/logger.js";
import type { StateTables } from "../state/table-mirror.js";
import type { BackoffOptions, ChannelChange } from "./channel-account-supervisor.js";
import type { InboundReactionHandler } from "./inbound-reactions.js";
import type {
  ChatStarter,
  InboundCommandHandler,
  InboundMediaPreparer,
  SessionRouting,
} from "./inbound-router.js";
import type { OutboundMediaPort } from "./outbound-media.js";
import type { PairingStore } from "./pairing-store.js";
import type { PluginRegistry } from "./plugin-registry.js";

export interface ChannelManagerConfig {
  channels?: unknown;
  session: SessionRouting;
  /** OpenClaw's top-level `bindings`: route a channel, account or peer to an agent. */
  bindings?: unknown;
  /** OpenClaw's `messages`: the acknowledgement reaction and reply prefix, group mention patterns. */
  messages?: unknown;
  /** OpenClaw's `agents`: identity names (reply prefix) and per-agent group mention patterns. */
  agents?: unknown;
}

export interface ChannelManagerOptions {
  registry: PluginRegistry;
  /** The configured agents: a binding that names another one starts no turn (and creates no state for it). */
  agents?: () => { ids: readonly string[] };
  getConfig: () => ChannelManagerConfig;
  chat: ChatStarter;
  pairing: PairingStore;
  logger: Logger;
  stateDir: string;
  /** Called after every state change of an account (not for lastInboundAt / lastOutboundAt alone). */
  onChange?: (change: ChannelChange) => void;
  now?: () => number;
  backoff?: BackoffOptions;
  /** The agent for messages no binding routes elsewhere; default "main". */
  defaultAgentId?: () => string;
  typingIntervalMs?: number;
  /** In-chat commands (`/new`, `/stop`, ...) of inbound messages; without it every message runs a turn. */
  inboundCommands?: InboundCommandHandler;
  /** Fetches, stores and understands inbound media; without it media is ignored. */
  inboundMedia?: InboundMediaPreparer;
  /** Tells the agent about reactions (`onReaction`); without it reactions are ignored. */
  inboundReactions?: InboundReactionHandler;
  /** Loads the files of answers' `MEDIA:` lines and of `send`'s `mediaUrls`; without it they go out as notes. */
  outboundMedia?: OutboundMediaPort;
  /** Durable values per account (`ctx.state`, e.g. Telegram's update offset); without it they live in memory. */
  accountState?: (channel: string, accountId: string) => ChannelAccountState;
  /** How long `start` / `startChannel` wait for adapters' `startAccount` before returning (they go on starting). */
  startWaitMs?: number;
  /**
   * The start deadline: a `startAccount` that neither resolves nor fails within it is aborted, reported as
   * lastError naming the platform URL and config key, and retried after the backoff. Default 30 s.
   */
  startTimeoutMs?: number;
  /** Telemetry: messages in and out, account connection changes. */
  diagnostics?: DiagnosticBus;
  /**
   * Several gateways sharing one store: each polled or connected account runs only on the instance holding its
   * lease `channel:<channel>:<account>` (webhook-mode accounts run everywhere), and `channels.status` shows the
   * owner. Without it every configured account runs here, as in a single gateway.
   */
  cluster?: ClusterCoordinator;
  /**
   * With `cluster`: the shared store holding the inbound journal (`channels.inbound`), which lets the instance
   * taking an account over answer what the dead owner accepted and never answered. Without it there is no journal.
   */
  clusterStorage?: StateTables;
  /** With `cluster`: an account lease's lifetime without renewal; default 6000 ms. */
  leaseTtlMs?: number;
  /** With `cluster`: how often a standby instance tries to take an account's lease; default 2000 ms (±25%). */
  leaseRetryMs?: number;
  /**
   * How long a graceful stop (`stop`, `stopChannel`) lets an account's running turns answer before its adapter
   * stops (and its lease goes); default 10 s. See account-drain.ts.
   */
  drainMs?: number;
}
