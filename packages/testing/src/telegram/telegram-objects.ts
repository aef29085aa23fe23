/** Builders for the Bot API objects the fake hands out, shaped like `__fixtures__/*.update.json`. */

export interface FakeTelegramChat {
  id: number;
  type: "private" | "group" | "supergroup";
  title?: string;
  is_forum?: boolean;
}

export interface FakeTelegramUser {
  id: number;
  is_bot?: boolean;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

export interface TelegramMessageEntity {
  type: string;
  offset: number;
  length: number;
  [field: string]: unknown;
}

export type TelegramUser = FakeTelegramUser & { is_bot: boolean };

export type TelegramChat = Record<string, unknown> & { id: number; type: string };

export interface TelegramMessage {
  message_id: number;
  message_thread_id?: number;
  from?: TelegramUser;
  chat: TelegramChat;
  date: number;
  edit_date?: number;
  reply_to_message?: TelegramMessage;
  text?: string;
  entities?: TelegramMessageEntity[];
  is_topic_message?: boolean;
  [field: string]: unknown;
}

export const unixTime = () => Math.floor(Date.now() / 1000);

export function toUser(user: FakeTelegramUser): TelegramUser {
  return { ...user, is_bot: user.is_bot ?? false };
}

/** A private chat carries its user's names; groups carry a title, forums `is_forum: true`. */
export function toChat(chat: FakeTelegramChat, from?: FakeTelegramUser): TelegramChat {
  if (chat.type === "private") {
    return compact({
      id: chat.id,
      first_name: from?.first_name ?? `User ${chat.id}`,
      last_name: from?.last_name,
      username: from?.username,
      type: "private",
    }) as TelegramChat;
  }
  return compact({
    id: chat.id,
    title: chat.title ?? (chat.type === "group" ? "Test group" : "Test supergroup"),
    is_forum: chat.is_forum ? true : undefined,
    type: chat.type,
  }) as TelegramChat;
}

/** What Telegram infers for a chat id it has not seen: users are positive, supergroups start at -100…. */
export function inferChat(id: number): TelegramChat {
  if (id > 0) return { id, first_name: `User ${id}`, type: "private" };
  if (id <= -1_000_000_000_000) return { id, title: `Supergroup ${id}`, type: "supergroup" };
  return { id, title: `Group ${id}`, type: "group" };
}

/** The service message that opened a forum topic: a topic's messages reply to it unless they reply elsewhere. */
export function topicCreatedMessage(
  chat: TelegramChat,
  threadId: number,
  from: TelegramUser,
): TelegramMessage {
  return {
    message_id: threadId,
    message_thread_id: threadId,
    from,
    chat,
    date: unixTime(),
    forum_topic_created: { name: `Topic ${threadId}`, icon_color: 7322096 },
    is_topic_message: true,
  };
}

/**
 * The entities Telegram's servers add to a plain text: @mentions and /commands (URLs and the rest are left out).
 * Offsets and lengths are UTF-16 code units, like JavaScript string indices.
 */
export function detectEntities(text: string): TelegramMessageEntity[] {
  const entities: TelegramMessageEntity[] = [];
  for (const match of text.matchAll(
    /(^|[^\w@/])(@[A-Za-z][A-Za-z0-9_]{3,31}|\/[A-Za-z0-9_]{1,32}(?:@\w+)?)/g,
  )) {
    const token = match[2] ?? "";
    const offset = (match.index ?? 0) + (match[1]?.length ?? 0);
    entities.push({ offset, length: token.length, type: token.startsWith("@") ? "mention" : "bot_command" });
  }
  return entities;
}

/** Drops undefined fields, as Telegram omits absent optional fields instead of sending null. */
export function compact<T extends Record<string, unknown>>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as T;
}
