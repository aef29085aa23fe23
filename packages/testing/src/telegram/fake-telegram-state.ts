import { asNumber, asString } from "./bot-api-request.js";
import type { FakeTelegramSent } from "./fake-telegram-types.js";
import { inferChat, type TelegramChat, type TelegramMessage, type TelegramUser } from "./telegram-objects.js";
import { WaiterList } from "./wait-until.js";

export type ApiReply =
  | { ok: true; result: unknown }
  | { ok: false; error_code: number; description: string; parameters?: { retry_after?: number } };

export const ok = (result: unknown): ApiReply => ({ ok: true, result });
export const fail = (errorCode: number, description: string, retryAfter?: number): ApiReply =>
  retryAfter === undefined
    ? { ok: false, error_code: errorCode, description }
    : { ok: false, error_code: errorCode, description, parameters: { retry_after: retryAfter } };

const messageKey = (chatId: number, messageId: number) => `${chatId}:${messageId}`;

/** What the fake Bot API remembers: chats, messages (with their text history) and the calls it accepted. */
export class FakeTelegramState {
  readonly chats = new Map<number, TelegramChat>();
  readonly sent: FakeTelegramSent[] = [];
  readonly sentWaiters = new WaiterList();
  readonly #messages = new Map<string, TelegramMessage>();
  readonly #textHistory = new Map<string, string[]>();
  readonly #lastMessageId = new Map<number, number>();

  constructor(readonly bot: TelegramUser) {}

  /** Message ids count per chat, shared by the users' and the bot's messages, as in Telegram. */
  nextMessageId(chatId: number): number {
    const id = (this.#lastMessageId.get(chatId) ?? 0) + 1;
    this.#lastMessageId.set(chatId, id);
    return id;
  }

  /** Stores a new or edited message; its text (or caption) joins the message's history. */
  store(message: TelegramMessage): void {
    const key = messageKey(message.chat.id, message.message_id);
    this.#messages.set(key, message);
    const text = message.text ?? (typeof message.caption === "string" ? message.caption : "");
    this.#textHistory.set(key, [...(this.#textHistory.get(key) ?? []), text]);
  }

  message(chatId: number, messageId: number): TelegramMessage | undefined {
    return this.#messages.get(messageKey(chatId, messageId));
  }

  deleteMessage(chatId: number, messageId: number): boolean {
    return this.#messages.delete(messageKey(chatId, messageId));
  }

  textHistory(chatId: number, messageId: number): string[] {
    return [...(this.#textHistory.get(messageKey(chatId, messageId)) ?? [])];
  }

  recordSent(entry: Omit<FakeTelegramSent, "at">): void {
    this.sent.push({ ...entry, at: Date.now() });
    this.sentWaiters.notify();
  }

  // Chats never seen in an inbound message are inferred from the id rather than refused, so a test can send first.
  resolveChat(value: unknown): { chat: TelegramChat } | { error: ApiReply } {
    const id = asNumber(value);
    if (id !== undefined) return { chat: this.chats.get(id) ?? inferChat(id) };
    const name = asString(value);
    if (name === undefined || name === "") return { error: fail(400, "Bad Request: chat_id is empty") };
    const byUsername = [...this.chats.values()].find(
      (chat) => chat.username !== undefined && `@${chat.username}` === name,
    );
    return byUsername ? { chat: byUsername } : { error: fail(400, "Bad Request: chat not found") };
  }
}
