import type { InboundMessage } from "@openclaw/plugin-sdk";
import type { Message, MessageEntity, User } from "grammy/types";

export interface BotIdentity {
  id: number;
  username: string;
}

function displayName(user: User): string {
  return user.last_name ? `${user.first_name} ${user.last_name}` : user.first_name;
}

/** Entity offsets and lengths count UTF-16 code units, which is what JavaScript string indices are. */
function entityText(text: string, entity: MessageEntity): string {
  return text.slice(entity.offset, entity.offset + entity.length);
}

function mentionsBotInEntities(text: string, entities: readonly MessageEntity[], bot: BotIdentity): boolean {
  const handle = `@${bot.username}`.toLowerCase();
  return entities.some((entity) => {
    if (entity.type === "mention") return entityText(text, entity).toLowerCase() === handle;
    if (entity.type === "text_mention") return entity.user.id === bot.id;
    // "/status@openclaw_bot" addresses this bot among several in a group.
    if (entity.type === "bot_command") return entityText(text, entity).toLowerCase().endsWith(handle);
    return false;
  });
}

/**
 * The message this one replies to, unless it is only the implicit reply to a forum topic's opening service
 * message that Telegram attaches to every message in a topic.
 */
function explicitReply(message: Message): Message["reply_to_message"] {
  const reply = message.reply_to_message;
  if (reply === undefined || reply.forum_topic_created !== undefined) return undefined;
  return reply;
}

/**
 * Normalises one Telegram message for the gateway, or returns undefined for what this channel does not
 * handle: service messages, messages without a sender, and channel posts.
 */
export function telegramMessageToInbound(
  message: Message,
  context: { accountId: string; bot: BotIdentity },
): InboundMessage | undefined {
  const from = message.from;
  if (from === undefined || message.chat.type === "channel") return undefined;
  const text = message.text ?? message.caption;
  if (text === undefined) return undefined;
  const entities = message.entities ?? message.caption_entities ?? [];
  const reply = explicitReply(message);
  const sender = {
    id: String(from.id),
    name: displayName(from),
    ...(from.username === undefined ? {} : { username: from.username }),
  };
  const base = {
    channel: "telegram",
    accountId: context.accountId,
    sender,
    text,
    mentionsBot: mentionsBotInEntities(text, entities, context.bot) || reply?.from?.id === context.bot.id,
    ...(reply === undefined
      ? {}
      : {
          replyTo: {
            messageId: String(reply.message_id),
            ...((reply.text ?? reply.caption) === undefined ? {} : { text: reply.text ?? reply.caption }),
          },
        }),
    timestamp: message.date * 1000,
    platformMessageId: String(message.message_id),
  };
  if (message.chat.type === "private") {
    return { ...base, chatKind: "dm", peer: { id: String(from.id), name: displayName(from) } };
  }
  const chatId = String(message.chat.id);
  const peer = { id: chatId, ...(message.chat.title === undefined ? {} : { name: message.chat.title }) };
  if (message.is_topic_message === true && message.message_thread_id !== undefined) {
    return { ...base, chatKind: "thread", chatId, threadId: String(message.message_thread_id), peer };
  }
  return { ...base, chatKind: "group", chatId, peer };
}
