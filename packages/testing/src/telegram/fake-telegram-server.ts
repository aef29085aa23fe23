import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { DEFAULT_WAIT_TIMEOUT_MS } from "../wait-timeout.js";
import { asList, asNumber, type BotApiParams, RequestTooLargeError, readParams } from "./bot-api-request.js";
import { FakeBotSettings } from "./bot-settings.js";
import { type ApiReply, FakeTelegramState, fail, ok } from "./fake-telegram-state.js";
import type {
  FakeTelegramCall,
  FakeTelegramFailure,
  FakeTelegramServer,
  FakeTelegramServerOptions,
} from "./fake-telegram-types.js";
import { FakeFileStore } from "./file-store.js";
import { inboundMediaFields } from "./inbound-media.js";
import { mediaMethods } from "./media-methods.js";
import { FakeReactions } from "./reactions.js";
import {
  compact,
  detectEntities,
  type TelegramChat,
  type TelegramMessage,
  type TelegramUser,
  toChat,
  topicCreatedMessage,
  toUser,
  unixTime,
} from "./telegram-objects.js";
import { textMethods } from "./text-methods.js";
import { UpdateQueue } from "./update-queue.js";
import { WaiterList } from "./wait-until.js";

interface HeldPoll {
  res: ServerResponse;
  limit: number | undefined;
  finish(reply: ApiReply): void;
}

type Handler = (params: BotApiParams) => ApiReply | Promise<ApiReply>;

const DEFAULT_TOKEN = "7000000001:AAF4ke-T0ken-f0r-l00pback-tests";
const DEFAULT_BOT_USERNAME = "openclaw_test_bot";
const FIRST_UPDATE_ID = 10001;
// Telegram allows 50 s; 30 s is grammY's default and keeps a forgotten poll from outliving a test run.
const MAX_POLL_SECONDS = 30;
const CONFLICT_OTHER_POLL =
  "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running";
const CONFLICT_WEBHOOK =
  "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first";

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
  const state = new FakeTelegramState(bot);
  const updates = new UpdateQueue(FIRST_UPDATE_ID);
  const files = new FakeFileStore();
  const reactions = new FakeReactions(state, updates);
  const settings = new FakeBotSettings(bot, updates);
  const calls: FakeTelegramCall[] = [];
  const failures = new Map<string, FakeTelegramFailure[]>();
  const held = new Set<HeldPoll>();
  const pollWaiters = new WaiterList();
  const callWaiters = new WaiterList();
  let closed = false;

  const holdPoll = (poll: HeldPoll, holding: boolean) => {
    if (holding) held.add(poll);
    else if (!held.delete(poll)) return;
    pollWaiters.notify();
  };

  const wakePolls = () => {
    for (const poll of held) {
      const ready = updates.peek(poll.limit);
      if (ready.length > 0) poll.finish(ok(ready));
    }
  };

  const handlers: Record<string, Handler> = {
    ...settings.methods(),
    ...textMethods(state),
    ...mediaMethods(state, files),
    setMessageReaction: reactions.setMessageReaction,
  };
  // Bot API method names are case-insensitive.
  const methodByLowerName = new Map<string, string>(
    [...Object.keys(handlers), "getUpdates"].map((method) => [method.toLowerCase(), method]),
  );

  const getUpdates = (params: BotApiParams, res: ServerResponse) => {
    if (settings.webhookUrl !== "") return sendReply(res, fail(409, CONFLICT_WEBHOOK));
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
      if (error instanceof RequestTooLargeError) return sendReply(res, fail(413, "Request Entity Too Large"));
      sendReply(
        res,
        fail(500, `Internal Server Error: ${error instanceof Error ? error.message : String(error)}`),
      );
    });
  });

  const handleRequest = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const download = /^\/file\/bot([^/]*)\/(.+)$/.exec(url.pathname);
    if (download && req.method === "GET") {
      if (download[1] !== token) return sendReply(res, fail(401, "Unauthorized"));
      return files.serve(decodeURIComponent(download[2] ?? ""), res);
    }
    const params = await readParams(req, url);
    const route = /^\/bot([^/]*)\/([^/]+)$/.exec(url.pathname);
    if (!route) return sendReply(res, fail(404, "Not Found"));
    const requested = route[2] ?? "";
    const method = methodByLowerName.get(requested.toLowerCase());
    calls.push({ method: method ?? requested, at: Date.now(), body: params });
    callWaiters.notify();
    if (route[1] !== token) return sendReply(res, fail(401, "Unauthorized"));
    if (!method) return sendReply(res, fail(404, "Not Found: method not found"));
    const failure = takeFailure(method);
    if (failure) return sendReply(res, fail(failure.status, failure.description, failure.retryAfterSeconds));
    if (method === "getUpdates") return getUpdates(params, res);
    const handler = handlers[method];
    if (!handler) return sendReply(res, fail(404, "Not Found: method not found"));
    return sendReply(res, await handler(params));
  };

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  /** A user's message in `chat`: its id, date, topic and reply fields, ready for the kind-specific fields. */
  const userMessage = (
    chat: TelegramChat,
    from: TelegramUser,
    threadId: number | undefined,
    replyTo?: { message_id: number; text?: string; from?: Parameters<typeof toUser>[0] },
  ): TelegramMessage => {
    const isTopicMessage = threadId !== undefined && chat.is_forum === true;
    return compact({
      message_id: state.nextMessageId(chat.id),
      message_thread_id: threadId,
      from,
      chat,
      date: unixTime(),
      reply_to_message: replyTo
        ? (state.message(chat.id, replyTo.message_id) ??
          compact({
            message_id: replyTo.message_id,
            message_thread_id: threadId,
            from: replyTo.from ? toUser(replyTo.from) : undefined,
            chat,
            date: unixTime(),
            text: replyTo.text,
            is_topic_message: isTopicMessage ? true : undefined,
          }))
        : isTopicMessage && threadId !== undefined
          ? topicCreatedMessage(chat, threadId, from)
          : undefined,
      is_topic_message: isTopicMessage ? true : undefined,
    });
  };

  const deliver = (message: TelegramMessage) => {
    state.store(message);
    const update = updates.push("message", message);
    wakePolls();
    return { update_id: update.update_id, message };
  };

  const chatId = (value: number | string) => Number(value);

  return {
    apiRoot: `http://127.0.0.1:${port}`,
    token,
    bot,
    sent: state.sent,
    calls,
    get activePolls() {
      return held.size;
    },
    get commands() {
      return settings.commands;
    },
    downloads: files.downloads,
    sendMessage(inbound) {
      const chat = toChat(inbound.chat, inbound.from);
      state.chats.set(chat.id, chat);
      const entities = inbound.entities ?? detectEntities(inbound.text);
      return deliver(
        compact({
          ...userMessage(chat, toUser(inbound.from), inbound.messageThreadId, inbound.replyTo),
          text: inbound.text,
          entities: entities.length > 0 ? entities : undefined,
        }),
      );
    },
    sendMediaMessage(inbound) {
      const chat = toChat(inbound.chat, inbound.from);
      state.chats.set(chat.id, chat);
      const entities =
        inbound.caption === undefined ? [] : (inbound.captionEntities ?? detectEntities(inbound.caption));
      const base = userMessage(chat, toUser(inbound.from), inbound.messageThreadId);
      // Telegram orders the fields: ids, sender, chat, date, then the file, then the caption.
      return deliver(
        compact({
          ...base,
          media_group_id: inbound.mediaGroupId,
          ...inboundMediaFields(files, inbound),
          caption: inbound.caption,
          caption_entities: entities.length > 0 ? entities : undefined,
        }),
      );
    },
    sendReaction(inbound) {
      const update = reactions.inject(inbound);
      wakePolls();
      return update;
    },
    mentionText(text) {
      const mention = `@${botUsername}`;
      return {
        text: `${mention} ${text}`,
        entities: [{ offset: 0, length: mention.length, type: "mention" }],
      };
    },
    textHistory: (chat, messageId) => state.textHistory(chatId(chat), messageId),
    botReactions: (chat, messageId) => reactions.botReactions(chatId(chat), messageId),
    waitForSent(predicate, { count = 1, timeoutMs = DEFAULT_WAIT_TIMEOUT_MS } = {}) {
      const matching = () => state.sent.filter(predicate);
      return state.sentWaiters.waitUntil({
        ready: () => matching().length >= count,
        value: matching,
        timeoutMs,
        timeoutMessage: () => {
          const seen = state.sent.map((entry) => `${entry.method}(${entry.chatId})`).join(", ") || "nothing";
          return `waitForSent: ${matching().length} of ${count} matching calls after ${timeoutMs} ms (sent: ${seen}); check the chat id and that the bot is polling, or raise timeoutMs`;
        },
      });
    },
    waitForCall(predicate, timeoutMs = DEFAULT_WAIT_TIMEOUT_MS) {
      return callWaiters.waitUntil({
        ready: () => calls.some(predicate),
        value: () => calls.find(predicate) as FakeTelegramCall,
        timeoutMs,
        timeoutMessage: () =>
          `waitForCall: no matching call after ${timeoutMs} ms (calls: ${calls.map((call) => call.method).join(", ") || "none"})`,
      });
    },
    waitForActivePolls(count, timeoutMs = DEFAULT_WAIT_TIMEOUT_MS) {
      return pollWaiters.waitUntil({
        ready: () => held.size === count,
        value: () => undefined,
        timeoutMs,
        timeoutMessage: () =>
          `waitForActivePolls: ${held.size} getUpdates held, not ${count}, after ${timeoutMs} ms; is the bot started (bot.start()) with a long-poll timeout?`,
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
      state.sentWaiters.close();
      pollWaiters.close();
      callWaiters.close();
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await stopped;
    },
  };
}

function sendReply(res: ServerResponse, reply: ApiReply): void {
  const body = JSON.stringify(reply);
  res.writeHead(reply.ok ? 200 : reply.error_code, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body),
  });
  res.end(body);
}

export type {
  FakeTelegramCall,
  FakeTelegramFailure,
  FakeTelegramInbound,
  FakeTelegramInboundMedia,
  FakeTelegramInboundReaction,
  FakeTelegramMediaKind,
  FakeTelegramSent,
  FakeTelegramServer,
  FakeTelegramServerOptions,
  FakeTelegramUpload,
  FakeTelegramUploadMethod,
} from "./fake-telegram-types.js";
export type {
  FakeTelegramChat,
  FakeTelegramUser,
  TelegramMessage,
  TelegramMessageEntity,
} from "./telegram-objects.js";
export type { TelegramUpdate } from "./update-queue.js";
