import type { ChannelQrLogin, QrLoginState } from "@openclaw/plugin-sdk";
import type { WhatsAppQrHub } from "./whatsapp-qr.js";

const SCAN_MESSAGE =
  "Scan the QR code with WhatsApp on your phone: Settings > Linked devices > Link a device.";
const LINKED_MESSAGE = "WhatsApp is linked.";

export interface WhatsAppQrLoginOptions {
  qr: WhatsAppQrHub;
  /** True while the plugin holds a runtime for the account (the gateway started it and it has not given up). */
  isRunning(accountId: string): boolean;
  /** Unlinks the account and deletes its stored credentials (the plugin's `logout`). */
  logout(accountId: string): Promise<void>;
}

/**
 * `qrLogin` for WhatsApp, on top of the account runtime the gateway already runs: an unlinked account's socket
 * offers QR codes by itself, so linking is mostly watching {@link WhatsAppQrHub}. The runtime is restarted (by the
 * gateway, through `restartAccount`) only when there is none, it gave up (logged out), or `force` dropped the session.
 */
export function createWhatsAppQrLogin(options: WhatsAppQrLoginOptions): ChannelQrLogin {
  const { qr } = options;

  const linked = (accountId: string): boolean => qr.state(accountId) === "open";

  /**
   * Resolves with the first state `settled` returns while the account's QR code or login state changes, or with
   * undefined at the timeout or abort.
   */
  const watchUntil = (
    accountId: string,
    timeoutMs: number,
    signal: AbortSignal | undefined,
    settled: () => QrLoginState | undefined,
  ): Promise<QrLoginState | undefined> => {
    const now = settled();
    if (now !== undefined || timeoutMs <= 0 || signal?.aborted) return Promise.resolve(now);
    return new Promise((resolve) => {
      const finish = (value: QrLoginState | undefined) => {
        clearTimeout(timer);
        unwatch();
        signal?.removeEventListener("abort", onAbort);
        resolve(value);
      };
      const onAbort = () => finish(undefined);
      const unwatch = qr.watch(accountId, () => {
        const value = settled();
        if (value !== undefined) finish(value);
      });
      const timer = setTimeout(() => finish(undefined), timeoutMs);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  };

  /** Linked, a QR code other than `currentQr`, or the runtime ending (nothing more will come without a restart). */
  const changedFrom = (accountId: string, currentQr: string | undefined) => (): QrLoginState | undefined => {
    if (linked(accountId)) return { linked: true, message: LINKED_MESSAGE };
    const latest = qr.latest(accountId);
    if (latest !== undefined && latest !== currentQr)
      return { linked: false, qr: latest, message: SCAN_MESSAGE };
    const state = qr.state(accountId);
    if (state === "logged-out" || state === "stopped") {
      return {
        linked: false,
        message: "The WhatsApp account stopped before it was linked: start linking again for a new QR code.",
      };
    }
    return undefined;
  };

  return {
    async start({ accountId, force, timeoutMs, signal, restartAccount }) {
      if (force) await options.logout(accountId);
      else if (linked(accountId))
        return { linked: true, message: `${LINKED_MESSAGE} Use force to link again.` };
      const state = qr.state(accountId);
      if (force || !options.isRunning(accountId) || state === "logged-out" || state === "stopped") {
        await restartAccount();
      }
      const shown = await watchUntil(accountId, timeoutMs, signal, changedFrom(accountId, undefined));
      return (
        shown ?? {
          linked: false,
          message: "WhatsApp has not offered a QR code yet: check the gateway's network and try again.",
        }
      );
    },

    async wait({ accountId, timeoutMs, currentQr, signal }) {
      const changed = await watchUntil(accountId, timeoutMs, signal, changedFrom(accountId, currentQr));
      if (changed !== undefined) return changed;
      const latest = qr.latest(accountId);
      return {
        linked: false,
        message: "Still waiting for the QR code to be scanned.",
        ...(latest === undefined ? {} : { qr: latest }),
      };
    },
  };
}
