import type { Logger } from "../logging/logger.js";
import {
  type AccountRuntime,
  type ChannelAccountRuntimeSnapshot,
  emptySnapshot,
  runtimeKey,
} from "./account-runtime.js";
import { describeError } from "./channel-error.js";

export interface ChannelChange {
  channel: string;
  accountId: string;
  snapshot: ChannelAccountRuntimeSnapshot;
}

/** Every account the gateway has seen, in the order it first saw them, and the listener told of state changes. */
export class AccountRuntimeTable {
  readonly #rows = new Map<string, AccountRuntime>();
  readonly #onChange: ((change: ChannelChange) => void) | undefined;
  readonly #logger: Logger;

  constructor(o: { onChange?: (change: ChannelChange) => void; logger: Logger }) {
    this.#onChange = o.onChange;
    this.#logger = o.logger;
  }

  get(channel: string, accountId: string): AccountRuntime | undefined {
    return this.#rows.get(runtimeKey(channel, accountId));
  }

  all(): AccountRuntime[] {
    return [...this.#rows.values()];
  }

  /** The account's runtime, created on first sight; its raw config is updated either way. */
  obtain(channel: string, accountId: string, rawConfig: Record<string, unknown>): AccountRuntime {
    const key = runtimeKey(channel, accountId);
    let rt = this.#rows.get(key);
    if (!rt) {
      rt = {
        channel,
        accountId,
        snapshot: emptySnapshot(accountId),
        rawConfig,
        generation: 0,
        wanted: false,
      };
      this.#rows.set(key, rt);
    }
    rt.rawConfig = rawConfig;
    return rt;
  }

  /** Drops the runtime (its account left the config) and tells the listener. */
  forget(rt: AccountRuntime): void {
    this.#rows.delete(runtimeKey(rt.channel, rt.accountId));
    this.#notify(rt);
  }

  /** Forgets the channel's stopped accounts that are not in `configured` (they left the config). */
  forgetStopped(channel: string, configured: Set<string>): void {
    for (const rt of this.all()) {
      if (rt.channel !== channel || configured.has(rt.accountId)) continue;
      if (rt.wanted || rt.snapshot.running) continue;
      this.forget(rt);
    }
  }

  /** Updates the snapshot and tells the listener, except for message timestamps alone. */
  patch(rt: AccountRuntime, update: Partial<ChannelAccountRuntimeSnapshot>): void {
    Object.assign(rt.snapshot, update);
    // Message timestamps change with every message; listeners (health / presence events) want state changes only.
    if (Object.keys(update).every((key) => key === "lastInboundAt" || key === "lastOutboundAt")) return;
    this.#notify(rt);
  }

  #notify(rt: AccountRuntime): void {
    try {
      this.#onChange?.({ channel: rt.channel, accountId: rt.accountId, snapshot: { ...rt.snapshot } });
    } catch (error) {
      this.#logger.warn("channel change listener failed", { error: describeError(error) });
    }
  }
}
