import {
  type ChannelAccountHandle,
  type ChannelPlugin,
  DEFAULT_START_TIMEOUT_MS,
  type InboundMessage,
  type PlatformEndpoint,
  parseChannelAccountConfig,
  resolveChannelAccounts,
  startTimeoutError,
} from "@openclaw/plugin-sdk";
import type { ChannelsStatusResult } from "@openclaw/protocol";
import type { Logger } from "../logging/logger.js";
import {
  type AccountRuntime,
  type ChannelAccountRuntimeSnapshot,
  emptySnapshot,
  runtimeKey,
  stopHandle,
  withTimeout,
} from "./account-runtime.js";
import { resolveBoundAgentId } from "./agent-binding.js";
import { ChannelError, describeError } from "./channel-error.js";
import {
  ChannelOutbound,
  type OutboundSendRequest,
  type OutboundSendResult,
  type PairingApproval,
  type PairingApprovalResult,
} from "./channel-outbound.js";
import {
  DEFAULT_PROBE_TIMEOUT_MS,
  isStarting,
  probeAccount,
  probeVerdict,
  startingProbe,
} from "./channel-probe.js";
import {
  type ChatRoute,
  type ChatStarter,
  type InboundAccount,
  InboundRouter,
  type SessionRouting,
} from "./inbound-router.js";
import type { PairingStore } from "./pairing-store.js";
import type { PluginRegistry } from "./plugin-registry.js";

export const DEFAULT_ACCOUNT_ID = "default";
export const DEFAULT_START_WAIT_MS = 10_000;

export {
  type OutboundSendRequest,
  type OutboundSendResult,
  PAIRING_APPROVED_TEXT,
  type PairingNotification,
} from "./channel-outbound.js";

export interface ChannelChange {
  channel: string;
  accountId: string;
  snapshot: ChannelAccountRuntimeSnapshot;
}

export interface ChannelManagerConfig {
  channels?: unknown;
  session: SessionRouting;
  /** OpenClaw's top-level `bindings`: route a channel, account or peer to an agent. */
  bindings?: unknown;
}

export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
  factor?: number;
  /** After running this long without a crash, the next crash starts the backoff from `initialMs` again. */
  resetAfterMs?: number;
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
  /** How long `start` / `startChannel` wait for adapters' `startAccount` before returning (they go on starting). */
  startWaitMs?: number;
  /**
   * The start deadline: a `startAccount` that neither resolves nor fails within it is aborted, reported as
   * lastError naming the platform URL and config key, and retried after the backoff. Default 30 s.
   */
  startTimeoutMs?: number;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Runs the configured channel accounts: starts them at boot, keeps a runtime snapshot of each, restarts a crashed
 * account after an exponential backoff, and routes inbound messages to the agent. Every plugin call is guarded, so a
 * broken channel or account never affects another one or the gateway.
 */
export class ChannelManager {
  readonly #o: ChannelManagerOptions;
  readonly #now: () => number;
  readonly #backoff: Required<BackoffOptions>;
  readonly #router: InboundRouter;
  readonly #accounts = new Map<string, AccountRuntime>();
  readonly #startWaitMs: number;
  readonly #startTimeoutMs: number;
  readonly #outbound: ChannelOutbound;
  #closed = false;

  constructor(options: ChannelManagerOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
    this.#startWaitMs = options.startWaitMs ?? DEFAULT_START_WAIT_MS;
    this.#startTimeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
    const maxMs = options.backoff?.maxMs ?? 60_000;
    this.#backoff = {
      initialMs: options.backoff?.initialMs ?? 1_000,
      maxMs,
      factor: options.backoff?.factor ?? 2,
      resetAfterMs: options.backoff?.resetAfterMs ?? maxMs,
    };
    this.#outbound = new ChannelOutbound({
      registry: options.registry,
      pairing: options.pairing,
      logger: options.logger,
      runningAccounts: () =>
        [...this.#accounts.values()]
          .filter((rt) => rt.wanted && rt.snapshot.running)
          .map((rt) => ({ channel: rt.channel, accountId: rt.accountId })),
      defaultAccountId: (channel) => this.#defaultAccountId(channel, this.#accountSnapshots(channel)),
      onSent: (channel, accountId) => {
        const rt = this.#accounts.get(runtimeKey(channel, accountId));
        if (rt) this.#patch(rt, { lastOutboundAt: this.#now() });
      },
    });
    this.#router = new InboundRouter({
      chat: options.chat,
      pairing: options.pairing,
      getSession: () => options.getConfig().session,
      resolveAgentId: (message) => this.#agentIdFor(message),
      ...(options.agents
        ? {
            isConfiguredAgent: (agentId: string) =>
              options.agents?.().ids.some((id) => id.toLowerCase() === agentId.toLowerCase()) ?? true,
          }
        : {}),
      now: this.#now,
      ...(options.typingIntervalMs === undefined ? {} : { typingIntervalMs: options.typingIntervalMs }),
    });
  }

  /** Starts every enabled account of every registered channel that has a config section. Never throws. */
  async start(): Promise<void> {
    this.#closed = false;
    const channels = this.#o.registry.channelIds().filter((id) => this.#section(id) !== undefined);
    await Promise.all(
      channels.map(async (channel) => {
        if (this.#section(channel)?.enabled === false) {
          this.#o.logger.info("channel disabled in config; not starting it", { channel });
          return;
        }
        try {
          await this.#startAccounts(channel, undefined, { explicit: false });
        } catch (error) {
          this.#o.logger.error("channel failed to start", { channel, error: describeError(error) });
        }
      }),
    );
  }

  /** Starts one account, or every enabled account of the channel. Throws for an unknown or unconfigured channel. */
  async startChannel(channel: string, accountId?: string): Promise<ChannelAccountRuntimeSnapshot[]> {
    this.#closed = false;
    this.#o.registry.channelMeta(channel);
    if (this.#section(channel) === undefined) {
      throw new ChannelError(
        "CHANNEL_NOT_CONFIGURED",
        `channel "${channel}" has no config section: add channels.${channel} to openclaw.json`,
        { channel },
      );
    }
    return this.#startAccounts(channel, accountId, { explicit: true });
  }

  /** Stops one account, or all of the channel's; resolves within about a second even when an adapter hangs. */
  async stopChannel(channel: string, accountId?: string): Promise<ChannelAccountRuntimeSnapshot[]> {
    this.#o.registry.channelMeta(channel);
    const targets = this.#runtimesOf(channel, accountId);
    await Promise.all(targets.map((rt) => this.#stopAccount(rt, "stopped")));
    return targets.map((rt) => ({ ...rt.snapshot }));
  }

  /** Stops the account(s) and asks the plugin to forget their stored session. */
  async logout(
    channel: string,
    accountId?: string,
  ): Promise<{ channel: string; accountIds: string[]; cleared: boolean }> {
    const plugin = await this.#o.registry.getChannel(channel);
    const ids =
      accountId !== undefined ? [accountId] : this.#configuredAccounts(channel).map((a) => a.accountId);
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

  /** Gateway shutdown: stops every account (each within about a second) and cancels pending restarts. */
  async stop(): Promise<void> {
    this.#closed = true;
    await Promise.all([...this.#accounts.values()].map((rt) => this.#stopAccount(rt, "gateway stopping")));
  }

  /** Resolves when every inbound message received so far has been handled. */
  idle(): Promise<void> {
    return this.#router.idle();
  }

  /** The `channels.status` result; with `probe`, each configured account's adapter is probed under a timeout. */
  async status(
    o: { probe?: boolean; timeoutMs?: number; channel?: string } = {},
  ): Promise<ChannelsStatusResult> {
    const registry = this.#o.registry;
    const ids = o.channel === undefined ? registry.channelIds() : [o.channel];
    const result: ChannelsStatusResult = {
      ts: this.#now(),
      channelOrder: [],
      channelLabels: {},
      channels: {},
      channelAccounts: {},
      channelDefaultAccountId: {},
    };
    await Promise.all(
      ids.map(async (channel) => {
        const meta = registry.channelMeta(channel);
        const accounts = this.#accountSnapshots(channel);
        if (o.probe) await this.#probeAll(channel, accounts, o.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS);
        result.channelLabels[channel] = meta.label;
        result.channelAccounts[channel] = accounts;
        result.channelDefaultAccountId[channel] = this.#defaultAccountId(channel, accounts);
        const configured = this.#section(channel) !== undefined;
        result.channels[channel] = {
          configured,
          enabled: configured && this.#section(channel)?.enabled !== false,
          running: accounts.some((a) => a.running),
          connected: accounts.some((a) => a.connected),
          lastError: accounts.find((a) => a.lastError !== null)?.lastError ?? null,
          accounts: accounts.length,
        };
      }),
    );
    result.channelOrder = ids;
    return result;
  }

  /**
   * Sends a message to a peer or chat of a running account (the WS `send` method), chunked to the platform limit.
   * Without `channel`, the one running channel is used. A repeated `idempotencyKey` returns the first result.
   */
  /** The chat a session last heard from (see {@link InboundRouter.lastRoute}). */
  lastRouteOf(sessionKey: string): ChatRoute | undefined {
    return this.#router.lastRoute(sessionKey);
  }

  send(o: OutboundSendRequest): Promise<OutboundSendResult> {
    return this.#outbound.send(o);
  }

  /**
   * Approves a pending DM pairing code (`channels.pairing.approve`); with `notify`, tells the sender on the same
   * account. Throws `PairingError` PAIRING_CODE_UNKNOWN / PAIRING_CODE_EXPIRED.
   */
  approvePairing(o: PairingApproval): Promise<PairingApprovalResult> {
    return this.#outbound.approvePairing(o);
  }

  #section(channel: string): Record<string, unknown> | undefined {
    const channels = this.#o.getConfig().channels;
    if (!isObject(channels)) return undefined;
    const section = channels[channel];
    return isObject(section) ? section : undefined;
  }

  #configuredAccounts(channel: string): { accountId: string; config: Record<string, unknown> }[] {
    return resolveChannelAccounts(this.#section(channel));
  }

  #defaultAccountId(channel: string, accounts: { accountId: string }[]): string {
    const preferred = this.#section(channel)?.defaultAccount;
    if (typeof preferred === "string" && accounts.some((a) => a.accountId === preferred)) return preferred;
    if (accounts.length === 0 || accounts.some((a) => a.accountId === DEFAULT_ACCOUNT_ID))
      return DEFAULT_ACCOUNT_ID;
    return accounts[0]?.accountId ?? DEFAULT_ACCOUNT_ID;
  }

  #runtimesOf(channel: string, accountId: string | undefined): AccountRuntime[] {
    const all = [...this.#accounts.values()].filter((rt) => rt.channel === channel);
    if (accountId === undefined) return all;
    const one = all.filter((rt) => rt.accountId === accountId);
    if (one.length === 0 && !this.#configuredAccounts(channel).some((a) => a.accountId === accountId)) {
      throw unknownAccount(channel, accountId);
    }
    return one;
  }

  /** Snapshots for every configured account plus any still-running one that left the config. */
  #accountSnapshots(channel: string): ChannelAccountRuntimeSnapshot[] {
    let configured: { accountId: string; config: Record<string, unknown> }[] = [];
    let configError: string | undefined;
    try {
      configured = this.#configuredAccounts(channel);
    } catch (error) {
      configError = describeError(error);
    }
    const out = configured.map(({ accountId, config }) => {
      const rt = this.#accounts.get(runtimeKey(channel, accountId));
      if (rt) return { ...rt.snapshot };
      return {
        ...emptySnapshot(accountId),
        enabled: config.enabled !== false && this.#section(channel)?.enabled !== false,
      };
    });
    for (const rt of this.#accounts.values()) {
      if (rt.channel === channel && !out.some((s) => s.accountId === rt.accountId))
        out.push({ ...rt.snapshot });
    }
    if (configError !== undefined && out.length === 0) {
      out.push({ ...emptySnapshot(DEFAULT_ACCOUNT_ID), lastError: configError });
    }
    return out;
  }

  async #probeAll(
    channel: string,
    accounts: ChannelAccountRuntimeSnapshot[],
    timeoutMs: number,
  ): Promise<void> {
    let plugin: ChannelPlugin;
    try {
      plugin = await this.#o.registry.getChannel(channel);
    } catch (error) {
      for (const account of accounts) account.probe = { ok: false, detail: describeError(error) };
      return;
    }
    if (plugin.probe === undefined) return;
    await Promise.all(
      accounts
        .filter((account) => account.enabled)
        .map(async (account) => {
          const rt = this.#accounts.get(runtimeKey(channel, account.accountId));
          if (rt !== undefined && isStarting(rt)) {
            account.probe = startingProbe(rt.snapshot, this.#now());
            return;
          }
          const probe = await probeAccount(plugin, account.accountId, timeoutMs);
          const verdict = rt === undefined ? undefined : probeVerdict(rt, probe);
          if (rt !== undefined && verdict !== undefined) {
            this.#patch(rt, verdict);
            Object.assign(account, rt.snapshot);
          }
          account.probe = probe;
        }),
    );
  }

  async #startAccounts(
    channel: string,
    accountId: string | undefined,
    o: { explicit: boolean },
  ): Promise<ChannelAccountRuntimeSnapshot[]> {
    let accounts = this.#configuredAccounts(channel);
    if (accountId !== undefined) {
      accounts = accounts.filter((a) => a.accountId === accountId);
      if (accounts.length === 0) throw unknownAccount(channel, accountId);
    }
    let plugin: ChannelPlugin | undefined;
    let loadError: string | undefined;
    try {
      plugin = await this.#o.registry.getChannel(channel);
    } catch (error) {
      loadError = describeError(error);
      this.#o.logger.error("channel plugin failed to load", { channel, error: loadError });
    }
    const started: AccountRuntime[] = [];
    const launches: Promise<void>[] = [];
    for (const account of accounts) {
      const rt = this.#runtime(channel, account.accountId, account.config);
      rt.snapshot.enabled = account.config.enabled !== false;
      if (!rt.snapshot.enabled) {
        if (o.explicit) {
          throw new ChannelError(
            "CHANNEL_NOT_CONFIGURED",
            `channel "${channel}" account "${account.accountId}" is disabled: set enabled to true in channels.${channel} first`,
            { channel },
          );
        }
        continue;
      }
      if (rt.wanted && (rt.snapshot.running || rt.restartTimer !== undefined)) {
        started.push(rt);
        continue;
      }
      if (plugin === undefined) {
        this.#patch(rt, { lastError: loadError ?? "channel plugin failed to load", configured: false });
        continue;
      }
      let parsed: unknown;
      try {
        parsed = parseChannelAccountConfig(plugin, account.accountId, account.config);
      } catch (error) {
        this.#patch(rt, { configured: false, lastError: describeError(error) });
        this.#o.logger.error("channel account config invalid; not starting it", {
          channel,
          accountId: account.accountId,
          error: describeError(error),
        });
        continue;
      }
      rt.plugin = plugin;
      rt.wanted = true;
      rt.snapshot.reconnectAttempts = 0;
      this.#patch(rt, { configured: true });
      started.push(rt);
      launches.push(this.#launch(rt, parsed));
    }
    // Accounts start side by side; a start that hangs keeps running in the background instead of holding the caller.
    await withTimeout(() => Promise.all(launches), this.#startWaitMs, "start still pending");
    return started.map((rt) => ({ ...rt.snapshot }));
  }

  #runtime(channel: string, accountId: string, rawConfig: Record<string, unknown>): AccountRuntime {
    const key = runtimeKey(channel, accountId);
    let rt = this.#accounts.get(key);
    if (!rt) {
      rt = {
        channel,
        accountId,
        snapshot: emptySnapshot(accountId),
        rawConfig,
        generation: 0,
        wanted: false,
      };
      this.#accounts.set(key, rt);
    }
    rt.rawConfig = rawConfig;
    return rt;
  }

  async #launch(rt: AccountRuntime, parsedConfig: unknown): Promise<void> {
    const plugin = rt.plugin;
    if (!plugin || !rt.wanted || this.#closed) return;
    this.#clearTimers(rt);
    rt.generation += 1;
    const generation = rt.generation;
    const abort = new AbortController();
    rt.abort = abort;
    rt.handle = undefined;
    this.#patch(rt, { running: true, connected: false, lastStartAt: this.#now() });
    const logger = this.#o.logger.child({ channel: rt.channel, accountId: rt.accountId });
    const current = () => rt.generation === generation && rt.wanted;
    const account: InboundAccount = {
      plugin,
      accountId: rt.accountId,
      config: rt.rawConfig,
      logger,
      isActive: () => rt.wanted && !this.#closed,
      onInbound: (at) => this.#patch(rt, { lastInboundAt: at }),
      onOutbound: (at) => this.#patch(rt, { lastOutboundAt: at }),
      onFatal: (error) => {
        if (current()) void this.#crash(rt, generation, parsedConfig, error);
      },
    };
    const context = {
      accountId: rt.accountId,
      config: parsedConfig,
      logger,
      signal: abort.signal,
      onInbound: (message: InboundMessage) => {
        if (!current()) return;
        this.#router.accept(account, message);
      },
      setStatus: (patch: { connected?: boolean; lastError?: string | null }) => {
        if (!current()) return;
        const update: Partial<ChannelAccountRuntimeSnapshot> = {};
        if (typeof patch.connected === "boolean") update.connected = patch.connected;
        if (patch.lastError === null || typeof patch.lastError === "string")
          update.lastError = patch.lastError;
        this.#patch(rt, update);
        // An adapter reporting "disconnected, with an error" has given up; the manager restarts it.
        if (patch.connected === false && typeof patch.lastError === "string") {
          void this.#crash(rt, generation, parsedConfig, new Error(patch.lastError));
        }
      },
    };
    const starting = Promise.resolve().then(() => plugin.startAccount(context));
    let handle: ChannelAccountHandle;
    try {
      const outcome = await withTimeout(() => starting, this.#startTimeoutMs, "start deadline");
      if (outcome.timedOut) {
        // A library retrying quietly (or a platform that never answers) must not look like a healthy start.
        // The crash aborts the signal; a handle that still arrives later is stopped at once.
        starting.then((late) => stopHandle(late, abort, logger)).catch(() => undefined);
        if (current()) await this.#crash(rt, generation, parsedConfig, this.#startTimeout(rt, parsedConfig));
        return;
      }
      handle = outcome.value;
    } catch (error) {
      if (current()) await this.#crash(rt, generation, parsedConfig, error);
      return;
    }
    if (!current()) {
      // Stopped or crashed while starting: this handle belongs to nobody.
      await stopHandle(handle, abort, logger);
      return;
    }
    rt.handle = handle;
    this.#watchDone(rt, generation, parsedConfig, handle);
    rt.healthyTimer = setTimeout(() => {
      if (current() && rt.snapshot.reconnectAttempts > 0) this.#patch(rt, { reconnectAttempts: 0 });
    }, this.#backoff.resetAfterMs);
    rt.healthyTimer.unref?.();
  }

  #startTimeout(rt: AccountRuntime, parsedConfig: unknown): Error {
    const plugin = rt.plugin;
    let endpoint: PlatformEndpoint | undefined;
    try {
      endpoint = plugin?.platformEndpoint?.(parsedConfig);
    } catch {
      endpoint = undefined;
    }
    return startTimeoutError({
      channelId: rt.channel,
      label: plugin?.meta.label ?? rt.channel,
      accountId: rt.accountId,
      timeoutMs: this.#startTimeoutMs,
      endpoint,
    });
  }

  /** Adapters may expose `done` on their handle (settles when the account stops on its own): that is a crash too. */
  #watchDone(
    rt: AccountRuntime,
    generation: number,
    parsedConfig: unknown,
    handle: ChannelAccountHandle,
  ): void {
    const done = (handle as { done?: unknown }).done;
    if (!(done instanceof Promise)) return;
    done.then(
      () => {
        if (rt.generation === generation && rt.wanted) {
          void this.#crash(rt, generation, parsedConfig, new Error("the account stopped on its own"));
        }
      },
      (error: unknown) => {
        if (rt.generation === generation && rt.wanted) void this.#crash(rt, generation, parsedConfig, error);
      },
    );
  }

  async #crash(rt: AccountRuntime, generation: number, parsedConfig: unknown, error: unknown): Promise<void> {
    if (rt.generation !== generation || !rt.wanted) return;
    rt.generation += 1;
    const message = describeError(error);
    const attempts = rt.snapshot.reconnectAttempts;
    const delay = Math.min(this.#backoff.maxMs, this.#backoff.initialMs * this.#backoff.factor ** attempts);
    this.#o.logger.error("channel account failed; restarting after backoff", {
      channel: rt.channel,
      accountId: rt.accountId,
      error: message,
      attempt: attempts + 1,
      delayMs: delay,
    });
    const handle = rt.handle;
    const abort = rt.abort;
    rt.handle = undefined;
    this.#clearTimers(rt);
    this.#patch(rt, {
      running: false,
      connected: false,
      lastError: message,
      lastStopAt: this.#now(),
      reconnectAttempts: attempts + 1,
    });
    const restartGeneration = rt.generation;
    rt.restartTimer = setTimeout(() => {
      rt.restartTimer = undefined;
      if (rt.generation === restartGeneration && rt.wanted && !this.#closed)
        void this.#launch(rt, parsedConfig);
    }, delay);
    rt.restartTimer.unref?.();
    if (handle && abort) await stopHandle(handle, abort, this.#o.logger);
    else abort?.abort();
  }

  async #stopAccount(rt: AccountRuntime, reason: string): Promise<void> {
    const wasActive = rt.wanted && (rt.snapshot.running || rt.restartTimer !== undefined);
    rt.wanted = false;
    rt.generation += 1;
    this.#clearTimers(rt);
    const handle = rt.handle;
    const abort = rt.abort;
    rt.handle = undefined;
    rt.abort = undefined;
    if (handle && abort) await stopHandle(handle, abort, this.#o.logger);
    else abort?.abort();
    if (wasActive || rt.snapshot.running) {
      this.#patch(rt, { running: false, connected: false, lastStopAt: this.#now() });
      this.#o.logger.info("channel account stopped", {
        channel: rt.channel,
        accountId: rt.accountId,
        reason,
      });
    }
  }

  #clearTimers(rt: AccountRuntime): void {
    if (rt.restartTimer) clearTimeout(rt.restartTimer);
    if (rt.healthyTimer) clearTimeout(rt.healthyTimer);
    rt.restartTimer = undefined;
    rt.healthyTimer = undefined;
  }

  #patch(rt: AccountRuntime, update: Partial<ChannelAccountRuntimeSnapshot>): void {
    Object.assign(rt.snapshot, update);
    // Message timestamps change with every message; listeners (health / presence events) want state changes only.
    if (Object.keys(update).every((key) => key === "lastInboundAt" || key === "lastOutboundAt")) return;
    try {
      this.#o.onChange?.({ channel: rt.channel, accountId: rt.accountId, snapshot: { ...rt.snapshot } });
    } catch (error) {
      this.#o.logger.warn("channel change listener failed", { error: describeError(error) });
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

const DEFAULT_AGENT_ID = "main";

function unknownAccount(channel: string, accountId: string): ChannelError {
  return new ChannelError(
    "CHANNEL_ACCOUNT_UNKNOWN",
    `channel "${channel}" has no account "${accountId}": add channels.${channel}.accounts.${accountId} or pick a configured account`,
    { channel },
  );
}
