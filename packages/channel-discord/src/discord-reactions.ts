import type { InboundReaction } from "@openclaw/plugin-sdk";
import {
  type Client,
  type MessageReaction,
  type PartialMessageReaction,
  type PartialUser,
  Routes,
  type SendableChannels,
  type User,
} from "discord.js";
import { toDiscordChannelError } from "./discord-api-failure.js";

/**
 * The ids of the latest messages this account sent, oldest dropped first. A reaction on an uncached message
 * arrives without its author, so this is how the adapter knows the message was the bot's.
 */
export class SentMessageIds {
  private readonly ids = new Set<string>();

  constructor(private readonly capacity = 2000) {}

  add(id: string): void {
    this.ids.delete(id);
    this.ids.add(id);
    if (this.ids.size > this.capacity) {
      const oldest = this.ids.values().next().value;
      if (oldest !== undefined) this.ids.delete(oldest);
    }
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }
}

/**
 * Normalises a reaction added or removed by someone other than the bot, or undefined for the bot's own and other
 * bots' reactions. Works on partials: the message may be known by id only.
 */
export function discordReactionToInbound(
  reaction: MessageReaction | PartialMessageReaction,
  user: User | PartialUser,
  context: { accountId: string; client: Client<true>; sent: SentMessageIds; removed: boolean },
): InboundReaction | undefined {
  const botId = context.client.user.id;
  if (user.id === botId || user.bot === true) return undefined;
  const emoji = reaction.emoji.name;
  if (emoji === null || emoji.length === 0) return undefined;
  const { message } = reaction;
  const author = message.partial ? undefined : message.author.id;
  const onBotMessage = author === undefined ? context.sent.has(message.id) : author === botId;
  const name = user.globalName ?? user.username ?? undefined;
  const sender = {
    id: user.id,
    ...(name === undefined ? {} : { name }),
    ...(user.username === null ? {} : { username: user.username }),
  };
  const base = {
    channel: "discord",
    accountId: context.accountId,
    sender,
    messageId: message.id,
    onBotMessage,
    emoji,
    removed: context.removed,
    timestamp: Date.now(),
  };
  const channel = message.channel;
  if (channel.isDMBased()) {
    return { ...base, chatKind: "dm", peer: { id: user.id, ...(name === undefined ? {} : { name }) } };
  }
  if (channel.isThread()) {
    const chatId = channel.parentId ?? channel.id;
    return { ...base, chatKind: "thread", chatId, threadId: channel.id, peer: { id: chatId } };
  }
  return {
    ...base,
    chatKind: "group",
    chatId: channel.id,
    peer: { id: channel.id, ...("name" in channel && channel.name ? { name: channel.name } : {}) },
  };
}

/** Puts the bot's reaction on a message, or takes it off; a unicode emoji or a custom `name:id`. */
export async function reactDiscord(
  channel: SendableChannels,
  accountId: string,
  options: { messageId: string; emoji: string; remove?: boolean },
): Promise<void> {
  const { client } = channel;
  try {
    if (options.remove === true) {
      const identifier = client.emojis.resolveIdentifier(options.emoji) ?? encodeURIComponent(options.emoji);
      await client.rest.delete(Routes.channelMessageOwnReaction(channel.id, options.messageId, identifier));
      return;
    }
    await channel.messages.react(options.messageId, options.emoji);
  } catch (error) {
    throw toDiscordChannelError(error, accountId);
  }
}
