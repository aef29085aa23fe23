import type { IncomingMessage, ServerResponse } from "node:http";
import type { DiscordChannel, DiscordMessage, DiscordUser } from "./discord-objects.js";
import { FakeDiscordServerError } from "./fake-discord-server-error.js";

/** One file the bot uploaded with a message (multipart `files[n]`). */
export interface FakeDiscordUploadedFile {
  name: string;
  contentType?: string;
  data: Uint8Array;
}

/** One message the bot posted through `POST /channels/:id/messages`; edits and deletion are tracked on it. */
export interface FakeDiscordSentMessage {
  channelId: string;
  /** The content as posted; the latest text after edits is the last entry of `edits`, if any. */
  content: string;
  messageId: string;
  /** `message_reference.message_id`, when the bot replied to a message. */
  replyTo?: string;
  /** Files uploaded with the message (multipart), in order. */
  files: FakeDiscordUploadedFile[];
  body: Record<string, unknown>;
  at: number;
  /** Each `PATCH /channels/:id/messages/:id`, oldest first. */
  edits: { content: string; at: number }[];
  /** Set by `DELETE /channels/:id/messages/:id`. */
  deletedAt?: number;
}

export interface FakeDiscordRequest {
  method: string;
  /** Without the `/api/v10` prefix, e.g. `/channels/123/messages`; CDN paths as requested. */
  path: string;
  status: number;
}

/** A reaction the bot put on or took off through `PUT`/`DELETE .../reactions/:emoji/@me`. */
export interface FakeDiscordBotReaction {
  channelId: string;
  messageId: string;
  /** Decoded: a unicode emoji, or `name:id` for a custom one. */
  emoji: string;
  action: "add" | "remove";
  at: number;
}

/** One bulk overwrite `PUT /applications/:app/commands`. */
export interface FakeDiscordCommandRegistration {
  applicationId: string;
  commands: Record<string, unknown>[];
  status: number;
  at: number;
}

/** A call to the interaction callback, or a follow-up/edit on its webhook. */
export interface FakeDiscordInteractionResponse {
  interactionId?: string;
  token: string;
  /** `callback` for `POST /interactions/:id/:token/callback`, else the webhook call. */
  kind: "callback" | "followup" | "edit-original";
  /** The callback type (4 reply, 5 deferred reply, ...), for `callback`. */
  type?: number;
  data: Record<string, unknown>;
  at: number;
}

/** A fault the next matching REST request meets. */
export interface FakeDiscordRateLimit {
  method: string;
  path: RegExp;
  retryAfterMs: number;
}

/** The mutable world every part of the fake reads and writes. */
export interface FakeDiscordState {
  readonly token: string;
  readonly bot: DiscordUser;
  readonly guild: { id: string; name: string };
  readonly channel: DiscordChannel;
  readonly channels: Map<string, DiscordChannel>;
  readonly dmChannels: Map<string, string>;
  readonly messages: FakeDiscordSentMessage[];
  /** Every message the fake knows (inbound and the bot's), by id: PATCH/DELETE and reactions look here. */
  readonly known: Map<string, DiscordMessage>;
  readonly typing: { channelId: string; at: number }[];
  readonly requests: FakeDiscordRequest[];
  readonly reactions: FakeDiscordBotReaction[];
  readonly commandRegistrations: FakeDiscordCommandRegistration[];
  readonly interactionResponses: FakeDiscordInteractionResponse[];
  /** Interaction tokens the fake issued, by token: the callback and webhooks accept only these. */
  readonly interactions: Map<string, { id: string; channelId: string; responded: boolean }>;
  readonly rateLimits: FakeDiscordRateLimit[];
  /** Bytes the CDN serves, by path (`/attachments/...`, `/stickers/...`). */
  readonly blobs: Map<string, { data: Uint8Array; contentType: string }>;
  readonly maxUploadBytes: number;
  /** Set once the server listens: `http://127.0.0.1:<port>`. */
  origin: string;
  closed: boolean;
  /** Sends a gateway dispatch (MESSAGE_CREATE, ...) on the current session; set by the gateway part. */
  dispatch(t: string, d: unknown): void;
  /** The latest MessageContent intent state; set by the gateway part. */
  gatewayIntents(): number;
  notify(): void;
  waitFor<T>(describe: string, timeoutMs: number, poll: () => T | undefined): Promise<T>;
}

export function createFakeDiscordState(init: {
  token: string;
  bot: DiscordUser;
  guild: { id: string; name: string };
  channel: DiscordChannel;
  maxUploadBytes: number;
}): FakeDiscordState {
  const waiters = new Set<{ check(): boolean }>();
  const state: FakeDiscordState = {
    ...init,
    channels: new Map([[init.channel.id, init.channel]]),
    dmChannels: new Map(),
    messages: [],
    known: new Map(),
    typing: [],
    requests: [],
    reactions: [],
    commandRegistrations: [],
    interactionResponses: [],
    interactions: new Map(),
    rateLimits: [],
    blobs: new Map(),
    origin: "",
    closed: false,
    dispatch: () => undefined,
    gatewayIntents: () => 0,
    notify() {
      for (const waiter of waiters) if (waiter.check()) waiters.delete(waiter);
    },
    waitFor: (describe, timeoutMs, poll) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(
            new FakeDiscordServerError("WAIT_TIMEOUT", `fake Discord waited ${timeoutMs} ms for ${describe}`),
          );
        }, timeoutMs);
        const waiter = {
          check() {
            if (state.closed) {
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
      }),
  };
  return state;
}

export function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" ? (value as Record<string, unknown>) : {};
}

/** Reads a request body, answering 413 past `limit` (returns undefined then). */
export async function readBody(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of request) {
    total += (chunk as Buffer).byteLength;
    if (total > limit) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function parseJson(body: Buffer): Record<string, unknown> {
  if (body.byteLength === 0) return {};
  try {
    return record(JSON.parse(body.toString("utf8")));
  } catch {
    return {};
  }
}

export function reply(response: ServerResponse, status: number, body?: unknown): number {
  if (body === undefined) {
    response.writeHead(status).end();
    return status;
  }
  response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  return status;
}

/** Discord's answer to an unknown resource, e.g. `unknown(response, "Message", 10008)`. */
export function unknown(response: ServerResponse, what: string, code: number): number {
  return reply(response, 404, { message: `Unknown ${what}`, code });
}
