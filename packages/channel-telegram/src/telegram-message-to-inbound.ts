import type { InboundMedia, InboundMessage } from "@openclaw/plugin-sdk";
import type { Message, MessageEntity, User } from "grammy/types";
import { parseLeadingCommand } from "./telegram-native-commands.js";

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

export interface InboundContext {
  accountId: string;
  bot: BotIdentity;
  /** Describes the message's files with lazy downloads; without it, messages with only a file are skipped. */
  media?: (message: Message) => InboundMedia[];
  /** The names of the gateway's commands registered natively (`ctx.commands`). */
  nativeCommands?: ReadonlySet<string>;
}

/**
 * A leading `/name@ThisBot args` becomes `/name args`, flagged `nativeCommand` when `name` is one the gateway
 * registered; undefined when the command is addressed to another bot (not ours to answer).
 */
function normaliseCommand(
  text: string,
  entities: readonly MessageEntity[],
  context: InboundContext,
): { text: string; nativeCommand?: true } | undefined {
  const command = parseLeadingCommand(text, entities);
  if (command === undefined) return { text };
  if (
    command.addressedTo !== undefined &&
    command.addressedTo.toLowerCase() !== context.bot.username.toLowerCase()
  ) {
    return undefined;
  }
  const normalised = command.args === "" ? `/${command.name}` : `/${command.name} ${command.args}`;
  if (context.nativeCommands?.has(command.name)) return { text: normalised, nativeCommand: true };
  return { text: command.addressedTo === undefined ? text : normalised };
}

/**
 * Normalises one Telegram message for the gateway, or returns undefined for what this channel does not
 * handle: service messages, messages without a sender, channel posts, and commands addressed to another bot.
 * A file's caption is the message's text, so a captioned mention counts as one.
 */
export function telegramMessageToInbound(
  message: Message,
  context: InboundContext,
): InboundMessage | undefined {
  const from = message.from;
  if (from === undefined || message.chat.type === "channel") return undefined;
  const media = context.media?.(message) ?? [];
  const rawText = message.text ?? message.caption ?? (media.length > 0 ? "" : undefined);
  if (rawText === undefined) return undefined;
  const entities = message.entities ?? message.caption_entities ?? [];
  const command = normaliseCommand(rawText, entities, context);
  if (command === undefined) return undefined;
  const { text } = command;
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
    mentionsBot: mentionsBotInEntities(rawText, entities, context.bot) || reply?.from?.id === context.bot.id,
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
    ...(media.length === 0 ? {} : { media }),
    ...(command.nativeCommand ? { nativeCommand: true } : {}),
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
