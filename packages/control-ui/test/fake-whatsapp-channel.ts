import { CHANNEL_PLUGIN_API_VERSION, type ChannelPlugin } from "@openclaw/plugin-sdk";
import { z } from "zod";

/**
 * A channel registered as `whatsapp` that starts at once and waits, unlinked, for a QR scan that never comes: what
 * the channels screen shows for a WhatsApp account nobody has linked yet, without Baileys or a network.
 */
export function createUnlinkedWhatsAppChannel(): ChannelPlugin<Record<string, unknown>> {
  return {
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
      // Only "disconnected"; adding an error would tell the gateway the account crashed.
      context.setStatus({ connected: false });
      return { stop: async () => {} };
    },
    sendText: async () => {
      throw new Error("the fake WhatsApp account is not linked");
    },
    probe: async () => ({ ok: false, detail: "waiting for the QR code to be scanned" }),
  };
}
