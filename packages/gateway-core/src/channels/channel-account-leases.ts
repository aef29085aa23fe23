import { createHash } from "node:crypto";
import type { ClusterCoordinator, ClusterLease } from "@openclaw/sessions";
import type { Logger } from "../logging/logger.js";
import type { AccountRuntime, ChannelAccountRuntimeSnapshot } from "./account-runtime.js";
import { describeError } from "./channel-error.js";

/** Every channel account lease is named `channel:<channelId>:<accountId>`. */
export const CHANNEL_LEASE_PREFIX = "channel:";
/** How long an account's lease lasts without renewal (renewed every third of it): the failover time's bound. */
export const DEFAULT_CHANNEL_LEASE_TTL_MS = 6_000;
/** How often an instance that does not hold an account's lease tries to take it (jittered by ±25%). */
export const DEFAULT_CHANNEL_LEASE_RETRY_MS = 2_000;
const MAX_LEASE_NAME = 512;
/** Owners announce taking and releasing an account here, so standbys show the owner (and retry) without waiting. */
const OWNER_TOPIC = "channels.lease-owner";
/** A standby told that a lease was released tries within this much (jittered), not at its next retry. */
const RELEASED_RETRY_MS = 100;

export function channelLeaseName(channel: string, accountId: string): string {
  const name = `${CHANNEL_LEASE_PREFIX}${channel}:${accountId}`;
  if (name.length <= MAX_LEASE_NAME) return name;
  return `${CHANNEL_LEASE_PREFIX}${channel}:#${createHash("sha256").update(accountId).digest("hex")}`;
}

/**
 * Whether every instance receives the account: the platform pushes to a public URL (Telegram `mode: "webhook"`,
 * Slack `mode: "http"`), so no instance polls it and none needs its lease. Everything else (long polling, Socket
 * Mode, the Discord gateway, WhatsApp) holds one connection per account and runs on one instance at a time.
 */
export function isSharedAccount(parsedConfig: unknown): boolean {
  if (typeof parsedConfig !== "object" || parsedConfig === null) return false;
  const mode = (parsedConfig as { mode?: unknown }).mode;
  return mode === "webhook" || mode === "http";
}

/** What the supervisor does when ownership changes. */
export interface OwnershipHooks {
  /** This instance may run the account now (it holds the lease, or the account is shared). */
  launch(): Promise<void>;
  /** The lease was lost: stop the account at once; the claim goes on and `launch` is called again once held. */
  lost(): void;
  /** Shows ownership in the account's snapshot. */
  patch(update: Partial<ChannelAccountRuntimeSnapshot>): void;
}

/** How the supervisor runs an account in a cluster: only while this instance holds its lease (unless shared). */
export interface AccountOwnership {
  /** Runs the account now (shared) or once the lease is held; resolves after the first attempt. */
  begin(rt: AccountRuntime, parsedConfig: unknown, hooks: OwnershipHooks): Promise<void>;
  /** Stops claiming and releases a held lease (call after the adapter stopped, so the next owner never overlaps). */
  end(rt: AccountRuntime): Promise<void>;
}

interface Claim {
  name: string;
  rt: AccountRuntime;
  hooks: OwnershipHooks;
  active: boolean;
  lease?: ClusterLease;
  timer?: NodeJS.Timeout;
  /** The tryAcquireLease call in flight, so `end` releases a lease it returns late. */
  trying?: Promise<void>;
}

export interface ClusterAccountOwnershipOptions {
  cluster: ClusterCoordinator;
  logger: Logger;
  ttlMs?: number;
  retryMs?: number;
  random?: () => number;
}

/**
 * Channel account leases: each polled or connected account runs on the one instance holding
 * `channel:<channel>:<account>`; the others stand by, retrying every ~2 s, and take over when the holder releases
 * it (stop, reload, rolling restart) or its lease expires (the holder died). Who holds the standby accounts is
 * read with `listLeases` on those retries, so `channels.status` never touches the store.
 */
export class ClusterAccountOwnership implements AccountOwnership {
  readonly #o: ClusterAccountOwnershipOptions;
  readonly #ttlMs: number;
  readonly #retryMs: number;
  readonly #random: () => number;
  readonly #claims = new Map<string, Claim>();
  #lastOwnerRead = 0;
  #readingOwners: Promise<void> | undefined;
  #unreachableLogged = false;

  constructor(options: ClusterAccountOwnershipOptions) {
    this.#o = options;
    this.#ttlMs = options.ttlMs ?? DEFAULT_CHANNEL_LEASE_TTL_MS;
    this.#retryMs = options.retryMs ?? DEFAULT_CHANNEL_LEASE_RETRY_MS;
    this.#random = options.random ?? Math.random;
    options.cluster.subscribe(OWNER_TOPIC, (payload) => this.#heard(payload));
  }

  get instanceId(): string {
    return this.#o.cluster.instanceId;
  }

  async begin(rt: AccountRuntime, parsedConfig: unknown, hooks: OwnershipHooks): Promise<void> {
    rt.shared = isSharedAccount(parsedConfig);
    if (rt.shared) {
      rt.standby = false;
      hooks.patch({ ownership: "shared", owner: null });
      return hooks.launch();
    }
    const name = channelLeaseName(rt.channel, rt.accountId);
    await this.#stopClaim(name);
    const claim: Claim = { name, rt, hooks, active: true };
    this.#claims.set(name, claim);
    rt.standby = true;
    if (rt.snapshot.ownership !== "standby") hooks.patch({ ownership: "standby" });
    await this.#attempt(claim);
  }

  async end(rt: AccountRuntime): Promise<void> {
    rt.standby = false;
    await this.#stopClaim(channelLeaseName(rt.channel, rt.accountId));
  }

  async #stopClaim(name: string): Promise<void> {
    const claim = this.#claims.get(name);
    if (!claim) return;
    this.#claims.delete(name);
    claim.active = false;
    if (claim.timer) clearTimeout(claim.timer);
    claim.timer = undefined;
    await claim.trying;
    const lease = claim.lease;
    claim.lease = undefined;
    if (!lease) return;
    await lease.release();
    this.#announce(name, null);
  }

  #announce(name: string, owner: string | null): void {
    try {
      this.#o.cluster.publish(OWNER_TOPIC, { name, owner });
    } catch {
      // Only a hint: standbys still find the owner and a free lease on their own retries.
    }
  }

  /** Another instance took or released a lease this one stands by for. */
  #heard(payload: unknown): void {
    if (typeof payload !== "object" || payload === null) return;
    const { name, owner } = payload as { name?: unknown; owner?: unknown };
    const claim = typeof name === "string" ? this.#claims.get(name) : undefined;
    if (!claim?.active || claim.lease) return;
    if (typeof owner === "string") {
      if (claim.rt.snapshot.owner?.instanceId !== owner) claim.hooks.patch({ owner: { instanceId: owner } });
      return;
    }
    if (owner !== null) return;
    claim.hooks.patch({ owner: null });
    // Released (a stop or a rolling restart): try now rather than at the next retry.
    if (claim.timer && !claim.trying) {
      clearTimeout(claim.timer);
      claim.timer = setTimeout(
        () => void this.#attempt(claim),
        Math.round(RELEASED_RETRY_MS * this.#random()),
      );
      claim.timer.unref?.();
    }
  }

  async #attempt(claim: Claim): Promise<void> {
    claim.timer = undefined;
    if (!claim.active) return;
    let lease: ClusterLease | undefined;
    const trying = this.#o.cluster.tryAcquireLease(claim.name, { ttlMs: this.#ttlMs }).then(
      (got) => {
        lease = got;
        this.#unreachableLogged = false;
      },
      (error: unknown) => {
        if (!this.#unreachableLogged) {
          this.#o.logger.warn("channel account lease could not be read; retrying", {
            channel: claim.rt.channel,
            accountId: claim.rt.accountId,
            error: describeError(error),
          });
        }
        this.#unreachableLogged = true;
      },
    );
    claim.trying = trying;
    await trying;
    claim.trying = undefined;
    if (!claim.active) {
      // Stopped while asking: a lease that arrived belongs to nobody.
      await lease?.release();
      return;
    }
    if (lease === undefined) {
      this.#schedule(claim);
      void this.#readOwners();
      return;
    }
    this.#hold(claim, lease);
    try {
      await claim.hooks.launch();
    } catch (error) {
      this.#o.logger.error("channel account failed to start after taking its lease", {
        error: describeError(error),
      });
    }
  }

  #hold(claim: Claim, lease: ClusterLease): void {
    claim.lease = lease;
    claim.rt.standby = false;
    claim.hooks.patch({ ownership: "owner", owner: { instanceId: this.instanceId } });
    this.#announce(claim.name, this.instanceId);
    this.#o.logger.info("channel account lease taken; this instance runs the account", {
      channel: claim.rt.channel,
      accountId: claim.rt.accountId,
    });
    lease.onLost(() => {
      if (claim.lease !== lease || !claim.active) return;
      claim.lease = undefined;
      claim.rt.standby = true;
      this.#o.logger.warn("channel account lease lost; stopped the account so no two instances run it", {
        channel: claim.rt.channel,
        accountId: claim.rt.accountId,
      });
      claim.hooks.lost();
      claim.hooks.patch({ ownership: "standby", owner: null });
      this.#schedule(claim);
    });
  }

  #schedule(claim: Claim): void {
    if (!claim.active || claim.timer) return;
    const delay = Math.round(this.#retryMs * (0.75 + 0.5 * this.#random()));
    claim.timer = setTimeout(() => void this.#attempt(claim), delay);
    claim.timer.unref?.();
  }

  /** Who holds the accounts this instance stands by for, at most once per half retry period. */
  #readOwners(): Promise<void> {
    if (this.#readingOwners) return this.#readingOwners;
    if (Date.now() - this.#lastOwnerRead < this.#retryMs / 2) return Promise.resolve();
    this.#lastOwnerRead = Date.now();
    this.#readingOwners = this.#o.cluster
      .listLeases(CHANNEL_LEASE_PREFIX)
      .then(
        (records) => {
          const owners = new Map(records.map((record) => [record.name, record.owner]));
          for (const claim of this.#claims.values()) {
            if (!claim.active || claim.lease) continue;
            const owner = owners.get(claim.name);
            const current = claim.rt.snapshot.owner?.instanceId;
            if (owner !== current)
              claim.hooks.patch({ owner: owner === undefined ? null : { instanceId: owner } });
          }
        },
        () => undefined,
      )
      .finally(() => {
        this.#readingOwners = undefined;
      });
    return this.#readingOwners;
  }
}
