import { createHmac, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { type WebSocket, WebSocketServer } from "ws";
import { DEFAULT_WAIT_TIMEOUT_MS } from "../wait-timeout.js";
import { FakeSlackServerError } from "./fake-slack-server-error.js";
import {
  type SlackEnvelope,
  type SlackEvent,
  type SlackEventCallback,
  TimestampClock,
} from "./slack-objects.js";
import { asString, bearerToken, readWebApiParams, type WebApiParams } from "./web-api-request.js";

/** One accepted chat.postMessage or chat.update. */
export interface FakeSlackPosted {
  method: "chat.postMessage" | "chat.update";
  channel: string;
  /** As sent: Slack mrkdwn with &, < and > escaped. */
  text: string;
  threadTs?: string;
  /** The new message's ts (chat.postMessage) or the edited one's (chat.update). */
  ts: string;
  mrkdwn?: boolean;
  at: number;
  body: WebApiParams;
}

/** Every Web API request, failures included. */
export interface FakeSlackCall {
  method: string;
  status: number;
  at: number;
  body: WebApiParams;
}

export interface FakeSlackFailure {
  /** HTTP status; 429 adds `Retry-After`. Default 200 (a Slack platform error: `{ ok: false, error }`). */
  status?: number;
  /** Seconds for the `Retry-After` header of a 429. Default 1. */
  retryAfter?: number;
  /** The `error` of the body. Default "ratelimited" for 429, "fatal_error" otherwise. */
  error?: string;
  /** How many consecutive calls of the method fail. Default 1. */
  times?: number;
}

export interface FakeSlackUser {
  id: string;
  name: string;
  realName?: string;
}

export interface FakeSlackChannel {
  id: string;
  name: string;
  /** Default false; true makes the conversation a private channel (`channel_type` "group"). */
  isPrivate?: boolean;
}

export interface FakeSlackDirectMessage {
  user: string;
  text: string;
  /** The IM channel id; default `D` + the user id. */
  channel?: string;
  threadTs?: string;
}

export interface FakeSlackChannelMessage {
  channel: string;
  user: string;
  text: string;
  /** Makes the message a reply in this thread. */
  threadTs?: string;
  /**
   * When the text mentions the bot Slack also sends an `app_mention` event (if the app subscribes to both); default
   * true. Set false to deliver only the `message` event.
   */
  appMention?: boolean;
}

export interface FakeSlackDelivery {
  ts: string;
  channel: string;
  /** One envelope id per event delivered (the `message`, then the `app_mention` if any). */
  envelopeIds: string[];
}

export interface FakeSlackServer {
  /** `http://127.0.0.1:<port>/api/`: pass it as the WebClient's `slackApiUrl`. */
  readonly apiUrl: string;
  /** The only bot token (xoxb-) accepted by the bot methods. */
  readonly botToken: string;
  /** The only app-level token (xapp-) accepted by apps.connections.open. */
  readonly appToken: string;
  /** Signs the HTTP Events API requests of {@link FakeSlackServer.postEvent}. */
  readonly signingSecret: string;
  /** What auth.test reports. */
  readonly bot: { userId: string; botId: string; teamId: string; name: string };
  /** `<@bot user id> text`: a message mentioning the bot. */
  mention(text: string): string;
  /** Registers a user for users.info (unknown ids still resolve, named after the id). */
  addUser(user: FakeSlackUser): void;
  /** Registers a channel for conversations.info. */
  addChannel(channel: FakeSlackChannel): void;
  /** A DM from `user` to the bot, delivered over Socket Mode (queued until a socket is connected). */
  sendDirectMessage(message: FakeSlackDirectMessage): FakeSlackDelivery;
  /** A channel message (plus `app_mention` when it mentions the bot), delivered over Socket Mode. */
  sendChannelMessage(message: FakeSlackChannelMessage): FakeSlackDelivery;
  /** The `event_callback` body of a DM, for {@link FakeSlackServer.postEvent}. */
  directMessageEvent(message: FakeSlackDirectMessage): SlackEventCallback;
  /** The `event_callback` body of a channel `message` event, for {@link FakeSlackServer.postEvent}. */
  channelMessageEvent(message: FakeSlackChannelMessage): SlackEventCallback;
  /**
   * POSTs `body` to an HTTP Events API Request URL as Slack does: JSON with `X-Slack-Request-Timestamp` and
   * `X-Slack-Signature` (v0 HMAC-SHA256 with `signingSecret`, or the given one; `sign: false` leaves them out).
   */
  postEvent(
    url: string,
    body: unknown,
    options?: { sign?: boolean; signingSecret?: string },
  ): Promise<Response>;
  /** Every accepted chat.postMessage / chat.update, oldest first. */
  readonly posted: FakeSlackPosted[];
  /** Resolves with the matching `posted` entries once `count` (1) match; rejects after `timeoutMs` (15 s). */
  waitForPosted(
    predicate: (posted: FakeSlackPosted) => boolean,
    options?: { count?: number; timeoutMs?: number },
  ): Promise<FakeSlackPosted[]>;
  /** Every Web API request, oldest first. */
  readonly calls: FakeSlackCall[];
  /** The next `times` calls of `method` fail as described. */
  failNext(method: string, failure: FakeSlackFailure): void;
  /** Envelope ids the client acknowledged, in order. */
  readonly acks: string[];
  /** Resolves once the envelope is acknowledged; rejects after `timeoutMs` (15 s). */
  waitForAck(envelopeId: string, timeoutMs?: number): Promise<void>;
  /** Socket Mode connections opened so far (each got `hello`). */
  readonly connectionCount: number;
  /** Socket Mode connections open right now. */
  readonly openSockets: number;
  /** Resolves once `total` connections have been opened since the start; rejects after `timeoutMs` (15 s). */
  waitForConnections(total: number, timeoutMs?: number): Promise<void>;
  /** Resolves once exactly `count` connections are open (0: "the client has closed"); rejects after `timeoutMs`. */
  waitForOpenSockets(count: number, timeoutMs?: number): Promise<void>;
  /** Destroys every Socket Mode connection without a close frame, as a network failure would. */
  dropSocket(): void;
  /** Sends Slack's `{ type: "disconnect" }` (e.g. "refresh_requested"), asking the client to reconnect. */
  sendDisconnect(reason?: string): void;
  /** Stops listening and drops every connection; pending waits reject with SERVER_CLOSED. */
  close(): Promise<void>;
}

export interface FakeSlackServerOptions {
  botToken?: string;
  appToken?: string;
  signingSecret?: string;
  /** Default "openclaw". */
  botName?: string;
}

interface Waiter {
  check(): boolean;
  fail(error: Error): void;
}

// Slack truncates text beyond 40,000 characters; the fake refuses instead, so a test notices.
const MAX_TEXT_LENGTH = 40_000;
const SOCKET_PATH = "/link/";
const TEAM_ID = "T0FAKE0001";
const APP_ID = "A0FAKE0001";

const BOT_METHODS = new Set([
  "auth.test",
  "chat.postMessage",
  "chat.update",
  "conversations.info",
  "users.info",
]);

type Reply = { status: number; body: Record<string, unknown>; headers?: Record<string, string> };

const okReply = (body: Record<string, unknown> = {}): Reply => ({ status: 200, body: { ok: true, ...body } });
const errorReply = (error: string, status = 200): Reply => ({ status, body: { ok: false, error } });

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
  const posted: FakeSlackPosted[] = [];
  const calls: FakeSlackCall[] = [];
  const acks: string[] = [];
  const failures = new Map<string, FakeSlackFailure[]>();
  const tickets = new Set<string>();
  const sockets = new Set<WebSocket>();
  const pending: SlackEnvelope[] = [];
  let waiters: Waiter[] = [];
  let connectionCount = 0;
  let closed = false;

  const changed = () => {
    waiters = waiters.filter((waiter) => !waiter.check());
  };

  const waitUntil = (ready: () => boolean, timeoutMs: number, what: () => string): Promise<void> => {
    if (ready()) return Promise.resolve();
    if (closed) {
      return Promise.reject(new FakeSlackServerError("SERVER_CLOSED", "the fake Slack server is closed"));
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters = waiters.filter((entry) => entry !== waiter);
        reject(new FakeSlackServerError("WAIT_TIMEOUT", `${what()} (waited ${timeoutMs} ms)`));
      }, timeoutMs);
      const waiter: Waiter = {
        check() {
          if (!ready()) return false;
          clearTimeout(timer);
          resolve();
          return true;
        },
        fail(error) {
          clearTimeout(timer);
          reject(error);
        },
      };
      waiters.push(waiter);
    });
  };

  const server = createServer((req, res) => {
    handleRequest(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: false, error: "fatal_error", detail: String(error) }));
    });
  });
  const wss = new WebSocketServer({ noServer: true });

  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const ticket = url.searchParams.get("ticket") ?? "";
    // Slack's URLs are single use: a client must call apps.connections.open again to reconnect.
    if (closed || url.pathname !== SOCKET_PATH || !tickets.delete(ticket)) {
      socket.end("HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n");
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => openSocket(ws));
  });

  const openSocket = (ws: WebSocket) => {
    sockets.add(ws);
    connectionCount += 1;
    ws.on("message", (data) => {
      let message: { envelope_id?: unknown };
      try {
        message = JSON.parse(String(data)) as { envelope_id?: unknown };
      } catch {
        return;
      }
      if (typeof message.envelope_id === "string") {
        acks.push(message.envelope_id);
        changed();
      }
    });
    ws.on("close", () => {
      sockets.delete(ws);
      changed();
    });
    ws.on("error", () => sockets.delete(ws));
    ws.send(
      JSON.stringify({
        type: "hello",
        num_connections: sockets.size,
        debug_info: { host: "fake-slack", approximate_connection_time: 18060 },
        connection_info: { app_id: APP_ID },
      }),
    );
    for (const envelope of pending.splice(0)) ws.send(JSON.stringify(envelope));
    changed();
  };

  const deliver = (event: SlackEvent): string => {
    const envelope: SlackEnvelope = {
      envelope_id: randomUUID(),
      type: "events_api",
      payload: eventCallback(event),
      accepts_response_payload: false,
      retry_attempt: 0,
      retry_reason: "",
    };
    const socket = [...sockets].find((candidate) => candidate.readyState === candidate.OPEN);
    if (socket === undefined) pending.push(envelope);
    else socket.send(JSON.stringify(envelope));
    return envelope.envelope_id;
  };

  const eventCallback = (event: SlackEvent): SlackEventCallback => ({
    token: "fake-verification-token",
    team_id: TEAM_ID,
    api_app_id: APP_ID,
    event,
    type: "event_callback",
    event_id: `Ev${randomUUID().replace(/-/g, "").slice(0, 10).toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      {
        enterprise_id: null,
        team_id: TEAM_ID,
        user_id: bot.userId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
  });

  const dmEvent = (message: FakeSlackDirectMessage): SlackEvent => {
    const ts = clock.next();
    return {
      type: "message",
      channel: message.channel ?? `D${message.user}`,
      user: message.user,
      text: message.text,
      ts,
      event_ts: ts,
      team: TEAM_ID,
      channel_type: "im",
      client_msg_id: randomUUID(),
      ...(message.threadTs === undefined ? {} : { thread_ts: message.threadTs }),
    };
  };

  const channelEvent = (message: FakeSlackChannelMessage): SlackEvent => {
    const ts = clock.next();
    return {
      type: "message",
      channel: message.channel,
      user: message.user,
      text: message.text,
      ts,
      event_ts: ts,
      team: TEAM_ID,
      channel_type: channels.get(message.channel)?.isPrivate === true ? "group" : "channel",
      client_msg_id: randomUUID(),
      ...(message.threadTs === undefined ? {} : { thread_ts: message.threadTs }),
    };
  };

  const takeFailure = (method: string): FakeSlackFailure | undefined => {
    const queue = failures.get(method);
    const failure = queue?.[0];
    if (failure === undefined || queue === undefined) return undefined;
    const times = failure.times ?? 1;
    if (times <= 1) queue.shift();
    else queue[0] = { ...failure, times: times - 1 };
    return failure;
  };

  const postMessage = (params: WebApiParams): Reply => {
    const channel = asString(params.channel);
    if (channel === undefined || channel === "") return errorReply("channel_not_found");
    const text = asString(params.text) ?? "";
    if (text.trim() === "" && params.blocks === undefined) return errorReply("no_text");
    if (text.length > MAX_TEXT_LENGTH) return errorReply("msg_too_long");
    const threadTs = asString(params.thread_ts);
    const ts = clock.next();
    const mrkdwn = params.mrkdwn === undefined ? undefined : String(params.mrkdwn) !== "false";
    posted.push({
      method: "chat.postMessage",
      channel,
      text,
      ts,
      at: Date.now(),
      body: params,
      ...(threadTs === undefined ? {} : { threadTs }),
      ...(mrkdwn === undefined ? {} : { mrkdwn }),
    });
    changed();
    return okReply({
      channel,
      ts,
      message: {
        type: "message",
        text,
        user: bot.userId,
        bot_id: bot.botId,
        ts,
        team: TEAM_ID,
        ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
      },
    });
  };

  const updateMessage = (params: WebApiParams): Reply => {
    const channel = asString(params.channel);
    const ts = asString(params.ts);
    const original = posted.find((entry) => entry.channel === channel && entry.ts === ts);
    if (channel === undefined || ts === undefined || original === undefined) {
      return errorReply("message_not_found");
    }
    const text = asString(params.text) ?? "";
    if (text.length > MAX_TEXT_LENGTH) return errorReply("msg_too_long");
    posted.push({ method: "chat.update", channel, text, ts, at: Date.now(), body: params });
    changed();
    return okReply({ channel, ts, text });
  };

  const dispatch = (method: string, params: WebApiParams, token: string | undefined): Reply => {
    if (method === "apps.connections.open") {
      if (token === botToken) return errorReply("not_allowed_token_type");
      if (token !== appToken) return errorReply("invalid_auth");
      const ticket = randomUUID();
      tickets.add(ticket);
      const { port } = server.address() as AddressInfo;
      return okReply({ url: `ws://127.0.0.1:${port}${SOCKET_PATH}?ticket=${ticket}&app_id=${APP_ID}` });
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
        return postMessage(params);
      case "chat.update":
        return updateMessage(params);
      case "conversations.info": {
        const id = asString(params.channel) ?? "";
        const channel = channels.get(id);
        if (channel === undefined) return errorReply("channel_not_found");
        return okReply({
          channel: {
            id: channel.id,
            name: channel.name,
            is_channel: channel.isPrivate !== true,
            is_group: channel.isPrivate === true,
            is_im: false,
            is_private: channel.isPrivate === true,
            is_member: true,
          },
        });
      }
      default: {
        const id = asString(params.user) ?? "";
        if (id === "") return errorReply("user_not_found");
        const user = users.get(id) ?? { id, name: id.toLowerCase() };
        const realName = user.realName ?? user.name;
        return okReply({
          user: {
            id: user.id,
            team_id: TEAM_ID,
            name: user.name,
            real_name: realName,
            is_bot: false,
            profile: { real_name: realName, display_name: user.name },
          },
        });
      }
    }
  };

  async function handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const params = await readWebApiParams(req);
    const method = url.pathname.startsWith("/api/") ? url.pathname.slice("/api/".length) : "";
    const failure = takeFailure(method);
    let reply: Reply;
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

  return {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    botToken,
    appToken,
    signingSecret,
    bot,
    mention: (text) => `<@${bot.userId}> ${text}`,
    addUser(user) {
      users.set(user.id, user);
    },
    addChannel(channel) {
      channels.set(channel.id, channel);
    },
    sendDirectMessage(message) {
      const event = dmEvent(message);
      return { ts: event.ts, channel: event.channel, envelopeIds: [deliver(event)] };
    },
    sendChannelMessage(message) {
      const event = channelEvent(message);
      const envelopeIds = [deliver(event)];
      if (message.text.includes(`<@${bot.userId}>`) && message.appMention !== false) {
        const { channel_type: _channelType, client_msg_id: _clientMessageId, ...rest } = event;
        envelopeIds.push(deliver({ ...rest, type: "app_mention" }));
      }
      return { ts: event.ts, channel: event.channel, envelopeIds };
    },
    directMessageEvent: (message) => eventCallback(dmEvent(message)),
    channelMessageEvent: (message) => eventCallback(channelEvent(message)),
    async postEvent(url, body, postOptions = {}) {
      const raw = JSON.stringify(body);
      const headers: Record<string, string> = { "content-type": "application/json" };
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
    posted,
    async waitForPosted(predicate, waitOptions = {}) {
      const count = waitOptions.count ?? 1;
      const matching = () => posted.filter(predicate);
      await waitUntil(
        () => matching().length >= count,
        waitOptions.timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS,
        () => `expected ${count} matching posted message(s), got ${matching().length} of ${posted.length}`,
      );
      return matching();
    },
    calls,
    failNext(method, failure) {
      const queue = failures.get(method) ?? [];
      queue.push(failure);
      failures.set(method, queue);
    },
    acks,
    waitForAck(envelopeId, timeoutMs = DEFAULT_WAIT_TIMEOUT_MS) {
      return waitUntil(
        () => acks.includes(envelopeId),
        timeoutMs,
        () => `envelope ${envelopeId} was never acknowledged`,
      );
    },
    get connectionCount() {
      return connectionCount;
    },
    get openSockets() {
      return sockets.size;
    },
    waitForConnections(total, timeoutMs = DEFAULT_WAIT_TIMEOUT_MS) {
      return waitUntil(
        () => connectionCount >= total,
        timeoutMs,
        () => `expected ${total} Socket Mode connection(s), got ${connectionCount}`,
      );
    },
    waitForOpenSockets(count, timeoutMs = DEFAULT_WAIT_TIMEOUT_MS) {
      return waitUntil(
        () => sockets.size === count,
        timeoutMs,
        () => `expected ${count} open Socket Mode connection(s), got ${sockets.size}`,
      );
    },
    dropSocket() {
      for (const socket of sockets) socket.terminate();
    },
    sendDisconnect(reason = "refresh_requested") {
      for (const socket of sockets) {
        socket.send(JSON.stringify({ type: "disconnect", reason, debug_info: { host: "fake-slack" } }));
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const waiter of waiters.splice(0)) {
        waiter.fail(new FakeSlackServerError("SERVER_CLOSED", "the fake Slack server closed while waiting"));
      }
      for (const socket of sockets) socket.terminate();
      wss.close();
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await stopped;
    },
  };
}
