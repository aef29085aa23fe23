import {
  CHANNEL_PLUGIN_API_VERSION,
  type ChannelAccountContext,
  type ChannelPlugin,
  type QrLoginState,
} from "@openclaw/plugin-sdk";
import { z } from "zod";

export interface FakeWhatsAppChannel {
  plugin: ChannelPlugin<Record<string, unknown>>;
  /** Resolves when a `web.login.wait` is parked, waiting for a scan or a new code. */
  nextWait(): Promise<void>;
  /** The phone scans the code: the account reports connected and a parked wait answers "linked". */
  scan(): void;
}

/**
 * A channel registered as `whatsapp` that starts at once and waits, unlinked, for a QR scan: what the channels
 * screen shows for a WhatsApp account nobody has linked yet, without Baileys or a network. Its `qrLogin` offers
 * one QR payload (as Baileys would hand it over) until the test calls `scan()`.
 */
export function createUnlinkedWhatsAppChannel(): FakeWhatsAppChannel {
  const contexts = new Map<string, ChannelAccountContext<Record<string, unknown>>>();
  const linked = new Set<string>();
  const changes = new Set<() => void>();
  const parked: (() => void)[] = [];
  const qrOf = (accountId: string) => `2@fake-pairing-ref-${accountId},fake-public-key,fake-identity`;
  const state = (accountId: string, message: string): QrLoginState =>
    linked.has(accountId)
      ? { linked: true, message: "WhatsApp is linked." }
      : { linked: false, qr: qrOf(accountId), message };

  const plugin: ChannelPlugin<Record<string, unknown>> = {
    apiVersion: CHANNEL_PLUGIN_API_VERSION,
    id: "whatsapp",
    meta: { label: "WhatsApp" },
    configSchema: z.looseObject({}),
    capabilities: {
      dms: true,
      groups: true,
      threads: false,
      reactions: false,
      typing: false,
      media: false,
      edits: false,
      maxTextLength: 4096,
    },
    startAccount: async (context) => {
      contexts.set(context.accountId, context);
      // Only "disconnected"; adding an error would tell the gateway the account crashed.
      context.setStatus({ connected: linked.has(context.accountId) });
      return { stop: async () => {} };
    },
    sendText: async () => {
      throw new Error("the fake WhatsApp account is not linked");
    },
    probe: async () => ({ ok: false, detail: "waiting for the QR code to be scanned" }),
    qrLogin: {
      start: async ({ accountId }) => state(accountId, "Scan the QR code with WhatsApp > Linked devices."),
      wait: ({ accountId, timeoutMs, currentQr }) => {
        if (linked.has(accountId) || currentQr !== qrOf(accountId)) {
          return Promise.resolve(state(accountId, "Scan the new QR code."));
        }
        return new Promise((resolve) => {
          const settle = () => {
            clearTimeout(timer);
            changes.delete(settle);
            resolve(state(accountId, "Still waiting for the scan."));
          };
          const timer = setTimeout(settle, timeoutMs);
          changes.add(settle);
          parked.shift()?.();
        });
      },
    },
  };

  return {
    plugin,
    nextWait: () => new Promise((resolve) => parked.push(resolve)),
    scan() {
      for (const [accountId, context] of contexts) {
        linked.add(accountId);
        context.setStatus({ connected: true, lastError: null });
      }
      for (const change of [...changes]) change();
    },
  };
}
