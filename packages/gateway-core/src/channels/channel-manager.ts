import { DEFAULT_START_TIMEOUT_MS, type InboundMessage, type SenderIdSpelling } from "@openclaw/plugin-sdk";
import type { ChannelsStatusResult } from "@openclaw/protocol";
import { channelStateReporter } from "../diagnostics/channel-state-reporter.js";
import { DEFAULT_CHANNEL_DRAIN_MS } from "./account-drain.js";
import type { ChannelAccountRuntimeSnapshot } from "./account-runtime.js";
import { resolveBoundAgentId } from "./agent-binding.js";
import { ChannelAccountSupervisor, type ChannelChange } from "./channel-account-supervisor.js";
import { type ChannelClusterParts, createChannelClusterParts } from "./channel-cluster-parts.js";
import { ChannelConfigView } from "./channel-config-view.js";
import { ChannelError, describeError } from "./channel-error.js";
import type { ChannelManagerOptions } from "./channel-manager-options.js";
import {
  ChannelOutbound,
  type OutboundSendRequest,
  type OutboundSendResult,
  type PairingApproval,
  type PairingApprovalResult,
} from "./channel-outbound.js";
import { remoteOwnerOf } from "./channel-send-forwarding.js";
import { accountSnapshots, buildChannelsStatus } from "./channel-status.js";
import { type ChatRoute, InboundRouter } from "./inbound-router.js";
import { resolveMentionPatterns } from "./mention-patterns.js";

export const DEFAULT_START_WAIT_MS = 10_000;
const DEFAULT_AGENT_ID = "main";

export type { BackoffOptions, ChannelChange } from "./channel-account-supervisor.js";
export { DEFAULT_ACCOUNT_ID } from "./channel-config-view.js";
export type { ChannelManagerConfig, ChannelManagerOptions } from "./channel-manager-options.js";
export {
  type OutboundSendRequest,
  type OutboundSendResult,
  PAIRING_APPROVED_TEXT,
  type PairingNotification,
} from "./channel-outbound.js";

/**
 * Runs the configured channel accounts: starts them at boot, keeps a runtime snapshot of each, restarts a crashed
 * account after an exponential backoff, and routes inbound messages to the agent. It composes the parts that do the
 * work: the account supervisor (lifecycle and backoff), the inbound router, the outbound sender and the status
 * builder. Every plugin call is guarded, so a broken channel or account never affects another one or the gateway.
 */
export class ChannelManager {
  readonly #o: ChannelManagerOptions;
  readonly #now: () => number;
  readonly #config: ChannelConfigView;
  readonly #accounts: ChannelAccountSupervisor;
  readonly #router: InboundRouter;
  readonly #outbound: ChannelOutbound;
  readonly #cluster: ChannelClusterParts | undefined;

  constructor(options: ChannelManagerOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
    this.#config = new ChannelConfigView(() => options.getConfig().channels);
    this.#router = new InboundRouter({
      chat: options.chat,
      pairing: options.pairing,
      getSession: () => options.getConfig().session,
      resolveAgentId: (message) => this.#agentIdFor(message),
      mentionPatterns: (agentId) =>
        resolveMentionPatterns(options.getConfig().messages, options.getConfig().agents, agentId),
      ...(options.agents
        ? {
            isConfiguredAgent: (agentId: string) =>
              options.agents?.().ids.some((id) => id.toLowerCase() === agentId.toLowerCase()) ?? true,
          }
        : {}),
      now: this.#now,
      ...(options.typingIntervalMs === undefined ? {} : { typingIntervalMs: options.typingIntervalMs }),
      ...(options.inboundCommands ? { commands: options.inboundCommands } : {}),
      ...(options.inboundMedia ? { media: options.inboundMedia } : {}),
      ...(options.inboundReactions ? { reactions: options.inboundReactions } : {}),
      replies: {
        messagesConfig: () => options.getConfig().messages,
        agentsConfig: () => options.getConfig().agents,
        ...(options.outboundMedia ? { media: options.outboundMedia } : {}),
      },
      ...(options.diagnostics ? { diagnostics: options.diagnostics } : {}),
    });
    const parts = options.cluster
      ? createChannelClusterParts({
          cluster: options.cluster,
          clusterStorage: options.clusterStorage,
          leaseTtlMs: options.leaseTtlMs,
          leaseRetryMs: options.leaseRetryMs,
          logger: options.logger,
          now: this.#now,
          accept: (account, message, o) => this.#router.accept(account, message, o),
          sendHere: (o) => this.#outbound.send(o),
        })
      : undefined;
    this.#cluster = parts;
    const journal = parts?.journal;
    this.#accounts = new ChannelAccountSupervisor({
      ...(parts ? { ownership: parts.ownership } : {}),
      ...(journal ? { openInbound: (account, rt) => journal.openRun(account, rt) } : {}),
      config: this.#config,
      loadPlugin: (channel) => options.registry.getChannel(channel),
      accept: (account, message) => this.#router.accept(account, message),
      acceptReaction: (account, reaction) => this.#router.acceptReaction(account, reaction),
      nativeCommands: (channel, accountConfig) =>
        options.inboundCommands?.nativeCommands?.(channel, accountConfig),
      logger: options.logger,
      now: this.#now,
      ...(options.accountState ? { accountState: options.accountState } : {}),
      ...(options.onChange || options.diagnostics ? { onChange: this.#onChange(options) } : {}),
      ...(options.backoff ? { backoff: options.backoff } : {}),
      startWaitMs: options.startWaitMs ?? DEFAULT_START_WAIT_MS,
      startTimeoutMs: options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS,
    });
    this.#outbound = new ChannelOutbound({
      registry: options.registry,
      pairing: options.pairing,
      logger: options.logger,
      runningAccounts: () =>
        this.#accounts
          .all()
          .filter((rt) => (rt.wanted || rt.draining !== undefined) && rt.snapshot.running)
          .map((rt) => ({ channel: rt.channel, accountId: rt.accountId })),
      defaultAccountId: (channel) =>
        this.#config.defaultAccountId(channel, accountSnapshots(this.#statusDeps(), channel)),
      ...(options.outboundMedia ? { media: options.outboundMedia } : {}),
      accountConfig: (channel, accountId) => this.#accountConfig(channel, accountId),
      onSent: (channel, accountId) => {
        const rt = this.#accounts.get(channel, accountId);
        if (rt) this.#accounts.patch(rt, { lastOutboundAt: this.#now() });
      },
    });
  }

  /** Starts every enabled account of every registered channel that has a config section. Never throws. */
  async start(): Promise<void> {
    this.#accounts.reopen();
    const channels = this.#o.registry.channelIds().filter((id) => this.#config.isConfigured(id));
    await Promise.all(
      channels.map(async (channel) => {
        if (!this.#config.isEnabled(channel)) {
          this.#o.logger.info("channel disabled in config; not starting it", { channel });
          return;
        }
        try {
          await this.#accounts.startAccounts(channel, undefined, { explicit: false });
        } catch (error) {
          this.#o.logger.error("channel failed to start", { channel, error: describeError(error) });
        }
      }),
    );
  }

  /** Starts one account, or every enabled account of the channel. Throws for an unknown or unconfigured channel. */
  async startChannel(channel: string, accountId?: string): Promise<ChannelAccountRuntimeSnapshot[]> {
    this.#accounts.reopen();
    this.#o.registry.channelMeta(channel);
    if (!this.#config.isConfigured(channel)) {
      throw new ChannelError(
        "CHANNEL_NOT_CONFIGURED",
        `channel "${channel}" has no config section: add channels.${channel} to openclaw.json`,
        { channel },
      );
    }
    return this.#accounts.startAccounts(channel, accountId, { explicit: true });
  }

  /**
   * Stops one account, or all of the channel's (`channels.stop`, logout): their running turns answer first, for at
   * most `drainMs` (see account-drain.ts); then each stops within about a second even when its adapter hangs.
   */
  async stopChannel(channel: string, accountId?: string): Promise<ChannelAccountRuntimeSnapshot[]> {
    this.#o.registry.channelMeta(channel);
    const targets = this.#accounts.runtimesOf(channel, accountId);
    await Promise.all(targets.map((rt) => this.#accounts.stopAccount(rt, "stopped", this.#drain())));
    return targets.map((rt) => ({ ...rt.snapshot }));
  }

  /**
   * After the channel's config section changed (or went away, e.g. `openclaw config reset`): stops its accounts,
   * forgets the ones that left the config, and starts the channel again only while it is configured and enabled.
   * An account that starts again is not drained: its running turns answer through the restarted run (they see the
   * account active again), and a drain would only delay the restart. One that stays stopped is drained.
   */
  async applyConfigChange(channel: string): Promise<void> {
    const restarting = new Set(this.#config.restartingAccounts(channel));
    await Promise.all(
      this.#accounts
        .runtimesOf(channel, undefined)
        .map((rt) =>
          this.#accounts.stopAccount(rt, "config changed", restarting.has(rt.accountId) ? {} : this.#drain()),
        ),
    );
    this.#accounts.forgetRemoved(channel);
    if (!this.#config.isConfigured(channel)) {
      this.#o.logger.info("channel removed from the config; stopped it", { channel });
      return;
    }
    if (!this.#config.isEnabled(channel)) return;
    await this.#accounts.startAccounts(channel, undefined, { explicit: false });
  }

  /** The registered channels that have a config section: the ones `status` lists as present. */
  configuredChannelIds(): string[] {
    return this.#o.registry.channelIds().filter((id) => this.#config.isConfigured(id));
  }

  /** Stops the account(s) and asks the plugin to forget their stored session. */
  async logout(
    channel: string,
    accountId?: string,
  ): Promise<{ channel: string; accountIds: string[]; cleared: boolean }> {
    const plugin = await this.#o.registry.getChannel(channel);
    const ids =
      accountId !== undefined ? [accountId] : this.#config.accounts(channel).map((a) => a.accountId);
    await this.stopChannel(channel, accountId);
    const logout = plugin.logout;
    if (logout === undefined) return { channel, accountIds: ids, cleared: false };
    for (const id of ids) {
      try {
        await logout.call(plugin, { accountId: id });
      } catch (error) {
        throw new ChannelError(
          "CHANNEL_SEND_FAILED",
          `channel "${channel}" account "${id}" could not log out: ${describeError(error)}`,
          { channel, cause: error },
        );
      }
    }
    return { channel, accountIds: ids, cleared: true };
  }

  /** Gateway shutdown: stops every account (each drains first: account-drain.ts), cancels pending restarts. */
  async stop(): Promise<void> {
    await this.#accounts.stopAll("gateway stopping", this.#drain());
  }

  #drain(): { drainMs: number } {
    return { drainMs: this.#o.drainMs ?? DEFAULT_CHANNEL_DRAIN_MS };
  }

  /** Resolves when every inbound message received so far has been handled. */
  idle(): Promise<void> {
    return this.#router.idle();
  }

  /** The `channels.status` result; with `probe`, each configured account's adapter is probed under a timeout. */
  status(o: { probe?: boolean; timeoutMs?: number; channel?: string } = {}): Promise<ChannelsStatusResult> {
    return buildChannelsStatus(this.#statusDeps(), o);
  }

  /** How a running channel's platform spells sender ids (its plugin's `senderIds`), for access decisions. */
  senderIdsOf(channel: string): SenderIdSpelling | undefined {
    return this.#o.registry.loadedChannel(channel)?.senderIds;
  }

  /** The chat a session last heard from (see {@link InboundRouter.lastRoute}). */
  lastRouteOf(sessionKey: string): ChatRoute | undefined {
    return this.#router.lastRoute(sessionKey);
  }

  /**
   * Sends a message to a peer or chat of a running account (the WS `send` method), chunked to the platform limit.
   * Without `channel`, the one running channel is used. A repeated `idempotencyKey` returns the first result.
   */
  async send(o: OutboundSendRequest): Promise<OutboundSendResult> {
    const cluster = this.#cluster;
    if (cluster) {
      // In a cluster, an account another instance runs is sent through by that instance.
      const channel = o.channel ?? this.#onlyConfiguredChannel();
      if (channel !== undefined) {
        const accountId =
          o.accountId ??
          this.#config.defaultAccountId(channel, accountSnapshots(this.#statusDeps(), channel));
        const standby = this.#accounts.get(channel, accountId)?.standby === true;
        const owner = await remoteOwnerOf(cluster.cluster, { channel, accountId, standby });
        if (owner !== undefined) return cluster.forwarding.forward(owner, { ...o, channel, accountId });
      }
    }
    return this.#outbound.send(o);
  }

  #onlyConfiguredChannel(): string | undefined {
    const ids = this.configuredChannelIds();
    return ids.length === 1 ? ids[0] : undefined;
  }

  /**
   * Approves a pending DM pairing code (`channels.pairing.approve`); with `notify`, tells the sender on the same
   * account. Throws `PairingError` PAIRING_CODE_UNKNOWN / PAIRING_CODE_EXPIRED.
   */
  approvePairing(o: PairingApproval): Promise<PairingApprovalResult> {
    return this.#outbound.approvePairing(o);
  }

  /** Each configured account and whether it is connected now (read at scrape time by the metrics). */
  accountStates(): { channel: string; accountId: string; connected: boolean }[] {
    return this.#accounts
      .all()
      .map((rt) => ({ channel: rt.channel, accountId: rt.accountId, connected: rt.snapshot.connected }));
  }

  #onChange(options: ChannelManagerOptions): (change: ChannelChange) => void {
    const report = options.diagnostics ? channelStateReporter(options.diagnostics) : undefined;
    return (change) => {
      report?.(change);
      options.onChange?.(change);
    };
  }

  #statusDeps() {
    return { registry: this.#o.registry, config: this.#config, accounts: this.#accounts, now: this.#now };
  }

  /** The account's config (channel root overlaid with the account), or undefined when it is not configured. */
  #accountConfig(channel: string, accountId: string): Record<string, unknown> | undefined {
    try {
      return this.#config.accounts(channel).find((account) => account.accountId === accountId)?.config;
    } catch {
      return undefined;
    }
  }

  #agentIdFor(message: InboundMessage): string {
    return (
      resolveBoundAgentId(this.#o.getConfig().bindings, message) ??
      this.#o.defaultAgentId?.() ??
      DEFAULT_AGENT_ID
    );
  }
}
