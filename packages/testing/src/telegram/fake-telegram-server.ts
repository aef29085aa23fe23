import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { DEFAULT_WAIT_TIMEOUT_MS } from "../wait-timeout.js";
import {
  asBoolean,
  asList,
  asNumber,
  asRecord,
  asString,
  type BotApiParams,
  readParams,
} from "./bot-api-request.js";
import { FakeTelegramServerError } from "./fake-telegram-server-error.js";
import { renderFormattedText } from "./formatted-text.js";
import {
  compact,
  detectEntities,
  type FakeTelegramChat,
  type FakeTelegramUser,
  inferChat,
  type TelegramChat,
  type TelegramMessage,
  type TelegramMessageEntity,
  type TelegramUser,
  toChat,
  topicCreatedMessage,
  toUser,
  unixTime,
} from "./telegram-objects.js";
import { type TelegramUpdate, UpdateQueue } from "./update-queue.js";

/** One outbound call the fake accepted (failed calls are only in `calls`). */
export interface FakeTelegramSent {
  method: "sendMessage" | "sendChatAction" | "editMessageText" | "deleteMessage";
  chatId: string;
  /** As sent, markup included; the Message returned to the client carries the rendered text. */
  text?: string;
  parseMode?: string;
  messageThreadId?: number;
  replyToMessageId?: number;
  action?: string;
  /** The new, edited or deleted message's id; 0 for sendChatAction. */
  messageId: number;
  at: number;
  body: BotApiParams;
}

export interface FakeTelegramFailure {
  /** HTTP status, also the `error_code` of the body. */
  status: number;
  /** Telegram's wording, e.g. "Too Many Requests: retry after 3". */
  description: string;
  /** Sets `parameters.retry_after`, as Telegram does on 429. */
  retryAfterSeconds?: number;
  /** How many consecutive calls of the method fail; default 1. */
  times?: number;
}

export interface FakeTelegramCall {
  method: string;
  at: number;
  body: BotApiParams;
}

export interface FakeTelegramInbound {
  chat: FakeTelegramChat;
  from: FakeTelegramUser;
  text: string;
  messageThreadId?: number;
  replyTo?: { message_id: number; text?: string; from?: FakeTelegramUser };
  /** Default: the @mentions and /commands Telegram itself would mark in `text`. */
  entities?: TelegramMessageEntity[];
}

export interface FakeTelegramServer {
  /** `http://127.0.0.1:<port>`: grammY takes it as `new Bot(token, { client: { apiRoot } })`. */
  readonly apiRoot: string;
  /** The only token accepted; any other gets 401 Unauthorized. */
  readonly token: string;
  /** The bot getMe describes. */
  readonly bot: TelegramUser;
  /** Queues a user's message as the next Update and wakes a held getUpdates. */
  sendMessage(inbound: FakeTelegramInbound): { update_id: number; message: TelegramMessage };
  /** `"@<bot username> <text>"` with its mention entity, to spread into `sendMessage`. */
  mentionText(text: string): { text: string; entities: TelegramMessageEntity[] };
  /** Every accepted sendMessage / sendChatAction / editMessageText / deleteMessage, oldest first. */
  readonly sent: FakeTelegramSent[];
  /** Resolves with the matching `sent` entries once `count` (1) match; rejects after `timeoutMs` (15 s). */
  waitForSent(
    predicate: (sent: FakeTelegramSent) => boolean,
    options?: { count?: number; timeoutMs?: number },
  ): Promise<FakeTelegramSent[]>;
  /** The next `times` calls of `method` get this status and Telegram's error JSON. */
  failNext(method: string, failure: FakeTelegramFailure): void;
  /** Destroys the sockets of held getUpdates requests, as a network reset would. */
  resetConnections(): void;
  /** Every request to `/bot<token>/<method>`, wrong tokens and failures included, oldest first. */
  readonly calls: FakeTelegramCall[];
  /** getUpdates requests held open right now, waiting for an update or their timeout. */
  readonly activePolls: number;
  /** Resolves once exactly `count` getUpdates are held (1: "the bot is polling now"); rejects after `timeoutMs` (15 s). */
  waitForActivePolls(count: number, timeoutMs?: number): Promise<void>;
  /** Answers held getUpdates with no updates, then stops listening and drops every connection. */
  close(): Promise<void>;
}

export interface FakeTelegramServerOptions {
  /** Default "7000000001:AAF4ke-T0ken-f0r-l00pback-tests"; the part before ":" is the bot's user id. */
  token?: string;
  /** Default "openclaw_test_bot". */
  botUsername?: string;
}

type ApiReply =
  | { ok: true; result: unknown }
  | { ok: false; error_code: number; description: string; parameters?: { retry_after?: number } };

interface HeldPoll {
  res: ServerResponse;
  limit: number | undefined;
  finish(reply: ApiReply): void;
}

interface Waiter {
  /** Resolves the waiter and returns true once enough entries match. */
  check(): boolean;
  fail(error: Error): void;
}

const DEFAULT_TOKEN = "7000000001:AAF4ke-T0ken-f0r-l00pback-tests";
const DEFAULT_BOT_USERNAME = "openclaw_test_bot";
const FIRST_UPDATE_ID = 10001;
// Telegram allows 50 s; 30 s is grammY's default and keeps a forgotten poll from outliving a test run.
const MAX_POLL_SECONDS = 30;
const MAX_TEXT_LENGTH = 4096;
const CONFLICT_OTHER_POLL =
  "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running";
const CONFLICT_WEBHOOK =
  "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first";
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
const METHODS = [
  "getMe",
  "getUpdates",
  "sendMessage",
  "sendChatAction",
  "editMessageText",
  "deleteMessage",
  "deleteWebhook",
  "setWebhook",
  "getWebhookInfo",
  "setMyCommands",
  "getMyCommands",
  "deleteMyCommands",
  "getChat",
] as const;
type Method = (typeof METHODS)[number];
// Bot API method names are case-insensitive.
const METHOD_BY_LOWER_NAME = new Map<string, Method>(METHODS.map((method) => [method.toLowerCase(), method]));

const ok = (result: unknown): ApiReply => ({ ok: true, result });
const fail = (errorCode: number, description: string, retryAfter?: number): ApiReply =>
  retryAfter === undefined
    ? { ok: false, error_code: errorCode, description }
    : { ok: false, error_code: errorCode, description, parameters: { retry_after: retryAfter } };

export async function startFakeTelegramServer(
  options: FakeTelegramServerOptions = {},
): Promise<FakeTelegramServer> {
  const token = options.token ?? DEFAULT_TOKEN;
  const botUsername = options.botUsername ?? DEFAULT_BOT_USERNAME;
  const bot: TelegramUser = {
    id: asNumber(token.split(":")[0]) ?? 7000000001,
    is_bot: true,
    first_name: "OpenClaw Test Bot",
    username: botUsername,
  };
  const updates = new UpdateQueue(FIRST_UPDATE_ID);
  const chats = new Map<number, TelegramChat>();
  const messages = new Map<string, TelegramMessage>();
  const lastMessageId = new Map<number, number>();
  const sent: FakeTelegramSent[] = [];
  const calls: FakeTelegramCall[] = [];
  const failures = new Map<string, FakeTelegramFailure[]>();
  const held = new Set<HeldPoll>();
  let sentWaiters: Waiter[] = [];
  let pollWaiters: Waiter[] = [];
  let webhookUrl = "";
  let commands: unknown[] = [];
  let closed = false;

  const messageKey = (chatId: number, messageId: number) => `${chatId}:${messageId}`;
  // Message ids count per chat, shared by the users' and the bot's messages, as in Telegram.
  const nextMessageId = (chatId: number) => {
    const id = (lastMessageId.get(chatId) ?? 0) + 1;
    lastMessageId.set(chatId, id);
    return id;
  };
  const store = (message: TelegramMessage) =>
    messages.set(messageKey(message.chat.id, message.message_id), message);

  const recordSent = (entry: Omit<FakeTelegramSent, "at">) => {
    sent.push({ ...entry, at: Date.now() });
    sentWaiters = sentWaiters.filter((waiter) => !waiter.check());
  };

  const holdPoll = (poll: HeldPoll, holding: boolean) => {
    if (holding) held.add(poll);
    else if (!held.delete(poll)) return;
    pollWaiters = pollWaiters.filter((waiter) => !waiter.check());
  };

  const wakePolls = () => {
    for (const poll of held) {
      const ready = updates.peek(poll.limit);
      if (ready.length > 0) poll.finish(ok(ready));
    }
  };

  // Chats never seen in an inbound message are inferred from the id rather than refused, so a test can send first.
  const resolveChat = (value: unknown): { chat: TelegramChat } | { error: ApiReply } => {
    const id = asNumber(value);
    if (id !== undefined) return { chat: chats.get(id) ?? inferChat(id) };
    const name = asString(value);
    if (name === undefined || name === "") return { error: fail(400, "Bad Request: chat_id is empty") };
    const byUsername = [...chats.values()].find(
      (chat) => chat.username !== undefined && `@${chat.username}` === name,
    );
    return byUsername ? { chat: byUsername } : { error: fail(400, "Bad Request: chat not found") };
  };

  const sendMessage = (params: BotApiParams): ApiReply => {
    const resolved = resolveChat(params.chat_id);
    if ("error" in resolved) return resolved.error;
    const { chat } = resolved;
    const text = asString(params.text) ?? "";
    if (text.trim() === "") return fail(400, "Bad Request: message text is empty");
    const parseMode = asString(params.parse_mode) || undefined;
    const rendered = renderFormattedText(text, parseMode);
    if (!rendered.ok) return fail(400, rendered.description);
    if (rendered.text.length > MAX_TEXT_LENGTH) return fail(400, "Bad Request: message is too long");
    const threadId = asNumber(params.message_thread_id);
    const replyParameters = asRecord(params.reply_parameters);
    const replyToId = asNumber(replyParameters?.message_id) ?? asNumber(params.reply_to_message_id);
    const replyTarget = replyToId === undefined ? undefined : messages.get(messageKey(chat.id, replyToId));
    if (replyToId !== undefined && !replyTarget && !asBoolean(replyParameters?.allow_sending_without_reply)) {
      return fail(400, "Bad Request: message to be replied not found");
    }
    const isTopicMessage = threadId !== undefined && chat.is_forum === true;
    const entities =
      (asList(params.entities) as TelegramMessageEntity[] | undefined) ?? detectEntities(rendered.text);
    const message: TelegramMessage = compact({
      message_id: nextMessageId(chat.id),
      message_thread_id: threadId,
      from: bot,
      chat,
      date: unixTime(),
      reply_to_message:
        replyTarget ??
        (isTopicMessage && threadId !== undefined ? topicCreatedMessage(chat, threadId, bot) : undefined),
      text: rendered.text,
      entities: entities.length > 0 ? entities : undefined,
      is_topic_message: isTopicMessage ? true : undefined,
    });
    store(message);
    recordSent({
      method: "sendMessage",
      chatId: String(chat.id),
      text,
      parseMode,
      messageThreadId: threadId,
      replyToMessageId: replyToId,
      messageId: message.message_id,
      body: params,
    });
    return ok(message);
  };

  const sendChatAction = (params: BotApiParams): ApiReply => {
    const resolved = resolveChat(params.chat_id);
    if ("error" in resolved) return resolved.error;
    const { chat } = resolved;
    const action = asString(params.action) ?? "";
    if (!CHAT_ACTIONS.has(action)) return fail(400, "Bad Request: wrong parameter action in request");
    recordSent({
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
    const resolved = resolveChat(params.chat_id);
    if ("error" in resolved) return resolved.error;
    const { chat } = resolved;
    const messageId = asNumber(params.message_id);
    if (messageId === undefined) return fail(400, "Bad Request: message identifier is not specified");
    const original = messages.get(messageKey(chat.id, messageId));
    if (!original) return fail(400, "Bad Request: message to edit not found");
    if (original.from?.id !== bot.id) return fail(400, "Bad Request: message can't be edited");
    const text = asString(params.text) ?? "";
    if (text.trim() === "") return fail(400, "Bad Request: message text is empty");
    const parseMode = asString(params.parse_mode) || undefined;
    const rendered = renderFormattedText(text, parseMode);
    if (!rendered.ok) return fail(400, rendered.description);
    if (rendered.text.length > MAX_TEXT_LENGTH) return fail(400, "Bad Request: message is too long");
    if (rendered.text === original.text && params.reply_markup === undefined) return fail(400, NOT_MODIFIED);
    const entities =
      (asList(params.entities) as TelegramMessageEntity[] | undefined) ?? detectEntities(rendered.text);
    const edited: TelegramMessage = compact({
      ...original,
      edit_date: unixTime(),
      text: rendered.text,
      entities: entities.length > 0 ? entities : undefined,
    });
    store(edited);
    recordSent({
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
    const resolved = resolveChat(params.chat_id);
    if ("error" in resolved) return resolved.error;
    const { chat } = resolved;
    const messageId = asNumber(params.message_id) ?? 0;
    if (!messages.delete(messageKey(chat.id, messageId))) {
      return fail(400, "Bad Request: message to delete not found");
    }
    recordSent({ method: "deleteMessage", chatId: String(chat.id), messageId, body: params });
    return ok(true);
  };

  const getChat = (params: BotApiParams): ApiReply => {
    const id = asNumber(params.chat_id);
    const chat = id === undefined ? undefined : chats.get(id);
    if (!chat) return fail(400, "Bad Request: chat not found");
    return ok({ ...chat, accent_color_id: 0, max_reaction_count: 11 });
  };

  const handlers: Record<Exclude<Method, "getUpdates">, (params: BotApiParams) => ApiReply> = {
    getMe: () =>
      ok({
        ...bot,
        can_join_groups: true,
        can_read_all_group_messages: false,
        supports_inline_queries: false,
        can_connect_to_business: false,
        has_main_web_app: false,
      }),
    sendMessage,
    sendChatAction,
    editMessageText,
    deleteMessage,
    getChat,
    deleteWebhook: (params) => {
      webhookUrl = "";
      if (asBoolean(params.drop_pending_updates)) updates.dropAll();
      return ok(true);
    },
    setWebhook: (params) => {
      webhookUrl = asString(params.url) ?? "";
      if (asBoolean(params.drop_pending_updates)) updates.dropAll();
      return ok(true);
    },
    getWebhookInfo: () =>
      ok({ url: webhookUrl, has_custom_certificate: false, pending_update_count: updates.size }),
    setMyCommands: (params) => {
      commands = asList(params.commands) ?? [];
      return ok(true);
    },
    getMyCommands: () => ok(commands),
    deleteMyCommands: () => {
      commands = [];
      return ok(true);
    },
  };

  const getUpdates = (params: BotApiParams, res: ServerResponse) => {
    if (webhookUrl !== "") return sendReply(res, fail(409, CONFLICT_WEBHOOK));
    // A second poller is how Telegram learns that two bot instances share a token: the older request loses.
    for (const poll of held) poll.finish(fail(409, CONFLICT_OTHER_POLL));
    updates.setAllowed(asList(params.allowed_updates)?.map(String));
    updates.acknowledge(asNumber(params.offset));
    const limit = asNumber(params.limit);
    const timeoutSeconds = Math.min(Math.max(asNumber(params.timeout) ?? 0, 0), MAX_POLL_SECONDS);
    const ready = updates.peek(limit);
    if (ready.length > 0 || timeoutSeconds === 0 || closed) return sendReply(res, ok(ready));
    const poll: HeldPoll = {
      res,
      limit,
      finish: (reply) => {
        release();
        if (!res.writableEnded && !res.destroyed) sendReply(res, reply);
      },
    };
    const timer = setTimeout(() => poll.finish(ok(updates.peek(limit))), timeoutSeconds * 1000);
    const release = () => {
      clearTimeout(timer);
      holdPoll(poll, false);
    };
    // The client gave up (grammY's bot.stop() aborts its fetch): the poll is over.
    res.on("close", release);
    holdPoll(poll, true);
  };

  const takeFailure = (method: string): FakeTelegramFailure | undefined => {
    const queue = failures.get(method.toLowerCase());
    const failure = queue?.[0];
    if (!queue || !failure) return undefined;
    const remaining = (failure.times ?? 1) - 1;
    if (remaining > 0) queue[0] = { ...failure, times: remaining };
    else queue.shift();
    return failure;
  };

  const server = createServer((req, res) => {
    handleRequest(req, res).catch((error: unknown) => {
      if (res.headersSent) return res.destroy();
      sendReply(
        res,
        fail(500, `Internal Server Error: ${error instanceof Error ? error.message : String(error)}`),
      );
    });
  });

  const handleRequest = async (req: Parameters<typeof readParams>[0], res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const params = await readParams(req, url);
    const route = /^\/bot([^/]*)\/([^/]+)$/.exec(url.pathname);
    if (!route) return sendReply(res, fail(404, "Not Found"));
    const requested = route[2] ?? "";
    const method = METHOD_BY_LOWER_NAME.get(requested.toLowerCase());
    calls.push({ method: method ?? requested, at: Date.now(), body: params });
    if (route[1] !== token) return sendReply(res, fail(401, "Unauthorized"));
    if (!method) return sendReply(res, fail(404, "Not Found: method not found"));
    const failure = takeFailure(method);
    if (failure) return sendReply(res, fail(failure.status, failure.description, failure.retryAfterSeconds));
    if (method === "getUpdates") return getUpdates(params, res);
    return sendReply(res, handlers[method](params));
  };

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    apiRoot: `http://127.0.0.1:${port}`,
    token,
    bot,
    sent,
    calls,
    get activePolls() {
      return held.size;
    },
    sendMessage(inbound) {
      const from = toUser(inbound.from);
      const chat = toChat(inbound.chat, inbound.from);
      chats.set(chat.id, chat);
      const threadId = inbound.messageThreadId;
      const isTopicMessage = threadId !== undefined && chat.is_forum === true;
      const entities = inbound.entities ?? detectEntities(inbound.text);
      const message: TelegramMessage = compact({
        message_id: nextMessageId(chat.id),
        message_thread_id: threadId,
        from,
        chat,
        date: unixTime(),
        reply_to_message: inbound.replyTo
          ? replyTarget(chat, inbound.replyTo, threadId, isTopicMessage)
          : isTopicMessage && threadId !== undefined
            ? topicCreatedMessage(chat, threadId, from)
            : undefined,
        text: inbound.text,
        entities: entities.length > 0 ? entities : undefined,
        is_topic_message: isTopicMessage ? true : undefined,
      });
      store(message);
      const update = updates.push("message", message);
      wakePolls();
      return { update_id: update.update_id, message };
    },
    mentionText(text) {
      const mention = `@${botUsername}`;
      return {
        text: `${mention} ${text}`,
        entities: [{ offset: 0, length: mention.length, type: "mention" }],
      };
    },
    waitForSent(predicate, { count = 1, timeoutMs = DEFAULT_WAIT_TIMEOUT_MS } = {}) {
      const matching = () => sent.filter(predicate);
      return waitUntil({
        ready: () => matching().length >= count,
        value: matching,
        timeoutMs,
        timeoutMessage: () => {
          const seen = sent.map((entry) => `${entry.method}(${entry.chatId})`).join(", ") || "nothing";
          return `waitForSent: ${matching().length} of ${count} matching calls after ${timeoutMs} ms (sent: ${seen}); check the chat id and that the bot is polling, or raise timeoutMs`;
        },
        add: (waiter) => sentWaiters.push(waiter),
        remove: (waiter) => {
          sentWaiters = sentWaiters.filter((other) => other !== waiter);
        },
      });
    },
    waitForActivePolls(count, timeoutMs = DEFAULT_WAIT_TIMEOUT_MS) {
      return waitUntil({
        ready: () => held.size === count,
        value: () => undefined,
        timeoutMs,
        timeoutMessage: () =>
          `waitForActivePolls: ${held.size} getUpdates held, not ${count}, after ${timeoutMs} ms; is the bot started (bot.start()) with a long-poll timeout?`,
        add: (waiter) => pollWaiters.push(waiter),
        remove: (waiter) => {
          pollWaiters = pollWaiters.filter((other) => other !== waiter);
        },
      });
    },
    failNext(method, failure) {
      const key = method.toLowerCase();
      failures.set(key, [...(failures.get(key) ?? []), failure]);
    },
    resetConnections() {
      for (const poll of [...held]) {
        holdPoll(poll, false);
        poll.res.destroy();
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const poll of [...held]) poll.finish(ok([]));
      for (const waiter of [...sentWaiters, ...pollWaiters]) {
        waiter.fail(
          new FakeTelegramServerError("SERVER_CLOSED", "the fake Telegram server closed while waiting"),
        );
      }
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await stopped;
    },
  };

  function waitUntil<T>(o: {
    ready: () => boolean;
    value: () => T;
    timeoutMs: number;
    timeoutMessage: () => string;
    add: (waiter: Waiter) => void;
    remove: (waiter: Waiter) => void;
  }): Promise<T> {
    if (o.ready()) return Promise.resolve(o.value());
    if (closed) {
      return Promise.reject(
        new FakeTelegramServerError("SERVER_CLOSED", "the fake Telegram server is closed"),
      );
    }
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = {
        check: () => {
          if (!o.ready()) return false;
          clearTimeout(timer);
          resolve(o.value());
          return true;
        },
        fail: (error) => {
          clearTimeout(timer);
          o.remove(waiter);
          reject(error);
        },
      };
      const timer = setTimeout(
        () => waiter.fail(new FakeTelegramServerError("WAIT_TIMEOUT", o.timeoutMessage())),
        o.timeoutMs,
      );
      o.add(waiter);
    });
  }

  function replyTarget(
    chat: TelegramChat,
    replyTo: NonNullable<FakeTelegramInbound["replyTo"]>,
    threadId: number | undefined,
    isTopicMessage: boolean,
  ): TelegramMessage {
    const known = messages.get(messageKey(chat.id, replyTo.message_id));
    if (known) return known;
    return compact({
      message_id: replyTo.message_id,
      message_thread_id: threadId,
      from: replyTo.from ? toUser(replyTo.from) : undefined,
      chat,
      date: unixTime(),
      text: replyTo.text,
      is_topic_message: isTopicMessage ? true : undefined,
    });
  }
}

function sendReply(res: ServerResponse, reply: ApiReply): void {
  const body = JSON.stringify(reply);
  res.writeHead(reply.ok ? 200 : reply.error_code, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body),
  });
  res.end(body);
}

export type { FakeTelegramChat, FakeTelegramUser, TelegramMessage, TelegramMessageEntity, TelegramUpdate };
