import { createHmac, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { DEFAULT_WAIT_TIMEOUT_MS } from "../wait-timeout.js";
import { dmChannelOf, FakeSlackConversations } from "./fake-slack-conversations.js";
import { describeChannel, describeUser, openDm } from "./fake-slack-directory.js";
import { fakeSlackEvents } from "./fake-slack-events.js";
import { FakeSlackFiles } from "./fake-slack-files.js";
import { FakeSlackSocketMode } from "./fake-slack-socket-mode.js";
import type {
  FakeSlackCall,
  FakeSlackChannel,
  FakeSlackFailure,
  FakeSlackServer,
  FakeSlackServerOptions,
  FakeSlackUser,
} from "./fake-slack-types.js";
import { createFakeSlackWaiters } from "./fake-slack-waiters.js";
import {
  type SlackEnvelope,
  type SlackEvent,
  type SlackEventCallback,
  type SlackSlashCommandPayload,
  TimestampClock,
} from "./slack-objects.js";
import {
  bearerToken,
  errorReply,
  okReply,
  readWebApiParams,
  type WebApiParams,
  type WebApiReply,
} from "./web-api-request.js";

const TEAM_ID = "T0FAKE0001";
const APP_ID = "A0FAKE0001";

const BOT_METHODS = new Set([
  "auth.test",
  "chat.postMessage",
  "chat.update",
  "chat.delete",
  "conversations.info",
  "conversations.open",
  "users.info",
  "reactions.add",
  "reactions.remove",
  "files.getUploadURLExternal",
  "files.completeUploadExternal",
]);

export async function startFakeSlackServer(options: FakeSlackServerOptions = {}): Promise<FakeSlackServer> {
  const botToken = options.botToken ?? "xoxb-0000000001-fake-bot-token";
  const appToken = options.appToken ?? "xapp-1-A0FAKE0001-fake-app-token";
  const signingSecret = options.signingSecret ?? "fake-signing-secret-0123456789";
  const bot = {
    userId: "U0FAKEBOT1",
    botId: "B0FAKEBOT1",
    teamId: TEAM_ID,
    name: options.botName ?? "openclaw",
  };
  const clock = new TimestampClock();
  const users = new Map<string, FakeSlackUser>();
  const channels = new Map<string, FakeSlackChannel>();
  const calls: FakeSlackCall[] = [];
  const failures = new Map<string, FakeSlackFailure[]>();
  let closed = false;

  const { changed, waitUntil, waitForFirst, close: closeWaiters } = createFakeSlackWaiters();
  const conversations = new FakeSlackConversations(bot, clock, changed);
  const files = new FakeSlackFiles(() => baseUrl, TEAM_ID, conversations, changed);
  const events = fakeSlackEvents({
    teamId: TEAM_ID,
    appId: APP_ID,
    botUserId: bot.userId,
    clock,
    conversations,
    files,
    channels,
    users,
  });

  const server = createServer((req, res) => {
    handleRequest(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: false, error: "fatal_error", detail: String(error) }));
    });
  });
  const socketMode = new FakeSlackSocketMode(APP_ID, changed);
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (closed) socket.end("HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n");
    else socketMode.upgrade(req, socket, head);
  });
  const send = (envelope: SlackEnvelope): string => socketMode.send(envelope);

  const deliver = (event: SlackEvent): string =>
    send({
      envelope_id: randomUUID(),
      type: "events_api",
      payload: events.eventCallback(event),
      accepts_response_payload: false,
      retry_attempt: 0,
      retry_reason: "",
    });

  const takeFailure = (method: string): FakeSlackFailure | undefined => {
    const queue = failures.get(method);
    const failure = queue?.[0];
    if (failure === undefined || queue === undefined) return undefined;
    const times = failure.times ?? 1;
    if (times <= 1) queue.shift();
    else queue[0] = { ...failure, times: times - 1 };
    return failure;
  };

  const dispatch = (method: string, params: WebApiParams, token: string | undefined): WebApiReply => {
    if (method === "apps.connections.open") {
      if (token === botToken) return errorReply("not_allowed_token_type");
      if (token !== appToken) return errorReply("invalid_auth");
      return okReply({ url: socketMode.connectionUrl(port) });
    }
    if (!BOT_METHODS.has(method)) return errorReply("unknown_method", 404);
    if (token === appToken) return errorReply("not_allowed_token_type");
    if (token !== botToken) return errorReply(token === undefined ? "not_authed" : "invalid_auth");
    switch (method) {
      case "auth.test":
        return okReply({
          url: "https://fake-workspace.slack.com/",
          team: "Fake Workspace",
          user: bot.name,
          team_id: TEAM_ID,
          user_id: bot.userId,
          bot_id: bot.botId,
          is_enterprise_install: false,
        });
      case "chat.postMessage":
        return conversations.postMessage(params);
      case "chat.update":
        return conversations.update(params);
      case "chat.delete":
        return conversations.delete(params);
      case "reactions.add":
        return conversations.react("add", params);
      case "reactions.remove":
        return conversations.react("remove", params);
      case "files.getUploadURLExternal":
        return files.getUploadUrl(params, bot.userId);
      case "files.completeUploadExternal":
        return files.complete(params);
      case "conversations.info":
        return describeChannel(channels, params);
      case "conversations.open":
        return openDm(params);
      default:
        return describeUser(users, TEAM_ID, params);
    }
  };

  async function handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (!url.pathname.startsWith("/api/")) {
      if (!(await files.serve(req, res, url.pathname, botToken))) res.writeHead(404).end();
      return;
    }
    const params = await readWebApiParams(req);
    const method = url.pathname.slice("/api/".length);
    const failure = takeFailure(method);
    let reply: WebApiReply;
    if (failure !== undefined) {
      const status = failure.status ?? 200;
      reply =
        status === 429
          ? {
              status,
              body: { ok: false, error: failure.error ?? "ratelimited" },
              headers: { "retry-after": String(failure.retryAfter ?? 1) },
            }
          : errorReply(failure.error ?? "fatal_error", status);
    } else {
      reply = dispatch(method, params, bearerToken(req, params));
    }
    calls.push({ method, status: reply.status, at: Date.now(), body: params });
    res.writeHead(reply.status, { "content-type": "application/json; charset=utf-8", ...reply.headers });
    res.end(JSON.stringify(reply.body));
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;

  return {
    apiUrl: `${baseUrl}/api/`,
    botToken,
    appToken,
    signingSecret,
    bot,
    mention: (text) => `<@${bot.userId}> ${text}`,
    dmChannel: (user) => dmChannelOf(user),
    addUser(user) {
      users.set(user.id, user);
    },
    addChannel(channel) {
      channels.set(channel.id, channel);
    },
    sendDirectMessage(message) {
      const event = events.dmEvent(message);
      return {
        ts: event.ts,
        channel: event.channel,
        envelopeIds: [deliver(event)],
        files: event.files ?? [],
      };
    },
    sendChannelMessage(message) {
      const event = events.channelEvent(message);
      const envelopeIds = [deliver(event)];
      if (message.text.includes(`<@${bot.userId}>`) && message.appMention !== false) {
        const { channel_type: _channelType, client_msg_id: _clientMessageId, ...rest } = event;
        envelopeIds.push(deliver({ ...rest, type: "app_mention" }));
      }
      return { ts: event.ts, channel: event.channel, envelopeIds, files: event.files ?? [] };
    },
    replayEnvelope(type, payload) {
      const envelope_id = randomUUID();
      return send(
        type === "slash_commands"
          ? {
              envelope_id,
              type,
              payload: payload as SlackSlashCommandPayload,
              accepts_response_payload: true,
            }
          : {
              envelope_id,
              type,
              payload: payload as SlackEventCallback,
              accepts_response_payload: false,
              retry_attempt: 0,
              retry_reason: "",
            },
      );
    },
    sendReaction: (reaction) => ({ envelopeId: deliver(events.reactionEvent(reaction)) }),
    sendSlashCommand(command) {
      const payload = events.slashCommand(command);
      const envelopeId = send({
        envelope_id: randomUUID(),
        type: "slash_commands",
        payload,
        accepts_response_payload: true,
      });
      return { envelopeId, triggerId: payload.trigger_id };
    },
    directMessageEvent: (message) => events.eventCallback(events.dmEvent(message)),
    channelMessageEvent: (message) => events.eventCallback(events.channelEvent(message)),
    slashCommandBody: (command) => events.slashCommand(command),
    async postEvent(url, body, postOptions = {}) {
      // Slash commands arrive as a form, events as JSON.
      const form = postOptions.form === true;
      const raw = form
        ? new URLSearchParams(body as Record<string, string>).toString()
        : JSON.stringify(body);
      const headers: Record<string, string> = {
        "content-type": form ? "application/x-www-form-urlencoded" : "application/json",
      };
      if (postOptions.sign !== false) {
        const timestamp = String(Math.floor(Date.now() / 1000));
        const digest = createHmac("sha256", postOptions.signingSecret ?? signingSecret)
          .update(`v0:${timestamp}:${raw}`)
          .digest("hex");
        headers["x-slack-request-timestamp"] = timestamp;
        headers["x-slack-signature"] = `v0=${digest}`;
      }
      return fetch(url, { method: "POST", headers, body: raw });
    },
    posted: conversations.posted,
    async waitForPosted(predicate, waitOptions = {}) {
      const count = waitOptions.count ?? 1;
      const matching = () => conversations.posted.filter(predicate);
      await waitUntil(
        () => matching().length >= count,
        waitOptions.timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS,
        () =>
          `expected ${count} matching posted message(s), got ${matching().length} of ${conversations.posted.length}`,
      );
      return matching();
    },
    message: (channel, ts) => conversations.get(channel, ts),
    get messages() {
      return conversations.all();
    },
    waitForMessage: (predicate, timeoutMs = DEFAULT_WAIT_TIMEOUT_MS) =>
      waitForFirst(() => conversations.all(), predicate, timeoutMs, "message"),
    uploads: files.uploads,
    waitForUpload: (predicate, timeoutMs = DEFAULT_WAIT_TIMEOUT_MS) =>
      waitForFirst(() => files.uploads, predicate, timeoutMs, "upload"),
    downloads: files.downloads,
    withholdFiles(withheld = true) {
      files.withheld = withheld;
    },
    reactionCalls: conversations.reactionCalls,
    waitForReactionCall: (predicate, timeoutMs = DEFAULT_WAIT_TIMEOUT_MS) =>
      waitForFirst(() => conversations.reactionCalls, predicate, timeoutMs, "reaction call"),
    calls,
    failNext(method, failure) {
      const queue = failures.get(method) ?? [];
      queue.push(failure);
      failures.set(method, queue);
    },
    acks: socketMode.acks,
    ackPayload: (envelopeId) => socketMode.ackPayloads.get(envelopeId),
    waitForAck(envelopeId, timeoutMs = DEFAULT_WAIT_TIMEOUT_MS) {
      return waitUntil(
        () => socketMode.acks.includes(envelopeId),
        timeoutMs,
        () => `envelope ${envelopeId} was never acknowledged`,
      );
    },
    get connectionCount() {
      return socketMode.connectionCount;
    },
    get clientPings() {
      return socketMode.clientPings;
    },
    waitForClientPings(total, timeoutMs = DEFAULT_WAIT_TIMEOUT_MS) {
      return waitUntil(
        () => socketMode.clientPings >= total,
        timeoutMs,
        () => `expected ${total} WebSocket ping(s) from the client, got ${socketMode.clientPings}`,
      );
    },
    get openSockets() {
      return socketMode.sockets.size;
    },
    waitForConnections(total, timeoutMs = DEFAULT_WAIT_TIMEOUT_MS) {
      return waitUntil(
        () => socketMode.connectionCount >= total,
        timeoutMs,
        () => `expected ${total} Socket Mode connection(s), got ${socketMode.connectionCount}`,
      );
    },
    waitForOpenSockets(count, timeoutMs = DEFAULT_WAIT_TIMEOUT_MS) {
      return waitUntil(
        () => socketMode.sockets.size === count,
        timeoutMs,
        () => `expected ${count} open Socket Mode connection(s), got ${socketMode.sockets.size}`,
      );
    },
    dropSocket: () => socketMode.drop(),
    sendDisconnect: (reason = "refresh_requested") => socketMode.sendDisconnect(reason),
    async close() {
      if (closed) return;
      closed = true;
      closeWaiters();
      socketMode.close();
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await stopped;
    },
  };
}
