import type { IncomingMessage, ServerResponse } from "node:http";
import { ChannelKind, type DiscordAttachment, type DiscordMessage, snowflake } from "./discord-objects.js";
import { storeAttachment } from "./fake-discord-inbound.js";
import {
  type FakeDiscordState,
  type FakeDiscordUploadedFile,
  parseJson,
  readBody,
  record,
  reply,
  unknown,
} from "./fake-discord-state.js";

const MAX_CONTENT_LENGTH = 2000;

function tooLong(response: ServerResponse): number {
  return reply(response, 400, {
    message: "Invalid Form Body",
    code: 50035,
    errors: {
      content: { _errors: [{ code: "BASE_TYPE_MAX_LENGTH", message: "Must be 2000 or fewer in length." }] },
    },
  });
}

/** A message create/edit body: JSON, or multipart with `payload_json` and `files[n]` parts (as discord.js sends). */
async function readMessageBody(
  state: FakeDiscordState,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<{ body: Record<string, unknown>; files: FakeDiscordUploadedFile[] } | number> {
  // Room for the JSON part and multipart framing around a file at the limit.
  const raw = await readBody(request, state.maxUploadBytes + 1024 * 1024);
  const contentType = request.headers["content-type"] ?? "";
  if (raw === undefined) return reply(response, 413, { message: "Request entity too large", code: 40005 });
  if (!contentType.startsWith("multipart/form-data")) return { body: parseJson(raw), files: [] };
  const form = await new Response(raw, { headers: { "content-type": contentType } }).formData();
  const files: FakeDiscordUploadedFile[] = [];
  for (const [key, value] of form.entries()) {
    if (!/^files\[\d+\]$/.test(key) || typeof value === "string") continue;
    files.push({
      name: value.name,
      ...(value.type === "" ? {} : { contentType: value.type }),
      data: new Uint8Array(await value.arrayBuffer()),
    });
  }
  const payload = form.get("payload_json");
  const body = typeof payload === "string" ? parseJson(Buffer.from(payload)) : {};
  const total = files.reduce((sum, file) => sum + file.data.byteLength, 0);
  if (total > state.maxUploadBytes)
    return reply(response, 413, { message: "Request entity too large", code: 40005 });
  return { body, files };
}

function botMessage(
  state: FakeDiscordState,
  channelId: string,
  content: string,
  attachments: DiscordAttachment[],
  replyTo?: string,
): DiscordMessage {
  const target = state.channels.get(channelId);
  const guildId = target?.guild_id;
  return {
    id: snowflake(),
    channel_id: channelId,
    ...(guildId === undefined ? {} : { guild_id: guildId }),
    channel_type: target?.type ?? ChannelKind.GuildText,
    author: state.bot,
    content,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments,
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
}

async function createMessage(
  state: FakeDiscordState,
  request: IncomingMessage,
  response: ServerResponse,
  channelId: string,
): Promise<number> {
  const read = await readMessageBody(state, request, response);
  if (typeof read === "number") return read;
  const { body, files } = read;
  const content = typeof body.content === "string" ? body.content : "";
  if (content.length > MAX_CONTENT_LENGTH) return tooLong(response);
  if (content === "" && files.length === 0 && !Array.isArray(body.sticker_ids)) {
    return reply(response, 400, { message: "Cannot send an empty message", code: 50006 });
  }
  const reference = record(body.message_reference);
  const replyTo = typeof reference.message_id === "string" ? reference.message_id : undefined;
  const attachments = files.map((file) =>
    storeAttachment(state, channelId, {
      data: file.data,
      fileName: file.name,
      ...(file.contentType === undefined ? {} : { contentType: file.contentType }),
    }),
  );
  const message = botMessage(state, channelId, content, attachments, replyTo);
  state.known.set(message.id, message);
  state.messages.push({
    channelId,
    content,
    messageId: message.id,
    ...(replyTo === undefined ? {} : { replyTo }),
    files,
    body,
    at: Date.now(),
    edits: [],
  });
  reply(response, 200, message);
  // Discord echoes the bot's own messages over the gateway; adapters must ignore them.
  state.dispatch("MESSAGE_CREATE", message);
  state.notify();
  return 200;
}

/**
 * `/channels/:id/messages[/:id[/reactions/:emoji/@me]]` for a known channel: create (JSON or multipart), edit,
 * delete, and the bot's own reactions. Returns undefined for a path it does not serve.
 */
export async function routeMessages(
  state: FakeDiscordState,
  request: IncomingMessage,
  response: ServerResponse,
  channelId: string,
  sub: string,
): Promise<number | undefined> {
  const method = request.method ?? "GET";
  if (sub === "/messages" && method === "POST") return createMessage(state, request, response, channelId);
  const match = /^\/messages\/([^/]+)(?:\/reactions\/([^/]+)\/@me)?$/.exec(sub);
  const messageId = match?.[1];
  if (match === null || messageId === undefined) return undefined;
  const stored = state.known.get(messageId);
  if (stored === undefined || stored.channel_id !== channelId) return unknown(response, "Message", 10008);
  const sent = state.messages.find((message) => message.messageId === messageId);
  const encodedEmoji = match[2];
  if (encodedEmoji !== undefined) {
    if (method !== "PUT" && method !== "DELETE") return undefined;
    const emoji = decodeURIComponent(encodedEmoji);
    state.reactions.push({
      channelId,
      messageId,
      emoji,
      action: method === "PUT" ? "add" : "remove",
      at: Date.now(),
    });
    state.notify();
    return reply(response, 204);
  }
  if (method === "GET") return reply(response, 200, stored);
  const ownMessage = stored.author.id === state.bot.id;
  if (method === "PATCH") {
    if (!ownMessage)
      return reply(response, 403, { message: "Cannot edit a message authored by another user", code: 50005 });
    const read = await readMessageBody(state, request, response);
    if (typeof read === "number") return read;
    const content = typeof read.body.content === "string" ? read.body.content : stored.content;
    if (content.length > MAX_CONTENT_LENGTH) return tooLong(response);
    const edited: DiscordMessage = { ...stored, content, edited_timestamp: new Date().toISOString() };
    state.known.set(messageId, edited);
    sent?.edits.push({ content, at: Date.now() });
    reply(response, 200, edited);
    state.dispatch("MESSAGE_UPDATE", edited);
    state.notify();
    return 200;
  }
  if (method === "DELETE") {
    if (!ownMessage) return reply(response, 403, { message: "Missing Permissions", code: 50013 });
    state.known.delete(messageId);
    if (sent !== undefined) sent.deletedAt = Date.now();
    reply(response, 204);
    state.dispatch("MESSAGE_DELETE", {
      id: messageId,
      channel_id: channelId,
      ...(stored.guild_id === undefined ? {} : { guild_id: stored.guild_id }),
    });
    state.notify();
    return 204;
  }
  return undefined;
}
