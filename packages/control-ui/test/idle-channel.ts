import { CHANNEL_PLUGIN_API_VERSION, type ChannelPlugin } from "@openclaw/plugin-sdk";
import { z } from "zod";

/**
 * A channel kind the gateway can run, e.g. `telegram`, whose accounts start at once, report connected and never
 * hear anything: enough for screens that show which channels are configured, without a platform or a network.
 */
export function createIdleChannel(id: string, label: string): ChannelPlugin<Record<string, unknown>> {
  return {
    apiVersion: CHANNEL_PLUGIN_API_VERSION,
    id,
    meta: { label },
    configSchema: z.looseObject({}),
    capabilities: {
      dms: true,
      groups: false,
      threads: false,
      reactions: false,
      typing: false,
      media: false,
      edits: false,
      maxTextLength: 4096,
    },
    startAccount: async (context) => {
      context.setStatus({ connected: true, lastError: null });
      return { stop: async () => {} };
    },
    sendText: async () => ({ messageId: "idle" }),
  };
}
