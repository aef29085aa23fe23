import { asBoolean, asList, asNumber, asRecord, asString, type BotApiParams } from "./bot-api-request.js";
import { type ApiReply, type FakeTelegramState, fail, ok } from "./fake-telegram-state.js";
import { renderFormattedText } from "./formatted-text.js";
import {
  compact,
  detectEntities,
  type TelegramChat,
  type TelegramMessage,
  type TelegramMessageEntity,
  topicCreatedMessage,
  unixTime,
} from "./telegram-objects.js";

const MAX_TEXT_LENGTH = 4096;
const NOT_MODIFIED =
  "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";
const CHAT_ACTIONS = new Set([
  "typing",
  "upload_photo",
  "record_video",
  "upload_video",
  "record_voice",
  "upload_voice",
  "upload_document",
  "choose_sticker",
  "find_location",
  "record_video_note",
  "upload_video_note",
]);

/** Where a new bot message goes: its topic and the message it replies to. */
export interface Placement {
  chat: TelegramChat;
  threadId?: number;
  replyToId?: number;
  /** The `reply_to_message` Telegram attaches: the replied-to message, or a topic's opening message. */
  replyToMessage?: TelegramMessage;
  isTopicMessage: boolean;
}

export function resolvePlacement(state: FakeTelegramState, params: BotApiParams): Placement | ApiReply {
  const resolved = state.resolveChat(params.chat_id);
  if ("error" in resolved) return resolved.error;
  const { chat } = resolved;
  const threadId = asNumber(params.message_thread_id);
  const replyParameters = asRecord(params.reply_parameters);
  const replyToId = asNumber(replyParameters?.message_id) ?? asNumber(params.reply_to_message_id);
  const replyTarget = replyToId === undefined ? undefined : state.message(chat.id, replyToId);
  if (replyToId !== undefined && !replyTarget && !asBoolean(replyParameters?.allow_sending_without_reply)) {
    return fail(400, "Bad Request: message to be replied not found");
  }
  const isTopicMessage = threadId !== undefined && chat.is_forum === true;
  return compact({
    chat,
    threadId,
    replyToId,
    replyToMessage:
      replyTarget ??
      (isTopicMessage && threadId !== undefined ? topicCreatedMessage(chat, threadId, state.bot) : undefined),
    isTopicMessage,
  });
}

export const isReply = (value: Placement | ApiReply): value is ApiReply => "ok" in value;

/** Renders `text` with `parse_mode` the way Telegram does, or the 400 Telegram answers. */
export function renderText(
  text: string,
  parseMode: string | undefined,
  explicitEntities: unknown,
  maxLength: number,
  tooLong: string,
): { text: string; entities?: TelegramMessageEntity[] } | ApiReply {
  const rendered = renderFormattedText(text, parseMode);
  if (!rendered.ok) return fail(400, rendered.description);
  if (rendered.text.length > maxLength) return fail(400, tooLong);
  const entities =
    (asList(explicitEntities) as TelegramMessageEntity[] | undefined) ?? detectEntities(rendered.text);
  return entities.length > 0 ? { text: rendered.text, entities } : { text: rendered.text };
}

export function textMethods(state: FakeTelegramState): Record<string, (params: BotApiParams) => ApiReply> {
  const { bot } = state;

  const sendMessage = (params: BotApiParams): ApiReply => {
    const placement = resolvePlacement(state, params);
    if (isReply(placement)) return placement;
    const { chat, threadId } = placement;
    const text = asString(params.text) ?? "";
    if (text.trim() === "") return fail(400, "Bad Request: message text is empty");
    const parseMode = asString(params.parse_mode) || undefined;
    const rendered = renderText(
      text,
      parseMode,
      params.entities,
      MAX_TEXT_LENGTH,
      "Bad Request: message is too long",
    );
    if ("ok" in rendered) return rendered;
    const message: TelegramMessage = compact({
      message_id: state.nextMessageId(chat.id),
      message_thread_id: threadId,
      from: bot,
      chat,
      date: unixTime(),
      reply_to_message: placement.replyToMessage,
      text: rendered.text,
      entities: rendered.entities,
      is_topic_message: placement.isTopicMessage ? true : undefined,
    });
    state.store(message);
    state.recordSent({
      method: "sendMessage",
      chatId: String(chat.id),
      text,
      parseMode,
      messageThreadId: threadId,
      replyToMessageId: placement.replyToId,
      messageId: message.message_id,
      body: params,
    });
    return ok(message);
  };

  const sendChatAction = (params: BotApiParams): ApiReply => {
    const resolved = state.resolveChat(params.chat_id);
    if ("error" in resolved) return resolved.error;
    const { chat } = resolved;
    const action = asString(params.action) ?? "";
    if (!CHAT_ACTIONS.has(action)) return fail(400, "Bad Request: wrong parameter action in request");
    state.recordSent({
      method: "sendChatAction",
      chatId: String(chat.id),
      action,
      messageThreadId: asNumber(params.message_thread_id),
      messageId: 0,
      body: params,
    });
    return ok(true);
  };

  const editMessageText = (params: BotApiParams): ApiReply => {
    const resolved = state.resolveChat(params.chat_id);
    if ("error" in resolved) return resolved.error;
    const { chat } = resolved;
    const messageId = asNumber(params.message_id);
    if (messageId === undefined) return fail(400, "Bad Request: message identifier is not specified");
    const original = state.message(chat.id, messageId);
    if (!original) return fail(400, "Bad Request: message to edit not found");
    if (original.from?.id !== bot.id) return fail(400, "Bad Request: message can't be edited");
    if (original.text === undefined) return fail(400, "Bad Request: there is no text in the message to edit");
    const text = asString(params.text) ?? "";
    if (text.trim() === "") return fail(400, "Bad Request: message text is empty");
    const parseMode = asString(params.parse_mode) || undefined;
    const rendered = renderText(
      text,
      parseMode,
      params.entities,
      MAX_TEXT_LENGTH,
      "Bad Request: message is too long",
    );
    if ("ok" in rendered) return rendered;
    if (rendered.text === original.text && params.reply_markup === undefined) return fail(400, NOT_MODIFIED);
    const edited: TelegramMessage = compact({
      ...original,
      edit_date: unixTime(),
      text: rendered.text,
      entities: rendered.entities,
    });
    state.store(edited);
    state.recordSent({
      method: "editMessageText",
      chatId: String(chat.id),
      text,
      parseMode,
      messageId,
      body: params,
    });
    return ok(edited);
  };

  const deleteMessage = (params: BotApiParams): ApiReply => {
    const resolved = state.resolveChat(params.chat_id);
    if ("error" in resolved) return resolved.error;
    const { chat } = resolved;
    const messageId = asNumber(params.message_id) ?? 0;
    if (!state.deleteMessage(chat.id, messageId)) {
      return fail(400, "Bad Request: message to delete not found");
    }
    state.recordSent({ method: "deleteMessage", chatId: String(chat.id), messageId, body: params });
    return ok(true);
  };

  const getChat = (params: BotApiParams): ApiReply => {
    const id = asNumber(params.chat_id);
    const chat = id === undefined ? undefined : state.chats.get(id);
    if (!chat) return fail(400, "Bad Request: chat not found");
    return ok({ ...chat, accent_color_id: 0, max_reaction_count: 11 });
  };

  return { sendMessage, sendChatAction, editMessageText, deleteMessage, getChat };
}
