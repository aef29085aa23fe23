import {
  CHANNEL_PLUGIN_API_VERSION,
  type ChannelAccountContext,
  type ChannelPlugin,
  type InboundMessage,
  type InboundReaction,
  type SendTextOptions,
} from "@openclaw/plugin-sdk";
import { z } from "zod";

/** Polls `check` until it is true; rejects with `what` after `timeoutMs` (generous: CI machines are slow). */
export async function eventually(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * A channel whose platform is this test: it hands the gateway messages and reactions through the account context
 * and records what the gateway sends back and which commands it was asked to register.
 */
export interface MemoryChannel {
  plugin: ChannelPlugin;
  sent: SendTextOptions[];
  context(): ChannelAccountContext;
  deliver(message: Partial<InboundMessage> & { text: string }): void;
  react(reaction: Partial<InboundReaction> & { emoji: string; messageId: string }): void;
  texts(): string[];
}

export function memoryChannel(id = "memchat"): MemoryChannel {
  let current: ChannelAccountContext | undefined;
  let delivered = 0;
  const sent: SendTextOptions[] = [];
  const plugin: ChannelPlugin = {
    apiVersion: CHANNEL_PLUGIN_API_VERSION,
    id,
    meta: { label: "MemChat" },
    configSchema: z.looseObject({}),
    capabilities: {
      dms: true,
      groups: true,
      threads: false,
      reactions: true,
      typing: false,
      media: false,
      edits: false,
      maxTextLength: 4096,
      nativeCommands: true,
    },
    startAccount: async (context) => {
      current = context as ChannelAccountContext;
      context.setStatus({ connected: true, lastError: null });
      return { stop: async () => undefined };
    },
    sendText: async (options) => {
      sent.push(options);
      return { messageId: `bot-${sent.length}` };
    },
  };
  const context = () => {
    if (!current) throw new Error(`the ${id} account is not running`);
    return current;
  };
  return {
    plugin,
    sent,
    context,
    texts: () => sent.map((options) => options.text),
    deliver(message) {
      delivered += 1;
      void context().onInbound({
        channel: id,
        accountId: "default",
        peer: { id: "u1", name: "Ann" },
        chatKind: "dm",
        sender: { id: "u1", name: "Ann" },
        mentionsBot: false,
        timestamp: Date.now(),
        platformMessageId: `in-${delivered}`,
        ...message,
      });
    },
    react(reaction) {
      void context().onReaction?.({
        channel: id,
        accountId: "default",
        peer: { id: "u1", name: "Ann" },
        chatKind: "dm",
        sender: { id: "u1", name: "Ann", username: "ann" },
        onBotMessage: true,
        removed: false,
        timestamp: Date.now(),
        ...reaction,
      });
    },
  };
}
