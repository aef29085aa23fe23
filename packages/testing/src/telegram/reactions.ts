import { asBoolean, asList, asNumber, asRecord, asString, type BotApiParams } from "./bot-api-request.js";
import { type ApiReply, type FakeTelegramState, fail, ok } from "./fake-telegram-state.js";
import type { FakeTelegramInboundReaction } from "./fake-telegram-types.js";
import { toChat, toUser, unixTime } from "./telegram-objects.js";
import type { UpdateQueue } from "./update-queue.js";

/** The emoji Telegram accepts as a reaction (Bot API `ReactionTypeEmoji`). */
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

const emojiReaction = (emoji: string) => ({ type: "emoji", emoji });

/** The bot's reactions (setMessageReaction) and users' reactions (injected as `message_reaction` updates). */
export class FakeReactions {
  readonly #bot = new Map<string, string[]>();
  readonly #users = new Map<string, string[]>();

  constructor(
    private readonly state: FakeTelegramState,
    private readonly updates: UpdateQueue,
  ) {}

  botReactions(chatId: number, messageId: number): string[] {
    return [...(this.#bot.get(`${chatId}:${messageId}`) ?? [])];
  }

  setMessageReaction = (params: BotApiParams): ApiReply => {
    const resolved = this.state.resolveChat(params.chat_id);
    if ("error" in resolved) return resolved.error;
    const { chat } = resolved;
    const messageId = asNumber(params.message_id);
    if (messageId === undefined || !this.state.message(chat.id, messageId)) {
      return fail(400, "Bad Request: MESSAGE_ID_INVALID");
    }
    const emoji: string[] = [];
    for (const entry of asList(params.reaction) ?? []) {
      const reaction = asRecord(entry);
      const value = asString(reaction?.emoji);
      if (reaction?.type !== "emoji" || value === undefined || !TELEGRAM_REACTION_EMOJI.has(value)) {
        return fail(400, "Bad Request: REACTION_INVALID");
      }
      emoji.push(value);
    }
    // Bots count as non-premium users: one reaction per message.
    if (emoji.length > 1) return fail(400, "Bad Request: REACTIONS_TOO_MANY");
    this.#bot.set(`${chat.id}:${messageId}`, emoji);
    this.state.recordSent({
      method: "setMessageReaction",
      chatId: String(chat.id),
      messageId,
      reaction: emoji,
      body: { ...params, is_big: asBoolean(params.is_big) },
    });
    return ok(true);
  };

  /** Queues the `message_reaction` update Telegram sends when a user changes their reactions on a message. */
  inject(inbound: FakeTelegramInboundReaction): {
    update_id: number;
    message_reaction: Record<string, unknown>;
  } {
    const chat = toChat(inbound.chat, inbound.from);
    this.state.chats.set(chat.id, chat);
    const key = `${chat.id}:${inbound.messageId}:${inbound.from.id}`;
    const old = this.#users.get(key) ?? [];
    this.#users.set(key, [...inbound.reaction]);
    const messageReaction = {
      chat,
      message_id: inbound.messageId,
      user: toUser(inbound.from),
      date: unixTime(),
      old_reaction: old.map(emojiReaction),
      new_reaction: inbound.reaction.map(emojiReaction),
    };
    const update = this.updates.push("message_reaction", messageReaction);
    return { update_id: update.update_id, message_reaction: messageReaction };
  }
}
