import qrcodeTerminal from "qrcode-terminal";

/** Where an account's login stands, for `openclaw channels login whatsapp` and status output. */
export type WhatsAppLoginState = "connecting" | "qr" | "open" | "reconnecting" | "logged-out" | "stopped";

export type WhatsAppQrListener = (qr: string) => void;

/** Keeps the latest QR code of each account and tells subscribers about new ones. */
export class WhatsAppQrHub {
  readonly #latest = new Map<string, string>();
  readonly #listeners = new Map<string, Set<WhatsAppQrListener>>();
  readonly #states = new Map<string, WhatsAppLoginState>();
  readonly #watchers = new Map<string, Set<() => void>>();

  publish(accountId: string, qr: string): void {
    this.#latest.set(accountId, qr);
    for (const listener of this.#listeners.get(accountId) ?? []) listener(qr);
    this.#changed(accountId);
  }

  clear(accountId: string): void {
    this.#latest.delete(accountId);
  }

  latest(accountId: string): string | undefined {
    return this.#latest.get(accountId);
  }

  subscribe(accountId: string, listener: WhatsAppQrListener): () => void {
    const listeners = this.#listeners.get(accountId) ?? new Set();
    listeners.add(listener);
    this.#listeners.set(accountId, listeners);
    return () => {
      listeners.delete(listener);
    };
  }

  setState(accountId: string, state: WhatsAppLoginState): void {
    this.#states.set(accountId, state);
    this.#changed(accountId);
  }

  /** Calls `watcher` after every new QR code or login state of the account; returns the unsubscribe function. */
  watch(accountId: string, watcher: () => void): () => void {
    const watchers = this.#watchers.get(accountId) ?? new Set();
    watchers.add(watcher);
    this.#watchers.set(accountId, watchers);
    return () => {
      watchers.delete(watcher);
    };
  }

  #changed(accountId: string): void {
    // A copy: a watcher usually unsubscribes itself when it sees what it waited for.
    for (const watcher of [...(this.#watchers.get(accountId) ?? [])]) watcher();
  }

  state(accountId: string): WhatsAppLoginState | undefined {
    return this.#states.get(accountId);
  }
}

/** Renders a QR code's payload as block characters for a terminal (what WhatsApp's "Link a device" scans). */
export function renderQrForTerminal(qr: string): string {
  let rendered = "";
  qrcodeTerminal.generate(qr, { small: true }, (output) => {
    rendered = output;
  });
  return rendered;
}
