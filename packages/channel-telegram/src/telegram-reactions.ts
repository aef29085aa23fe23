import type { InboundReaction } from "@openclaw/plugin-sdk";
import type { MessageReactionUpdated, ReactionType, User } from "grammy/types";
import type { SentMessageMemory } from "./sent-message-memory.js";
import type { BotIdentity } from "./telegram-message-to-inbound.js";

/** The emoji Telegram accepts as a reaction (Bot API `ReactionTypeEmoji`); anything else is refused with 400. */
export const TELEGRAM_REACTION_EMOJI: ReadonlySet<string> = new Set([
  "👍",
  "👎",
  "❤",
  "🔥",
  "🥰",
  "👏",
  "😁",
  "🤔",
  "🤯",
  "😱",
  "🤬",
  "😢",
  "🎉",
  "🤩",
  "🤮",
  "💩",
  "🙏",
  "👌",
  "🕊",
  "🤡",
  "🥱",
  "🥴",
  "😍",
  "🐳",
  "❤‍🔥",
  "🌚",
  "🌭",
  "💯",
  "🤣",
  "⚡",
  "🍌",
  "🏆",
  "💔",
  "🤨",
  "😐",
  "🍓",
  "🍾",
  "💋",
  "🖕",
  "😈",
  "😴",
  "😭",
  "🤓",
  "👻",
  "👨‍💻",
  "👀",
  "🎃",
  "🙈",
  "😇",
  "😨",
  "🤝",
  "✍",
  "🤗",
  "🫡",
  "🎅",
  "🎄",
  "☃",
  "💅",
  "🤪",
  "🗿",
  "🆒",
  "💘",
  "🙉",
  "🦄",
  "😘",
  "💊",
  "🙊",
  "😎",
  "👾",
  "🤷‍♂",
  "🤷",
  "🤷‍♀",
  "😡",
]);

// Common emoji outside Telegram's set, mapped to the closest one it has (after variation selectors and skin tones
// are stripped), so an ack such as "✅" still shows something.
const CLOSEST_REACTION: Record<string, string> = {
  "✅": "👌",
  "✔": "👌",
  "☑": "👌",
  "😂": "🤣",
  "😀": "😁",
  "😃": "😁",
  "😄": "😁",
  "🙂": "😁",
  "😊": "🥰",
  "⏳": "👀",
  "⌛": "👀",
  "🤖": "👾",
  "🚀": "🔥",
  "✨": "🎉",
  "🎊": "🎉",
  "💡": "⚡",
  "👋": "🤝",
  "🫶": "❤",
  "💜": "❤",
  "💙": "❤",
  "💚": "❤",
  "💛": "❤",
  "🧡": "❤",
  "🖤": "❤",
  "❌": "👎",
  "😞": "😢",
};

/** Drops emoji variation selectors (U+FE0F) and skin-tone modifiers, which Telegram's reaction set omits. */
function bareEmoji(emoji: string): string {
  return emoji.replace(/\uFE0F|\uD83C[\uDFFB-\uDFFF]/g, "");
}

/** The reaction Telegram accepts for `emoji` (itself or its closest match), or undefined when there is none. */
export function toTelegramReactionEmoji(emoji: string): string | undefined {
  const bare = bareEmoji(emoji.trim());
  if (TELEGRAM_REACTION_EMOJI.has(bare)) return bare;
  return CLOSEST_REACTION[bare];
}

function reactionKey(reaction: ReactionType): string | undefined {
  if (reaction.type === "emoji") return reaction.emoji;
  if (reaction.type === "custom_emoji") return `custom_emoji:${reaction.custom_emoji_id}`;
  return undefined;
}

function displayName(user: User): string {
  return user.last_name ? `${user.first_name} ${user.last_name}` : user.first_name;
}

/**
 * One {@link InboundReaction} per emoji a `message_reaction` update added or took off (Telegram sends the user's
 * whole old and new lists). Telegram says neither who wrote the message nor its topic: both come from the memory
 * of the bot's own messages.
 */
export function reactionUpdateToInbound(
  update: MessageReactionUpdated,
  context: { accountId: string; bot: BotIdentity; sentMessages: SentMessageMemory },
): InboundReaction[] {
  const { chat, user } = update;
  if (chat.type === "channel" || user?.id === context.bot.id) return [];
  const sender = user
    ? {
        id: String(user.id),
        name: displayName(user),
        ...(user.username === undefined ? {} : { username: user.username }),
      }
    : update.actor_chat
      ? {
          id: String(update.actor_chat.id),
          ...(update.actor_chat.title ? { name: update.actor_chat.title } : {}),
        }
      : undefined;
  if (sender === undefined) return [];
  const chatId = String(chat.id);
  const messageId = String(update.message_id);
  const remembered = context.sentMessages.lookup(chatId, messageId);
  const where =
    chat.type === "private"
      ? { chatKind: "dm" as const, peer: { id: sender.id, ...(sender.name ? { name: sender.name } : {}) } }
      : {
          chatId,
          peer: { id: chatId, ...(chat.title === undefined ? {} : { name: chat.title }) },
          ...(remembered?.threadId !== undefined && chat.is_forum === true
            ? { chatKind: "thread" as const, threadId: remembered.threadId }
            : { chatKind: "group" as const }),
        };
  const before = new Set(update.old_reaction.map(reactionKey).filter((key) => key !== undefined));
  const after = new Set(update.new_reaction.map(reactionKey).filter((key) => key !== undefined));
  const base = {
    channel: "telegram",
    accountId: context.accountId,
    ...where,
    sender,
    messageId,
    onBotMessage: remembered !== undefined,
    timestamp: update.date * 1000,
  };
  return [
    ...[...after].filter((emoji) => !before.has(emoji)).map((emoji) => ({ ...base, emoji, removed: false })),
    ...[...before].filter((emoji) => !after.has(emoji)).map((emoji) => ({ ...base, emoji, removed: true })),
  ];
}
