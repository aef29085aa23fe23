import type { Logger } from "../logging/logger.js";
import type { AccountRuntime } from "./account-runtime.js";
import type { RunInbound } from "./inbound-journal.js";

/**
 * How long a graceful stop lets an account's running turns finish and answer before its adapter stops (and, in a
 * cluster, its lease is released); what is unanswered then stays journaled for the next owner in a cluster.
 */
export const DEFAULT_CHANNEL_DRAIN_MS = 10_000;

/**
 * A graceful stop of an account (a gateway shutdown, a rolling restart, `channels.stop`): before its adapter stops
 * (and its lease goes), the turns it is handling finish and answer (see {@link RunInbound.drain}), for at most
 * `drainMs`. Replies and sends (a running turn's `message` tool) still go out meanwhile: `rt.draining` keeps the
 * account active and listed as running. New messages are not started: in a cluster they are journaled for the next
 * owner (one with media is answered here), otherwise refused (see openLocalInboundRun). Cut short when the lease is
 * lost (the new owner answers then); what is unanswered at the end stays journaled in a cluster.
 */
export async function drainAccount(
  rt: AccountRuntime,
  run: RunInbound | undefined,
  drainMs: number | undefined,
  logger: Logger,
): Promise<void> {
  if (!run || drainMs === undefined || !rt.handle || rt.standby) return;
  const draining = new AbortController();
  rt.draining = draining;
  const timer = setTimeout(() => draining.abort(), drainMs);
  try {
    const left = await run.drain(draining.signal);
    if (left > 0) {
      logger.warn(
        run.journaled
          ? "channel account drain timed out; its unanswered messages stay journaled for the next owner"
          : "channel account drain timed out; its turns still running will not answer",
        { channel: rt.channel, accountId: rt.accountId, unanswered: left, drainMs },
      );
    }
  } finally {
    clearTimeout(timer);
    rt.draining = undefined;
  }
}
