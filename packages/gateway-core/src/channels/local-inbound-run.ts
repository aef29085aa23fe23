import { ChannelError } from "./channel-error.js";
import { InboundHandling } from "./inbound-handling.js";
import type { RunInbound } from "./inbound-journal.js";
import type { InboundAccount } from "./inbound-types.js";

/**
 * The inbound path of one run of an account without an inbound journal (a single gateway, or a cluster without
 * shared storage): messages go straight to the router, and the run tracks the ones it is handling so a graceful
 * stop can let them answer (see {@link RunInbound.drain}).
 *
 * A message arriving while the run drains or after it ended is not started: its `onInbound` stays pending until
 * the adapter's signal aborts, then rejects with CHANNEL_ACCOUNT_STOPPING. An adapter that confirms a message only
 * once it reached the gateway (Telegram long polling) leaves it unconfirmed, so the platform delivers it again to
 * the next start; on other platforms it is dropped (logged).
 */
export function openLocalInboundRun(
  account: InboundAccount,
  handle: (message: unknown) => Promise<void> | undefined,
  stopped: AbortSignal,
): RunInbound {
  const handling = new InboundHandling();
  let draining = false;
  const refuse = (message: unknown): Promise<void> => {
    account.logger.info("inbound message not started: the account is stopping", {
      platformMessageId: (message as { platformMessageId?: unknown } | null)?.platformMessageId,
    });
    return new Promise<void>((_, reject) => {
      const fail = () =>
        reject(
          new ChannelError(
            "CHANNEL_ACCOUNT_STOPPING",
            `channel "${account.plugin.id}" account "${account.accountId}" is stopping: the message was not started; leave it unconfirmed so the platform delivers it again`,
            { channel: account.plugin.id },
          ),
        );
      if (stopped.aborted) fail();
      else stopped.addEventListener("abort", fail, { once: true });
    });
  };
  return {
    journaled: false,
    accept: (message) => {
      if (draining) return refuse(message);
      const handled = handle(message);
      if (handled === undefined) return;
      // The router reports a failed turn itself; this only tracks when it is over.
      handling.track(handled.catch(() => undefined));
    },
    started: () => undefined,
    keep: refuse,
    drain: async (signal) => {
      draining = true;
      return handling.settled(signal);
    },
  };
}
