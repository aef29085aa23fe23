import type { WebLoginStartResult, WebLoginWaitResult } from "@openclaw/protocol";

/** What the QR link panel shows at each step. */
export type QrLinkView =
  | { kind: "starting" }
  | { kind: "waiting"; message: string }
  | { kind: "qr"; imageUrl: string; message: string }
  | { kind: "linked"; message: string }
  | { kind: "failed"; message: string };

export interface QrLinkRequests {
  start(params: { accountId: string; timeoutMs: number }): Promise<WebLoginStartResult>;
  wait(params: {
    accountId: string;
    timeoutMs: number;
    currentQrDataUrl?: string;
  }): Promise<WebLoginWaitResult>;
}

export interface QrLinkOptions {
  accountId: string;
  requests: QrLinkRequests;
  onView(view: QrLinkView): void;
  /** Aborted when the person leaves the screen: no further request is sent. */
  signal: AbortSignal;
  /** Each `web.login.wait` is held this long by the gateway; below the client's 30 s request timeout. */
  waitTimeoutMs?: number;
  startTimeoutMs?: number;
  now?: () => number;
}

export const QR_WAIT_TIMEOUT_MS = 20_000;
export const QR_START_TIMEOUT_MS = 20_000;

/**
 * Links an account by QR code: `web.login.start` for the first code, then `web.login.wait` again and again with the
 * code on screen until the gateway reports the link. A wait that comes back early with nothing new means the
 * gateway has nothing more to offer (the account stopped), so the flow ends there instead of asking in a loop.
 */
export async function runQrLink(options: QrLinkOptions): Promise<void> {
  const { accountId, requests, onView, signal } = options;
  const waitTimeoutMs = options.waitTimeoutMs ?? QR_WAIT_TIMEOUT_MS;
  const now = options.now ?? Date.now;
  onView({ kind: "starting" });
  let shown: string | undefined;
  try {
    const started = await requests.start({
      accountId,
      timeoutMs: options.startTimeoutMs ?? QR_START_TIMEOUT_MS,
    });
    if (signal.aborted) return;
    shown = started.qrDataUrl;
    onView(
      shown === undefined
        ? { kind: "waiting", message: started.message }
        : { kind: "qr", imageUrl: shown, message: started.message },
    );
    while (!signal.aborted) {
      const askedAt = now();
      const result = await requests.wait({
        accountId,
        timeoutMs: waitTimeoutMs,
        ...(shown === undefined ? {} : { currentQrDataUrl: shown }),
      });
      if (signal.aborted) return;
      if (result.connected) {
        onView({ kind: "linked", message: result.message });
        return;
      }
      if (result.qrDataUrl !== undefined && result.qrDataUrl !== shown) {
        shown = result.qrDataUrl;
        onView({ kind: "qr", imageUrl: shown, message: result.message });
        continue;
      }
      if (now() - askedAt < waitTimeoutMs / 2) {
        onView({ kind: "failed", message: result.message });
        return;
      }
    }
  } catch (error) {
    if (!signal.aborted)
      onView({ kind: "failed", message: error instanceof Error ? error.message : String(error) });
  }
}
