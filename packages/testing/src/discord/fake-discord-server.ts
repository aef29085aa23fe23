import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";
import { DEFAULT_WAIT_TIMEOUT_MS } from "../wait-timeout.js";
import {
  ChannelKind,
  type DiscordChannel,
  type DiscordMessage,
  type DiscordUser,
  type FakeDiscordUser,
  snowflake,
  textChannel,
  threadChannel,
  toUser,
} from "./discord-objects.js";
import { FakeDiscordServerError } from "./fake-discord-server-error.js";

/** `GatewayIntentBits.MessageContent`: without it Discord blanks the content of messages that do not mention the bot. */
const MESSAGE_CONTENT_INTENT = 1 << 15;
const API_PREFIX = "/api/v10";

export interface FakeDiscordServerOptions {
  /** The only token accepted (REST `Authorization: Bot <token>` and gateway IDENTIFY); default a fixed fake. */
  token?: string;
  /** Sent in HELLO; discord.js heartbeats at this interval (the first one after a random share of it). */
  heartbeatIntervalMs?: number;
  bot?: Partial<FakeDiscordUser>;
  /** Answers IDENTIFY by closing the socket with this code, e.g. 4014 (disallowed intents) or 4004. */
  closeOnIdentify?: number;
}

/** One message the bot posted through `POST /channels/:id/messages`. */
export interface FakeDiscordSentMessage {
  channelId: string;
  content: string;
  messageId: string;
  /** `message_reference.message_id`, when the bot replied to a message. */
  replyTo?: string;
  body: Record<string, unknown>;
  at: number;
}

export interface FakeDiscordRequest {
  method: string;
  /** Without the `/api/v10` prefix, e.g. `/channels/123/messages`. */
  path: string;
  status: number;
}

export interface FakeDiscordGuildMessage {
  /** Default: the test guild's text channel; an unknown id becomes a new text channel (CHANNEL_CREATE first). */
  channelId?: string;
  author: FakeDiscordUser;
  content: string;
  /** Adds the bot to `mentions` (content is left as given; write `<@botId>` in it for a literal mention). */
  mentionBot?: boolean;
  /** The id of a message this one replies to. */
  replyTo?: string;
}

export interface FakeDiscordThreadMessage {
  /** Default: a thread created on first use (THREAD_CREATE first). */
  threadId?: string;
  /** The thread's parent; default the test guild's text channel. */
  parentId?: string;
  threadName?: string;
  author: FakeDiscordUser;
  content: string;
  mentionBot?: boolean;
}

export interface FakeDiscordServer {
  /** `http://127.0.0.1:<port>/api`: discord.js takes it as `new Client({ rest: { api } })`. */
  readonly apiBase: string;
  /** `ws://127.0.0.1:<port>`, what `GET /gateway/bot` returns. */
  readonly gatewayUrl: string;
  readonly token: string;
  readonly bot: DiscordUser;
  readonly guild: { id: string; name: string };
  /** The test guild's text channel, `#general`. */
  readonly channel: DiscordChannel;
  /** Messages the bot posted, in order. */
  readonly messages: FakeDiscordSentMessage[];
  /** `POST /channels/:id/typing` calls, in order. */
  readonly typing: { channelId: string; at: number }[];
  /** Every REST request, unknown routes (answered 404) included. */
  readonly requests: FakeDiscordRequest[];
  /** Gateway sessions: IDENTIFY count, RESUME count, heartbeats acknowledged, the last IDENTIFY's intents. */
  readonly gateway: { identifies: number; resumes: number; heartbeats: number; intents?: number };
  /** The DM channel id Discord keeps for the bot and `userId` (stable per user). */
  dmChannelId(userId: string): string;
  sendGuildMessage(message: FakeDiscordGuildMessage): DiscordMessage;
  sendDirectMessage(message: { author: FakeDiscordUser; content: string }): DiscordMessage;
  sendThreadMessage(message: FakeDiscordThreadMessage): DiscordMessage;
  /** Resolves with the first `count` posted messages matching `predicate` (already posted ones count). */
  waitForMessages(
    predicate: (message: FakeDiscordSentMessage) => boolean,
    options?: { count?: number; timeoutMs?: number },
  ): Promise<FakeDiscordSentMessage[]>;
  /** Resolves on the next READY (after IDENTIFY) or RESUMED (after RESUME) the fake sends. */
  waitForSession(kind: "ready" | "resumed", options?: { timeoutMs?: number }): Promise<void>;
  /** Closes the open gateway socket with `code` (default 4000, unknown error: the client resumes). */
  dropGateway(code?: number): void;
  close(): Promise<void>;
}

interface GatewayPayload {
  op: number;
  d?: unknown;
  s?: number | null;
  t?: string | null;
}

interface Session {
  id: string;
  seq: number;
  /** Dispatches of this session, replayed after a RESUME from the client's last sequence. */
  log: GatewayPayload[];
}

interface Waiter {
  check(): boolean;
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" ? (value as Record<string, unknown>) : {};
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return {};
  try {
    return record(JSON.parse(Buffer.concat(chunks).toString("utf8")));
  } catch {
    return {};
  }
}

/**
 * Starts a loopback Discord: the REST routes a bot uses under `/api/v10` and a JSON-encoded gateway WebSocket
 * (HELLO, IDENTIFY/READY, GUILD_CREATE, heartbeat ACK, RESUME/RESUMED with replay, MESSAGE_CREATE), enough for
 * an unmodified discord.js Client pointed at `apiBase`.
 */
export async function startFakeDiscordServer(
  options: FakeDiscordServerOptions = {},
): Promise<FakeDiscordServer> {
  const token = options.token ?? "fake-discord-token.MTIz.abc";
  const heartbeatIntervalMs = options.heartbeatIntervalMs ?? 41_250;
  const bot = toUser({
    id: options.bot?.id ?? "1100000000000000001",
    username: options.bot?.username ?? "openclaw",
    bot: true,
    ...(options.bot?.globalName === undefined ? {} : { globalName: options.bot.globalName }),
  });
  const guild = { id: "1200000000000000001", name: "Test Guild" };
  const channel = textChannel("1300000000000000001", guild.id, "general");
  const channels = new Map<string, DiscordChannel>([[channel.id, channel]]);
  const dmChannels = new Map<string, string>();
  const messages: FakeDiscordSentMessage[] = [];
  const typing: FakeDiscordServer["typing"] = [];
  const requests: FakeDiscordRequest[] = [];
  const gateway: FakeDiscordServer["gateway"] = { identifies: 0, resumes: 0, heartbeats: 0 };
  const waiters = new Set<Waiter>();
  const sockets = new Set<WebSocket>();
  let session: Session | undefined;
  let live: WebSocket | undefined;
  let closed = false;

  const notify = () => {
    for (const waiter of waiters) if (waiter.check()) waiters.delete(waiter);
  };

  const waitFor = <T>(describe: string, timeoutMs: number, poll: () => T | undefined): Promise<T> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(
          new FakeDiscordServerError("WAIT_TIMEOUT", `fake Discord waited ${timeoutMs} ms for ${describe}`),
        );
      }, timeoutMs);
      const waiter: Waiter = {
        check() {
          if (closed) {
            clearTimeout(timer);
            reject(
              new FakeDiscordServerError(
                "SERVER_CLOSED",
                `fake Discord closed while waiting for ${describe}`,
              ),
            );
            return true;
          }
          const value = poll();
          if (value === undefined) return false;
          clearTimeout(timer);
          resolve(value);
          return true;
        },
      };
      if (!waiter.check()) waiters.add(waiter);
    });

  const send = (socket: WebSocket, payload: GatewayPayload) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(payload));
  };

  const dispatch = (t: string, d: unknown) => {
    if (session === undefined) return;
    session.seq += 1;
    const payload = { op: 0, t, s: session.seq, d };
    session.log.push(payload);
    if (live !== undefined) send(live, payload);
  };

  const sessionEvents: ("ready" | "resumed")[] = [];

  const guildCreate = () => ({
    id: guild.id,
    name: guild.name,
    icon: null,
    owner_id: "1400000000000000001",
    unavailable: false,
    member_count: 2,
    large: false,
    joined_at: new Date().toISOString(),
    roles: [{ id: guild.id, name: "@everyone", permissions: "1024", position: 0, color: 0, hoist: false }],
    emojis: [],
    stickers: [],
    features: [],
    members: [],
    presences: [],
    voice_states: [],
    stage_instances: [],
    guild_scheduled_events: [],
    channels: [...channels.values()].filter((known) => known.guild_id === guild.id && known.type === 0),
    threads: [...channels.values()].filter((known) => known.type === ChannelKind.PublicThread),
  });

  const onGatewayPayload = (socket: WebSocket, payload: GatewayPayload) => {
    const data = record(payload.d);
    switch (payload.op) {
      case 1: {
        gateway.heartbeats += 1;
        send(socket, { op: 11 });
        return;
      }
      case 2: {
        if (data.token !== token) {
          socket.close(4004, "Authentication failed.");
          return;
        }
        if (options.closeOnIdentify !== undefined) {
          socket.close(options.closeOnIdentify, "fake Discord refused IDENTIFY as configured");
          return;
        }
        gateway.identifies += 1;
        gateway.intents = Number(data.intents);
        const sessionId = randomUUID().replaceAll("-", "");
        session = { id: sessionId, seq: 0, log: [] };
        live = socket;
        dispatch("READY", {
          v: 10,
          user: bot,
          session_id: sessionId,
          resume_gateway_url: gatewayUrl,
          guilds: [{ id: guild.id, unavailable: true }],
          application: { id: bot.id, flags: 0 },
          shard: [0, 1],
        });
        dispatch("GUILD_CREATE", guildCreate());
        sessionEvents.push("ready");
        notify();
        return;
      }
      case 6: {
        if (session === undefined || data.session_id !== session.id || data.token !== token) {
          send(socket, { op: 9, d: false });
          return;
        }
        gateway.resumes += 1;
        live = socket;
        const after = Number(data.seq);
        for (const missed of session.log) if ((missed.s ?? 0) > after) send(socket, missed);
        dispatch("RESUMED", null);
        sessionEvents.push("resumed");
        notify();
        return;
      }
      default:
        return;
    }
  };

  const reply = (response: ServerResponse, status: number, body?: unknown) => {
    if (body === undefined) {
      response.writeHead(status).end();
      return;
    }
    response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  };

  const botMessage = (channelId: string, content: string, replyTo?: string): DiscordMessage => {
    const target = channels.get(channelId);
    const guildId = target?.guild_id;
    return {
      id: snowflake(),
      channel_id: channelId,
      ...(guildId === undefined ? {} : { guild_id: guildId }),
      channel_type: target?.type ?? ChannelKind.GuildText,
      author: bot,
      content,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      embeds: [],
      pinned: false,
      type: replyTo === undefined ? 0 : 19,
      flags: 0,
      ...(replyTo === undefined
        ? {}
        : {
            message_reference: {
              message_id: replyTo,
              channel_id: channelId,
              ...(guildId === undefined ? {} : { guild_id: guildId }),
            },
          }),
    };
  };

  const route = async (request: IncomingMessage, response: ServerResponse, path: string): Promise<number> => {
    const method = request.method ?? "GET";
    if (request.headers.authorization !== `Bot ${token}`) {
      reply(response, 401, { message: "401: Unauthorized", code: 0 });
      return 401;
    }
    if (method === "GET" && (path === "/gateway/bot" || path === "/gateway")) {
      reply(response, 200, {
        url: gatewayUrl,
        shards: 1,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 86_400_000, max_concurrency: 1 },
      });
      return 200;
    }
    if (method === "GET" && path === "/users/@me") {
      reply(response, 200, bot);
      return 200;
    }
    if (method === "POST" && path === "/users/@me/channels") {
      const body = await readJson(request);
      const recipient = String(body.recipient_id ?? "");
      reply(response, 200, {
        id: dmChannelId(recipient),
        type: ChannelKind.DM,
        last_message_id: null,
        recipients: [toUser({ id: recipient, username: `user${recipient}` })],
      });
      return 200;
    }
    const channelRoute = /^\/channels\/([^/]+)(\/messages|\/typing)?$/.exec(path);
    const channelId = channelRoute?.[1];
    if (channelRoute !== null && channelId !== undefined) {
      const known = channels.get(channelId);
      if (known === undefined) {
        reply(response, 404, { message: "Unknown Channel", code: 10003 });
        return 404;
      }
      const sub = channelRoute[2];
      if (method === "GET" && sub === undefined) {
        reply(response, 200, known);
        return 200;
      }
      if (method === "POST" && sub === "/typing") {
        typing.push({ channelId, at: Date.now() });
        reply(response, 204);
        notify();
        return 204;
      }
      if (method === "POST" && sub === "/messages") {
        const body = await readJson(request);
        const content = typeof body.content === "string" ? body.content : "";
        if (content.length > 2000) {
          reply(response, 400, {
            message: "Invalid Form Body",
            code: 50035,
            errors: {
              content: {
                _errors: [{ code: "BASE_TYPE_MAX_LENGTH", message: "Must be 2000 or fewer in length." }],
              },
            },
          });
          return 400;
        }
        const reference = record(body.message_reference);
        const replyTo = typeof reference.message_id === "string" ? reference.message_id : undefined;
        const message = botMessage(channelId, content, replyTo);
        messages.push({
          channelId,
          content,
          messageId: message.id,
          ...(replyTo === undefined ? {} : { replyTo }),
          body,
          at: Date.now(),
        });
        reply(response, 200, message);
        // Discord echoes the bot's own messages over the gateway; adapters must ignore them.
        dispatch("MESSAGE_CREATE", message);
        notify();
        return 200;
      }
    }
    reply(response, 404, {
      message: `404: Not Found (fake Discord has no route ${method} ${path})`,
      code: 0,
    });
    return 404;
  };

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const path = url.pathname.startsWith(API_PREFIX) ? url.pathname.slice(API_PREFIX.length) : url.pathname;
    route(request, response, path).then(
      (status) => {
        requests.push({ method: request.method ?? "GET", path, status });
        if (status === 404 && !/^\/channels\/[^/]+/.test(path)) {
          console.warn(`fake Discord: unknown route ${request.method} ${url.pathname} (answered 404)`);
        }
      },
      (error: unknown) => {
        if (!response.headersSent) reply(response, 500, { message: String(error), code: 0 });
      },
    );
  });

  const wss = new WebSocketServer({ noServer: true });
  server.on("upgrade", (request, socket, head) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    wss.handleUpgrade(request, socket, head, (ws) => {
      sockets.add(ws);
      ws.on("close", () => {
        sockets.delete(ws);
        if (live === ws) live = undefined;
      });
      if (url.searchParams.get("encoding") !== "json" || url.searchParams.has("compress")) {
        // This fake speaks only uncompressed JSON; say so rather than send frames the client cannot read.
        ws.close(4002, "fake Discord speaks only encoding=json without compress");
        return;
      }
      ws.on("message", (raw) => {
        let payload: GatewayPayload;
        try {
          payload = JSON.parse(raw.toString()) as GatewayPayload;
        } catch {
          ws.close(4002, "Error while decoding payload.");
          return;
        }
        onGatewayPayload(ws, payload);
      });
      send(ws, { op: 10, d: { heartbeat_interval: heartbeatIntervalMs } });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const gatewayUrl = `ws://127.0.0.1:${port}`;

  function dmChannelId(userId: string): string {
    let id = dmChannels.get(userId);
    if (id === undefined) {
      id = snowflake();
      dmChannels.set(userId, id);
      channels.set(id, {
        id,
        type: ChannelKind.DM,
        last_message_id: null,
        recipients: [toUser({ id: userId, username: `user${userId}` })],
      });
    }
    return id;
  }

  const inbound = (
    target: DiscordChannel,
    author: FakeDiscordUser,
    content: string,
    extra: { mentionBot?: boolean; replyTo?: string },
  ): DiscordMessage => {
    const mentions = extra.mentionBot === true || content.includes(`<@${bot.id}>`) ? [bot] : [];
    const inGuild = target.guild_id !== undefined;
    const readable =
      !inGuild || mentions.length > 0 || ((gateway.intents ?? 0) & MESSAGE_CONTENT_INTENT) !== 0;
    const message: DiscordMessage = {
      id: snowflake(),
      channel_id: target.id,
      ...(target.guild_id === undefined ? {} : { guild_id: target.guild_id }),
      channel_type: target.type,
      author: toUser(author),
      ...(inGuild
        ? { member: { roles: [], joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0 } }
        : {}),
      content: readable ? content : "",
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions,
      mention_roles: [],
      attachments: [],
      embeds: [],
      pinned: false,
      type: extra.replyTo === undefined ? 0 : 19,
      flags: 0,
      ...(extra.replyTo === undefined
        ? {}
        : { message_reference: { message_id: extra.replyTo, channel_id: target.id } }),
    };
    dispatch("MESSAGE_CREATE", message);
    return message;
  };

  return {
    apiBase: `http://127.0.0.1:${port}/api`,
    gatewayUrl,
    token,
    bot,
    guild,
    channel,
    messages,
    typing,
    requests,
    gateway,
    dmChannelId,
    sendGuildMessage({ channelId = channel.id, author, content, mentionBot, replyTo }) {
      let target = channels.get(channelId);
      if (target === undefined) {
        target = textChannel(channelId, guild.id, `channel-${channelId}`, channels.size);
        channels.set(channelId, target);
        dispatch("CHANNEL_CREATE", target);
      }
      return inbound(target, author, content, {
        ...(mentionBot === undefined ? {} : { mentionBot }),
        ...(replyTo === undefined ? {} : { replyTo }),
      });
    },
    sendDirectMessage({ author, content }) {
      const target = channels.get(dmChannelId(author.id));
      if (target === undefined) throw new FakeDiscordServerError("UNKNOWN_CHANNEL", "DM channel vanished");
      return inbound(target, author, content, {});
    },
    sendThreadMessage({ threadId, parentId = channel.id, threadName, author, content, mentionBot }) {
      const id = threadId ?? snowflake();
      let target = channels.get(id);
      if (target === undefined) {
        if (!channels.has(parentId)) {
          throw new FakeDiscordServerError(
            "UNKNOWN_CHANNEL",
            `thread parent ${parentId} is not a channel of the fake guild: send a guild message to it first`,
          );
        }
        target = threadChannel(id, guild.id, parentId, threadName ?? `thread-${id}`, author.id);
        channels.set(id, target);
        dispatch("THREAD_CREATE", { ...target, newly_created: true });
      }
      return inbound(target, author, content, mentionBot === undefined ? {} : { mentionBot });
    },
    waitForMessages(predicate, { count = 1, timeoutMs = DEFAULT_WAIT_TIMEOUT_MS } = {}) {
      return waitFor(`${count} posted message(s)`, timeoutMs, () => {
        const matched = messages.filter(predicate);
        return matched.length >= count ? matched.slice(0, count) : undefined;
      });
    },
    waitForSession(kind, { timeoutMs = DEFAULT_WAIT_TIMEOUT_MS } = {}) {
      const seen = sessionEvents.filter((event) => event === kind).length;
      return waitFor(kind === "ready" ? "READY" : "RESUMED", timeoutMs, () =>
        sessionEvents.filter((event) => event === kind).length > seen ? true : undefined,
      ).then(() => undefined);
    },
    dropGateway(code = 4000) {
      live?.close(code, "fake Discord dropped the connection");
    },
    async close() {
      if (closed) return;
      closed = true;
      notify();
      for (const socket of sockets) socket.terminate();
      wss.close();
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await stopped;
    },
  };
}
