import {
  type ChannelAccountHandle,
  type ChannelPlugin,
  type PlatformEndpoint,
  startTimeoutError,
} from "@openclaw/plugin-sdk";
import type { Logger } from "../logging/logger.js";
import { describeError } from "./channel-error.js";

/** How long `stop` waits for an adapter's `stop()` before aborting its signal and moving on. */
export const STOP_TIMEOUT_MS = 1_000;
// A type alias (not an interface) so it satisfies the protocol's loose snapshot schema.
export type ChannelAccountRuntimeSnapshot = {
  accountId: string;
  enabled: boolean;
  /** The account's config parsed with the plugin's schema. */
  configured: boolean;
  running: boolean;
  connected: boolean;
  /** Milliseconds since the epoch, or null when it never happened. */
  lastStartAt: number | null;
  lastStopAt: number | null;
  lastError: string | null;
  lastInboundAt: number | null;
  lastOutboundAt: number | null;
  /** Restarts since the account last ran healthily. */
  reconnectAttempts: number;
  probe?: { ok: boolean; detail?: string };
  /**
   * In a cluster only: "owner" (this instance holds the account's lease and runs it), "standby" (another instance,
   * or none yet, holds it; this one takes over when the lease frees), "shared" (webhook mode: every instance
   * receives it, no lease).
   */
  ownership?: "owner" | "standby" | "shared";
  /** In a cluster only: the instance holding the account's lease, as last seen; null when none holds it. */
  owner?: { instanceId: string } | null;
};

/** What the channel manager keeps for one configured account. */
export interface AccountRuntime {
  channel: string;
  accountId: string;
  snapshot: ChannelAccountRuntimeSnapshot;
  rawConfig: Record<string, unknown>;
  plugin?: ChannelPlugin;
  handle?: ChannelAccountHandle;
  abort?: AbortController;
  /** Bumped on every start and stop: callbacks of an older run see a stale number and are ignored. */
  generation: number;
  /** True while the gateway wants the account running (between start and an explicit stop). */
  wanted: boolean;
  restartTimer?: NodeJS.Timeout;
  healthyTimer?: NodeJS.Timeout;
  /** Cluster mode: wanted, but waiting for this account's lease (another instance runs it). */
  standby?: boolean;
  /** Cluster mode: received by every instance (webhook mode), so run without a lease or journal. */
  shared?: boolean;
  /**
   * Set while a graceful stop lets the account's turns finish (their replies still go out); aborted when the drain
   * times out or the lease is lost.
   */
  draining?: AbortController;
  /** The lastError a failed probe set, so that a later successful probe clears that one and no other. */
  probeError?: string;
}

export function runtimeKey(channel: string, accountId: string): string {
  return `${channel}\u0000${accountId}`;
}

export function emptySnapshot(accountId: string): ChannelAccountRuntimeSnapshot {
  return {
    accountId,
    enabled: true,
    configured: false,
    running: false,
    connected: false,
    lastStartAt: null,
    lastStopAt: null,
    lastError: null,
    lastInboundAt: null,
    lastOutboundAt: null,
    reconnectAttempts: 0,
  };
}

/** The snapshot fields an adapter's `setStatus` call sets. */
export function statusUpdate(patch: {
  connected?: boolean;
  lastError?: string | null;
}): Partial<ChannelAccountRuntimeSnapshot> {
  const update: Partial<ChannelAccountRuntimeSnapshot> = {};
  if (typeof patch.connected === "boolean") update.connected = patch.connected;
  if (patch.lastError === null || typeof patch.lastError === "string") update.lastError = patch.lastError;
  return update;
}

export type TimeoutOutcome<T> = { timedOut: false; value: T } | { timedOut: true; reason: string };

export async function withTimeout<T>(
  run: () => Promise<T>,
  timeoutMs: number,
  reason: string,
): Promise<TimeoutOutcome<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<TimeoutOutcome<T>>((resolve) => {
    timer = setTimeout(() => resolve({ timedOut: true, reason }), timeoutMs);
  });
  try {
    // `run` is called inside the race so a synchronous throw becomes a rejection like any other failure.
    return await Promise.race([
      Promise.resolve()
        .then(run)
        .then((value): TimeoutOutcome<T> => ({ timedOut: false, value })),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Calls `onEnded` when the handle's optional `done` settles: the account stopped on its own (or failed). */
export function watchDone(handle: ChannelAccountHandle, onEnded: (error: unknown) => void): void {
  const done = (handle as { done?: unknown }).done;
  if (!(done instanceof Promise)) return;
  done.then(
    () => onEnded(new Error("the account stopped on its own")),
    (error: unknown) => onEnded(error),
  );
}

/** Calls the adapter's stop; if it has not finished within {@link STOP_TIMEOUT_MS}, aborts its signal and returns. */
export async function stopHandle(
  handle: ChannelAccountHandle,
  abort: AbortController,
  logger: Logger,
): Promise<void> {
  const outcome = await withTimeout(() => handle.stop(), STOP_TIMEOUT_MS, "stop timed out").catch(
    (error: unknown) => {
      logger.warn("channel account stop failed", { error: describeError(error) });
      return undefined;
    },
  );
  if (outcome?.timedOut) logger.warn(`channel account did not stop within ${STOP_TIMEOUT_MS}ms; aborted it`);
  abort.abort();
}

/** The error for an account whose start outlived `timeoutMs`, naming the platform endpoint it was trying to reach. */
export function accountStartTimeoutError(
  rt: AccountRuntime,
  parsedConfig: unknown,
  timeoutMs: number,
): Error {
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
    timeoutMs,
    endpoint,
  });
}
