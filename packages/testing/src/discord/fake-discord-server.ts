import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
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
import { createFakeDiscordGateway, type FakeDiscordGatewayStats } from "./fake-discord-gateway.js";
import {
  dispatchInbound,
  dispatchReaction,
  type FakeDiscordInboundExtras,
  type FakeDiscordReactionInput,
  serveCdn,
} from "./fake-discord-inbound.js";
import {
  dispatchInteraction,
  type FakeDiscordInteractionInput,
  routeInteractions,
} from "./fake-discord-interactions.js";
import { routeMessages } from "./fake-discord-messages.js";
import { FakeDiscordServerError } from "./fake-discord-server-error.js";
import {
  createFakeDiscordState,
  type FakeDiscordBotReaction,
  type FakeDiscordCommandRegistration,
  type FakeDiscordInteractionResponse,
  type FakeDiscordRequest,
  type FakeDiscordSentMessage,
  type FakeDiscordState,
  parseJson,
  readBody,
  reply,
} from "./fake-discord-state.js";

const API_PREFIX = "/api/v10";
/** Discord's upload limit for a bot in a guild without boosts, per request. */
const DEFAULT_MAX_UPLOAD_BYTES = 25 * 1024 * 1024;

export interface FakeDiscordServerOptions {
  /** The only token accepted (REST `Authorization: Bot <token>` and gateway IDENTIFY); default a fixed fake. */
  token?: string;
  /** Sent in HELLO; discord.js heartbeats at this interval (the first one after a random share of it). */
  heartbeatIntervalMs?: number;
  bot?: Partial<FakeDiscordUser>;
  /** Answers IDENTIFY by closing the socket with this code, e.g. 4014 (disallowed intents) or 4004. */
  closeOnIdentify?: number;
  /** Largest upload per message; bigger ones get 413 code 40005, as on Discord. Default 25 MiB. */
  maxUploadBytes?: number;
  /** Answers `PUT /applications/:app/commands` with this status (the call is still recorded). */
  commandRegistrationStatus?: number;
}

export interface FakeDiscordGuildMessage extends FakeDiscordInboundExtras {
  /** Default: the test guild's text channel; an unknown id becomes a new text channel (CHANNEL_CREATE first). */
  channelId?: string;
  author: FakeDiscordUser;
  content: string;
}

export interface FakeDiscordDirectMessage extends Omit<FakeDiscordInboundExtras, "mentionBot"> {
  author: FakeDiscordUser;
  content: string;
}

export interface FakeDiscordThreadMessage extends Omit<FakeDiscordInboundExtras, "replyTo"> {
  /** Default: a thread created on first use (THREAD_CREATE first). */
  threadId?: string;
  /** The thread's parent; default the test guild's text channel. */
  parentId?: string;
  threadName?: string;
  author: FakeDiscordUser;
  content: string;
}

export interface FakeDiscordServer {
  /** `http://127.0.0.1:<port>/api`: discord.js takes it as `new Client({ rest: { api } })`. */
  readonly apiBase: string;
  /** `http://127.0.0.1:<port>`: attachment and sticker URLs point here (discord.js `rest.cdn`). */
  readonly cdnBase: string;
  /** `ws://127.0.0.1:<port>`, what `GET /gateway/bot` returns. */
  readonly gatewayUrl: string;
  readonly token: string;
  readonly bot: DiscordUser;
  readonly guild: { id: string; name: string };
  /** The test guild's text channel, `#general`. */
  readonly channel: DiscordChannel;
  /** Messages the bot posted, in order, with their uploaded files, edits and deletion. */
  readonly messages: FakeDiscordSentMessage[];
  /** `POST /channels/:id/typing` calls, in order. */
  readonly typing: { channelId: string; at: number }[];
  /** The bot's own reactions (`PUT`/`DELETE .../reactions/:emoji/@me`), in order. */
  readonly reactions: FakeDiscordBotReaction[];
  /** Bulk overwrites of the application's global commands, in order. */
  readonly commandRegistrations: FakeDiscordCommandRegistration[];
  /** Interaction callbacks and webhook follow-ups, in order. */
  readonly interactionResponses: FakeDiscordInteractionResponse[];
  /** Every REST and CDN request, unknown routes (answered 404) included. */
  readonly requests: FakeDiscordRequest[];
  /** Gateway sessions: IDENTIFY count, RESUME count, heartbeats acknowledged, the last IDENTIFY's intents. */
  readonly gateway: FakeDiscordGatewayStats;
  /** The DM channel id Discord keeps for the bot and `userId` (stable per user). */
  dmChannelId(userId: string): string;
  sendGuildMessage(message: FakeDiscordGuildMessage): DiscordMessage;
  sendDirectMessage(message: FakeDiscordDirectMessage): DiscordMessage;
  sendThreadMessage(message: FakeDiscordThreadMessage): DiscordMessage;
  /** Dispatches MESSAGE_REACTION_ADD (or _REMOVE with `removed`) from `user` on a message. */
  sendReaction(reaction: FakeDiscordReactionInput): void;
  /** Dispatches INTERACTION_CREATE for a chat-input command; the callback must answer it. */
  sendInteraction(interaction: FakeDiscordInteractionInput): { id: string; token: string; channelId: string };
  /** The next `method` request whose path matches gets 429 with `retry_after` (Discord's headers and body). */
  rateLimitNext(fault: { method: string; path: RegExp; retryAfterMs?: number }): void;
  /** Resolves with the first `count` posted messages matching `predicate` (already posted ones count). */
  waitForMessages(
    predicate: (message: FakeDiscordSentMessage) => boolean,
    options?: { count?: number; timeoutMs?: number },
  ): Promise<FakeDiscordSentMessage[]>;
  /** Resolves with `poll()`'s first defined value, re-checked whenever the fake records something. */
  waitFor<T>(describe: string, poll: () => T | undefined, options?: { timeoutMs?: number }): Promise<T>;
  /** Resolves on the next READY (after IDENTIFY) or RESUMED (after RESUME) the fake sends. */
  waitForSession(kind: "ready" | "resumed", options?: { timeoutMs?: number }): Promise<void>;
  /** Closes the open gateway socket with `code` (default 4000, unknown error: the client resumes). */
  dropGateway(code?: number): void;
  close(): Promise<void>;
}

/** Answers with 429 when a queued rate-limit fault matches; returns undefined otherwise. */
function rateLimited(state: FakeDiscordState, method: string, path: string, response: ServerResponse) {
  const index = state.rateLimits.findIndex((fault) => fault.method === method && fault.path.test(path));
  const fault = state.rateLimits[index];
  if (fault === undefined) return undefined;
  state.rateLimits.splice(index, 1);
  const seconds = fault.retryAfterMs / 1000;
  response
    .writeHead(429, {
      "content-type": "application/json",
      "retry-after": String(seconds),
      "x-ratelimit-limit": "5",
      "x-ratelimit-remaining": "0",
      "x-ratelimit-reset-after": String(seconds),
      "x-ratelimit-bucket": "fakebucket",
      "x-ratelimit-scope": "user",
    })
    .end(JSON.stringify({ message: "You are being rate limited.", retry_after: seconds, global: false }));
  return 429;
}

/**
 * Starts a loopback Discord: the REST routes a bot uses under `/api/v10`, a CDN for attachments and stickers, and
 * a JSON-encoded gateway WebSocket (HELLO, IDENTIFY/READY, GUILD_CREATE, heartbeat ACK, RESUME/RESUMED with
 * replay, message, reaction and interaction dispatches), enough for an unmodified discord.js Client.
 */
export async function startFakeDiscordServer(
  options: FakeDiscordServerOptions = {},
): Promise<FakeDiscordServer> {
  const bot = toUser({
    id: options.bot?.id ?? "1100000000000000001",
    username: options.bot?.username ?? "openclaw",
    bot: true,
    ...(options.bot?.globalName === undefined ? {} : { globalName: options.bot.globalName }),
  });
  const guild = { id: "1200000000000000001", name: "Test Guild" };
  const state = createFakeDiscordState({
    token: options.token ?? "fake-discord-token.MTIz.abc",
    bot,
    guild,
    channel: textChannel("1300000000000000001", guild.id, "general"),
    maxUploadBytes: options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES,
  });
  const { channels, channel } = state;
  let gatewayUrl = "";
  const gateway = createFakeDiscordGateway(state, {
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
    ...(options.closeOnIdentify === undefined ? {} : { closeOnIdentify: options.closeOnIdentify }),
    gatewayUrl: () => gatewayUrl,
  });

  const route = async (request: IncomingMessage, response: ServerResponse, path: string): Promise<number> => {
    const method = request.method ?? "GET";
    if (method === "GET") {
      const cdn = serveCdn(state, path, response);
      if (cdn !== undefined) return cdn;
    }
    const limited = rateLimited(state, method, path, response);
    if (limited !== undefined) return limited;
    const tokenless = path.startsWith("/interactions/") || path.startsWith("/webhooks/");
    if (!tokenless && request.headers.authorization !== `Bot ${state.token}`) {
      return reply(response, 401, { message: "401: Unauthorized", code: 0 });
    }
    if (method === "GET" && (path === "/gateway/bot" || path === "/gateway")) {
      return reply(response, 200, {
        url: gatewayUrl,
        shards: 1,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 86_400_000, max_concurrency: 1 },
      });
    }
    if (method === "GET" && path === "/users/@me") return reply(response, 200, bot);
    if (method === "POST" && path === "/users/@me/channels") {
      const body = parseJson((await readBody(request, 64 * 1024)) ?? Buffer.alloc(0));
      const recipient = String(body.recipient_id ?? "");
      return reply(response, 200, {
        id: dmChannelId(recipient),
        type: ChannelKind.DM,
        last_message_id: null,
        recipients: [toUser({ id: recipient, username: `user${recipient}` })],
      });
    }
    const interactions = await routeInteractions(state, request, response, path, {
      ...(options.commandRegistrationStatus === undefined
        ? {}
        : { commandRegistrationStatus: options.commandRegistrationStatus }),
    });
    if (interactions !== undefined) return interactions;
    const channelRoute = /^\/channels\/([^/]+)(\/.*)?$/.exec(path);
    const channelId = channelRoute?.[1];
    if (channelRoute !== null && channelId !== undefined) {
      const known = channels.get(channelId);
      if (known === undefined) return reply(response, 404, { message: "Unknown Channel", code: 10003 });
      const sub = channelRoute[2];
      if (method === "GET" && sub === undefined) return reply(response, 200, known);
      if (method === "POST" && sub === "/typing") {
        state.typing.push({ channelId, at: Date.now() });
        reply(response, 204);
        state.notify();
        return 204;
      }
      if (sub !== undefined) {
        const handled = await routeMessages(state, request, response, channelId, sub);
        if (handled !== undefined) return handled;
      }
    }
    return reply(response, 404, {
      message: `404: Not Found (fake Discord has no route ${method} ${path})`,
      code: 0,
    });
  };

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const path = url.pathname.startsWith(API_PREFIX) ? url.pathname.slice(API_PREFIX.length) : url.pathname;
    route(request, response, path).then(
      (status) => {
        state.requests.push({ method: request.method ?? "GET", path, status });
        if (status === 404 && !/^\/(channels|attachments|stickers)\//.test(path)) {
          console.warn(`fake Discord: unknown route ${request.method} ${url.pathname} (answered 404)`);
        }
      },
      (error: unknown) => {
        if (!response.headersSent) reply(response, 500, { message: String(error), code: 0 });
      },
    );
  });
  server.on("upgrade", (request, socket, head) => gateway.handleUpgrade(request, socket, head));

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  gatewayUrl = `ws://127.0.0.1:${port}`;
  state.origin = `http://127.0.0.1:${port}`;

  function dmChannelId(userId: string): string {
    let id = state.dmChannels.get(userId);
    if (id === undefined) {
      id = snowflake();
      state.dmChannels.set(userId, id);
      channels.set(id, {
        id,
        type: ChannelKind.DM,
        last_message_id: null,
        recipients: [toUser({ id: userId, username: `user${userId}` })],
      });
    }
    return id;
  }

  return {
    apiBase: `${state.origin}/api`,
    cdnBase: state.origin,
    gatewayUrl,
    token: state.token,
    bot,
    guild,
    channel,
    messages: state.messages,
    typing: state.typing,
    reactions: state.reactions,
    commandRegistrations: state.commandRegistrations,
    interactionResponses: state.interactionResponses,
    requests: state.requests,
    gateway: gateway.stats,
    dmChannelId,
    sendGuildMessage({ channelId = channel.id, author, content, ...extra }) {
      let target = channels.get(channelId);
      if (target === undefined) {
        target = textChannel(channelId, guild.id, `channel-${channelId}`, channels.size);
        channels.set(channelId, target);
        state.dispatch("CHANNEL_CREATE", target);
      }
      return dispatchInbound(state, target, author, content, extra);
    },
    sendDirectMessage({ author, content, ...extra }) {
      const target = channels.get(dmChannelId(author.id));
      if (target === undefined) throw new FakeDiscordServerError("UNKNOWN_CHANNEL", "DM channel vanished");
      return dispatchInbound(state, target, author, content, extra);
    },
    sendThreadMessage({ threadId, parentId = channel.id, threadName, author, content, ...extra }) {
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
        state.dispatch("THREAD_CREATE", { ...target, newly_created: true });
      }
      return dispatchInbound(state, target, author, content, extra);
    },
    sendReaction(reaction) {
      dispatchReaction(state, reaction);
    },
    sendInteraction(interaction) {
      return dispatchInteraction(state, interaction, dmChannelId);
    },
    rateLimitNext({ method, path, retryAfterMs = 50 }) {
      state.rateLimits.push({ method, path, retryAfterMs });
    },
    waitForMessages(predicate, { count = 1, timeoutMs = DEFAULT_WAIT_TIMEOUT_MS } = {}) {
      return state.waitFor(`${count} posted message(s)`, timeoutMs, () => {
        const matched = state.messages.filter(predicate);
        return matched.length >= count ? matched.slice(0, count) : undefined;
      });
    },
    waitFor(describe, poll, { timeoutMs = DEFAULT_WAIT_TIMEOUT_MS } = {}) {
      return state.waitFor(describe, timeoutMs, poll);
    },
    waitForSession(kind, { timeoutMs = DEFAULT_WAIT_TIMEOUT_MS } = {}) {
      const count = () => gateway.sessionEvents.filter((event) => event === kind).length;
      const seen = count();
      return state
        .waitFor(kind === "ready" ? "READY" : "RESUMED", timeoutMs, () => (count() > seen ? true : undefined))
        .then(() => undefined);
    },
    dropGateway(code = 4000) {
      gateway.drop(code);
    },
    async close() {
      if (state.closed) return;
      state.closed = true;
      state.notify();
      gateway.close();
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await stopped;
    },
  };
}
