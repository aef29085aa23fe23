import {
  type ChannelAccountHandle,
  type ChannelAccountState,
  type ChannelPlugin,
  type InboundMessage,
  type InboundReaction,
  type NativeCommand,
  parseChannelAccountConfig,
} from "@openclaw/plugin-sdk";
import type { Logger } from "../logging/logger.js";
import { type BackoffOptions, resolveBackoff } from "./account-backoff.js";
import { drainAccount } from "./account-drain.js";
import {
  type AccountRuntime,
  accountStartTimeoutError,
  type ChannelAccountRuntimeSnapshot,
  statusUpdate,
  stopHandle,
  watchDone,
  withTimeout,
} from "./account-runtime.js";
import { AccountRuntimeTable, type ChannelChange } from "./account-runtime-table.js";
import type { AccountOwnership } from "./channel-account-leases.js";
import { type ChannelConfigView, unknownAccountError } from "./channel-config-view.js";
import { ChannelError, describeError } from "./channel-error.js";
import type { RunInbound } from "./inbound-journal.js";
import type { InboundAccount } from "./inbound-router.js";
import { openLocalInboundRun } from "./local-inbound-run.js";

export type { BackoffOptions } from "./account-backoff.js";
export type { ChannelChange } from "./account-runtime-table.js";

export interface ChannelAccountSupervisorOptions {
  config: ChannelConfigView;
  loadPlugin: (channel: string) => Promise<ChannelPlugin>;
  /** Hands an inbound message of a current run to the router; settles once it was handled. */
  accept: (account: InboundAccount, message: unknown) => Promise<void> | undefined;
  /**
   * Cluster mode: the inbound path of one run (journal replay, then live messages through the journal), opened
   * before the adapter starts. Without it every message goes to `accept`.
   */
  openInbound?: (account: InboundAccount, rt: AccountRuntime) => Promise<RunInbound>;
  /** Cluster mode: runs each account only while this instance holds its lease (webhook accounts everywhere). */
  ownership?: AccountOwnership;
  /** Hands a reaction of a current run to the router. */
  acceptReaction?: (account: InboundAccount, reaction: InboundReaction) => void;
  /** The in-chat commands an account registers natively (`ctx.commands`); undefined leaves it out. */
  nativeCommands?: (channel: string, accountConfig: Record<string, unknown>) => NativeCommand[] | undefined;
  /** Durable values per account (`ctx.state`); without it adapters keep cursors in memory only. */
  accountState?: (channel: string, accountId: string) => ChannelAccountState;
  logger: Logger;
  now: () => number;
  onChange?: (change: ChannelChange) => void;
  backoff?: BackoffOptions;
  startWaitMs: number;
  startTimeoutMs: number;
}

/**
 * The lifecycle of every channel account: starts it under a deadline, watches it, restarts a crashed one after an
 * exponential backoff, and stops it within about a second. Every plugin call is guarded, so a broken account never
 * affects another one.
 */
export class ChannelAccountSupervisor {
  readonly #o: ChannelAccountSupervisorOptions;
  readonly #backoff: Required<BackoffOptions>;
  readonly #accounts: AccountRuntimeTable;
  /** The inbound path of each account's current run, for a graceful stop's drain. */
  readonly #runs = new WeakMap<AccountRuntime, RunInbound>();
  #closed = false;

  constructor(options: ChannelAccountSupervisorOptions) {
    this.#o = options;
    this.#backoff = resolveBackoff(options.backoff);
    this.#accounts = new AccountRuntimeTable({
      logger: options.logger,
      ...(options.onChange ? { onChange: options.onChange } : {}),
    });
  }

  /** Allows starts again after {@link stopAll}. */
  reopen(): void {
    this.#closed = false;
  }

  get(channel: string, accountId: string): AccountRuntime | undefined {
    return this.#accounts.get(channel, accountId);
  }

  /** Every account the gateway has seen, in the order it first saw them. */
  all(): AccountRuntime[] {
    return this.#accounts.all();
  }

  /** One account, or all of the channel's; throws for an account neither running nor configured. */
  runtimesOf(channel: string, accountId: string | undefined): AccountRuntime[] {
    const all = this.all().filter((rt) => rt.channel === channel);
    if (accountId === undefined) return all;
    const one = all.filter((rt) => rt.accountId === accountId);
    if (one.length === 0 && !this.#o.config.accounts(channel).some((a) => a.accountId === accountId)) {
      throw unknownAccountError(channel, accountId);
    }
    return one;
  }

  /**
   * Starts one account, or every enabled account of the channel, and waits up to `startWaitMs` for them. With
   * `explicit`, a disabled account is an error instead of being skipped.
   */
  async startAccounts(
    channel: string,
    accountId: string | undefined,
    o: { explicit: boolean },
  ): Promise<ChannelAccountRuntimeSnapshot[]> {
    let accounts = this.#o.config.accounts(channel);
    if (accountId !== undefined) {
      accounts = accounts.filter((a) => a.accountId === accountId);
      if (accounts.length === 0) throw unknownAccountError(channel, accountId);
    }
    let plugin: ChannelPlugin | undefined;
    let loadError: string | undefined;
    try {
      plugin = await this.#o.loadPlugin(channel);
    } catch (error) {
      loadError = describeError(error);
      this.#o.logger.error("channel plugin failed to load", { channel, error: loadError });
    }
    const started: AccountRuntime[] = [];
    const launches: Promise<void>[] = [];
    for (const account of accounts) {
      const rt = this.#accounts.obtain(channel, account.accountId, account.config);
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
      if (rt.wanted && (rt.snapshot.running || rt.restartTimer !== undefined || rt.standby)) {
        started.push(rt);
        continue;
      }
      if (plugin === undefined) {
        this.patch(rt, { lastError: loadError ?? "channel plugin failed to load", configured: false });
        continue;
      }
      let parsed: unknown;
      try {
        parsed = parseChannelAccountConfig(plugin, account.accountId, account.config);
      } catch (error) {
        this.patch(rt, { configured: false, lastError: describeError(error) });
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
      this.patch(rt, { configured: true });
      started.push(rt);
      launches.push(this.#begin(rt, parsed));
    }
    // Accounts start side by side; a start that hangs keeps running in the background instead of holding the caller.
    await withTimeout(() => Promise.all(launches), this.#o.startWaitMs, "start still pending");
    return started.map((rt) => ({ ...rt.snapshot }));
  }

  /** Stops the account; with `drainMs` (a graceful stop) its running turns first answer: see drainAccount. */
  async stopAccount(rt: AccountRuntime, reason: string, o: { drainMs?: number } = {}): Promise<void> {
    const wasActive = rt.wanted && (rt.snapshot.running || rt.restartTimer !== undefined || rt.standby);
    rt.wanted = false;
    await drainAccount(rt, this.#runs.get(rt), o.drainMs, this.#o.logger);
    await this.#detach(rt);
    // Released only once the adapter stopped, so the instance taking over never polls next to this one.
    await this.#o.ownership?.end(rt);
    if (wasActive || rt.snapshot.running) {
      const ownership = rt.snapshot.ownership ? { ownership: undefined, owner: undefined } : {};
      this.patch(rt, { running: false, connected: false, lastStopAt: this.#o.now(), ...ownership });
      this.#o.logger.info("channel account stopped", {
        channel: rt.channel,
        accountId: rt.accountId,
        reason,
      });
    }
  }

  /**
   * Drops the runtimes of the channel's stopped accounts that are no longer in the config, so a removed account
   * leaves `channels.status` instead of lingering there as "stopped". A malformed section forgets nothing.
   */
  forgetRemoved(channel: string): void {
    let configured: Set<string>;
    try {
      configured = new Set(
        this.#o.config.isConfigured(channel) ? this.#o.config.accounts(channel).map((a) => a.accountId) : [],
      );
    } catch {
      return;
    }
    this.#accounts.forgetStopped(channel, configured);
  }

  /** Gateway shutdown: stops every account (draining each for up to `drainMs`), keeps restarts from launching. */
  async stopAll(reason: string, o: { drainMs?: number } = {}): Promise<void> {
    this.#closed = true;
    await Promise.all(this.all().map((rt) => this.stopAccount(rt, reason, o)));
  }

  /** Updates the snapshot and tells the listener, except for message timestamps alone. */
  patch(rt: AccountRuntime, update: Partial<ChannelAccountRuntimeSnapshot>): void {
    this.#accounts.patch(rt, update);
  }

  #begin(rt: AccountRuntime, parsedConfig: unknown): Promise<void> {
    const ownership = this.#o.ownership;
    if (!ownership) return this.#launch(rt, parsedConfig);
    return ownership.begin(rt, parsedConfig, {
      launch: () => this.#launch(rt, parsedConfig),
      lost: () => void this.#standDown(rt),
      patch: (update) => this.patch(rt, update),
    });
  }

  /** The lease went to another instance: stop the adapter at once, keep wanting the account (standby). */
  async #standDown(rt: AccountRuntime): Promise<void> {
    rt.draining?.abort();
    const stopping = this.#detach(rt);
    this.patch(rt, { running: false, connected: false, lastStopAt: this.#o.now() });
    await stopping;
  }

  /** Ends the current run: its late callbacks are ignored (synchronously), timers cleared, the adapter stopped. */
  async #detach(rt: AccountRuntime): Promise<void> {
    rt.generation += 1;
    this.#clearTimers(rt);
    this.#runs.delete(rt);
    const { handle, abort } = rt;
    rt.handle = undefined;
    rt.abort = undefined;
    if (handle && abort) await stopHandle(handle, abort, this.#o.logger);
    else abort?.abort();
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
    this.patch(rt, { running: true, connected: false, lastStartAt: this.#o.now() });
    const logger = this.#o.logger.child({ channel: rt.channel, accountId: rt.accountId });
    const current = () => rt.generation === generation && rt.wanted;
    const account: InboundAccount = {
      plugin,
      accountId: rt.accountId,
      config: rt.rawConfig,
      logger,
      // A standby instance (its lease went elsewhere) must not answer: the owner replays what is unanswered.
      isActive: () => !rt.standby && (rt.draining !== undefined || (rt.wanted && !this.#closed)),
      onInbound: (at) => this.patch(rt, { lastInboundAt: at }),
      onOutbound: (at) => this.patch(rt, { lastOutboundAt: at }),
      onFatal: (error) => {
        if (current()) void this.#crash(rt, generation, parsedConfig, error);
      },
    };
    let inbound: RunInbound;
    try {
      inbound =
        (await this.#o.openInbound?.(account, rt)) ??
        openLocalInboundRun(account, (message) => this.#o.accept(account, message), abort.signal);
    } catch (error) {
      if (current()) await this.#crash(rt, generation, parsedConfig, error);
      return;
    }
    if (!current()) return;
    this.#runs.set(rt, inbound);
    const acceptReaction = this.#o.acceptReaction;
    const commands = plugin.capabilities.nativeCommands
      ? this.#o.nativeCommands?.(rt.channel, rt.rawConfig)
      : undefined;
    const state = this.#o.accountState?.(rt.channel, rt.accountId);
    const context = {
      ...(commands ? { commands } : {}),
      ...(state ? { state } : {}),
      ...(acceptReaction
        ? {
            onReaction: (reaction: InboundReaction) => {
              if (current()) acceptReaction(account, reaction);
            },
          }
        : {}),
      accountId: rt.accountId,
      config: parsedConfig,
      logger,
      signal: abort.signal,
      onInbound: (message: InboundMessage): void | Promise<void> => {
        // Cut off mid-delivery (lease lost, crash, a stop): kept for the next run, not lost. A drain decides.
        if (!current() && rt.draining === undefined) return inbound.keep(message);
        return inbound.accept(message);
      },
      setStatus: (patch: { connected?: boolean; lastError?: string | null }) => {
        if (!current()) return;
        this.patch(rt, statusUpdate(patch));
        // An adapter reporting "disconnected, with an error" has given up; the supervisor restarts it.
        if (patch.connected === false && typeof patch.lastError === "string") {
          void this.#crash(rt, generation, parsedConfig, new Error(patch.lastError));
        }
      },
    };
    const starting = Promise.resolve().then(() => plugin.startAccount(context));
    let handle: ChannelAccountHandle;
    try {
      const outcome = await withTimeout(() => starting, this.#o.startTimeoutMs, "start deadline");
      if (outcome.timedOut) {
        // A library retrying quietly (or a platform that never answers) must not look like a healthy start.
        // The crash aborts the signal; a handle that still arrives later is stopped at once.
        starting.then((late) => stopHandle(late, abort, logger)).catch(() => undefined);
        if (current())
          await this.#crash(
            rt,
            generation,
            parsedConfig,
            accountStartTimeoutError(rt, parsedConfig, this.#o.startTimeoutMs),
          );
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
    inbound.started();
    // Adapters may expose `done` on their handle (settles when the account stops on its own): that is a crash too.
    watchDone(handle, (error) => {
      if (current()) void this.#crash(rt, generation, parsedConfig, error);
    });
    rt.healthyTimer = setTimeout(() => {
      if (current() && rt.snapshot.reconnectAttempts > 0) this.patch(rt, { reconnectAttempts: 0 });
    }, this.#backoff.resetAfterMs);
    rt.healthyTimer.unref?.();
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
    this.patch(rt, {
      running: false,
      connected: false,
      lastError: message,
      lastStopAt: this.#o.now(),
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

  #clearTimers(rt: AccountRuntime): void {
    if (rt.restartTimer) clearTimeout(rt.restartTimer);
    if (rt.healthyTimer) clearTimeout(rt.healthyTimer);
    rt.restartTimer = undefined;
    rt.healthyTimer = undefined;
  }
}
