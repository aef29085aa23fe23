import { detectMention, type InboundMessage } from "@openclaw/plugin-sdk";
import type { Message } from "discord.js";
import { discordMessageMedia } from "./discord-inbound-media.js";

/**
 * Normalises one Discord message for the gateway, or returns undefined for what this channel does not handle:
 * the bot's own messages (Discord echoes them), other bots, and system messages (joins, pins, thread starts).
 * Attachments and stickers become `media` (fetched later, only if the gateway asks); a message may have no text.
 */
export function discordMessageToInbound(
  message: Message,
  context: { accountId: string; botId: string; signal: AbortSignal },
): InboundMessage | undefined {
  const { author } = message;
  if (author.id === context.botId || author.bot || message.system) return undefined;
  const text = message.content;
  const name = message.member?.displayName ?? author.globalName ?? author.username;
  const roleIds = message.member?.roles.cache.map((role) => role.id).filter((id) => id !== message.guildId);
  const sender = {
    id: author.id,
    name,
    username: author.username,
    ...(roleIds === undefined ? {} : { roleIds: roleIds.slice(0, 250) }),
  };
  // A reply pings its author unless the replier turned that off, so a reply to the bot counts as addressing it.
  const mentionsBot =
    message.mentions.users.has(context.botId) ||
    message.mentions.repliedUser?.id === context.botId ||
    detectMention(text, { botId: context.botId });
  const replyTo = message.reference?.messageId;
  const media = discordMessageMedia(message, { accountId: context.accountId, signal: context.signal });
  const base = {
    channel: "discord",
    accountId: context.accountId,
    sender,
    text,
    mentionsBot,
    ...(replyTo === undefined ? {} : { replyTo: { messageId: replyTo } }),
    timestamp: message.createdTimestamp,
    platformMessageId: message.id,
    ...(media === undefined ? {} : { media }),
  };
  const channel = message.channel;
  if (channel.isDMBased()) {
    return { ...base, chatKind: "dm", peer: { id: author.id, name } };
  }
  // The guild id lets `channels.discord.guilds.<guildId>` apply to the message.
  const guild = message.guildId === null ? {} : { guildId: message.guildId };
  if (channel.isThread()) {
    // The thread is its own session; the parent channel keeps the access policy (guild channel allowlists).
    const chatId = channel.parentId ?? channel.id;
    const parentName = channel.parent?.name;
    return {
      ...base,
      chatKind: "thread",
      chatId,
      ...guild,
      threadId: channel.id,
      peer: { id: chatId, ...(parentName === undefined ? {} : { name: parentName }) },
    };
  }
  return {
    ...base,
    chatKind: "group",
    chatId: channel.id,
    ...guild,
    peer: { id: channel.id, name: channel.name },
  };
}
