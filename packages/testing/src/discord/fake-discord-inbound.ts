import { randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";
import {
  type DiscordAttachment,
  type DiscordChannel,
  type DiscordMessage,
  type DiscordStickerFormat,
  type DiscordStickerItem,
  type FakeDiscordUser,
  IS_VOICE_MESSAGE_FLAG,
  snowflake,
  toUser,
} from "./discord-objects.js";
import type { FakeDiscordState } from "./fake-discord-state.js";
import { reply } from "./fake-discord-state.js";

/** `GatewayIntentBits.MessageContent`: without it Discord blanks the content of messages that do not mention the bot. */
const MESSAGE_CONTENT_INTENT = 1 << 15;

/** A file a test attaches to an injected message; the fake's CDN serves `data` at the attachment's `url`. */
export interface FakeDiscordAttachmentInput {
  data: Uint8Array;
  fileName: string;
  contentType?: string;
  /** Declared in the attachment's `size` instead of the real length (to test a size check before download). */
  declaredSize?: number;
  /** Makes it a voice message: the message gets the IS_VOICE_MESSAGE flag, the attachment a duration and waveform. */
  voice?: { durationSecs: number };
  width?: number;
  height?: number;
}

/** A sticker on an injected message; the CDN serves `data` at `/stickers/<id>.<png|json|gif>`. */
export interface FakeDiscordStickerInput {
  id?: string;
  name: string;
  /** Default 1 (PNG). */
  format?: DiscordStickerFormat;
  data: Uint8Array;
}

export interface FakeDiscordInboundExtras {
  mentionBot?: boolean;
  replyTo?: string;
  attachments?: FakeDiscordAttachmentInput[];
  stickers?: FakeDiscordStickerInput[];
}

const STICKER_EXTENSION: Record<DiscordStickerFormat, string> = { 1: "png", 2: "png", 3: "json", 4: "gif" };
const STICKER_TYPE: Record<DiscordStickerFormat, string> = {
  1: "image/png",
  2: "image/png",
  3: "application/json",
  4: "image/gif",
};

/** A signed-looking CDN query, as Discord adds to attachment URLs (expiry, issue time, HMAC). */
function signature(): string {
  const now = Math.floor(Date.now() / 1000);
  return `?ex=${(now + 86_400).toString(16)}&is=${now.toString(16)}&hm=${randomBytes(32).toString("hex")}`;
}

/** Stores `data` on the CDN and returns the attachment object that points at it. */
export function storeAttachment(
  state: FakeDiscordState,
  channelId: string,
  input: { data: Uint8Array; fileName: string; contentType?: string; declaredSize?: number },
): DiscordAttachment {
  const id = snowflake();
  const path = `/attachments/${channelId}/${id}/${encodeURIComponent(input.fileName)}`;
  const contentType = input.contentType ?? "application/octet-stream";
  state.blobs.set(path, { data: input.data, contentType });
  const url = `${state.origin}${path}${signature()}`;
  return {
    id,
    filename: input.fileName,
    size: input.declaredSize ?? input.data.byteLength,
    url,
    proxy_url: url,
    ...(input.contentType === undefined ? {} : { content_type: input.contentType }),
  };
}

function inboundAttachment(
  state: FakeDiscordState,
  channelId: string,
  input: FakeDiscordAttachmentInput,
): DiscordAttachment {
  const attachment = storeAttachment(state, channelId, input);
  return {
    ...attachment,
    ...(input.width === undefined ? {} : { width: input.width, height: input.height ?? input.width }),
    ...(input.voice === undefined
      ? {}
      : {
          duration_secs: input.voice.durationSecs,
          waveform: Buffer.from(
            randomBytes(Math.min(256, Math.ceil(input.voice.durationSecs * 10))),
          ).toString("base64"),
          flags: 0,
        }),
  };
}

function inboundSticker(state: FakeDiscordState, input: FakeDiscordStickerInput): DiscordStickerItem {
  const format = input.format ?? 1;
  const id = input.id ?? snowflake();
  state.blobs.set(`/stickers/${id}.${STICKER_EXTENSION[format]}`, {
    data: input.data,
    contentType: STICKER_TYPE[format],
  });
  return { id, name: input.name, format_type: format };
}

/** Builds and dispatches the MESSAGE_CREATE of a user's message, as Discord would deliver it to the bot. */
export function dispatchInbound(
  state: FakeDiscordState,
  target: DiscordChannel,
  author: FakeDiscordUser,
  content: string,
  extra: FakeDiscordInboundExtras,
): DiscordMessage {
  const { bot } = state;
  const mentions = extra.mentionBot === true || content.includes(`<@${bot.id}>`) ? [bot] : [];
  const inGuild = target.guild_id !== undefined;
  const readable = !inGuild || mentions.length > 0 || (state.gatewayIntents() & MESSAGE_CONTENT_INTENT) !== 0;
  const attachments = (extra.attachments ?? []).map((input) => inboundAttachment(state, target.id, input));
  const stickers = (extra.stickers ?? []).map((input) => inboundSticker(state, input));
  const voice = extra.attachments?.some((input) => input.voice !== undefined) === true;
  const message: DiscordMessage = {
    id: snowflake(),
    channel_id: target.id,
    ...(target.guild_id === undefined ? {} : { guild_id: target.guild_id }),
    channel_type: target.type,
    author: toUser(author),
    ...(inGuild
      ? { member: { roles: [], joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0 } }
      : {}),
    // Like content, attachments and stickers are blanked without the MessageContent intent.
    content: readable ? content : "",
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions,
    mention_roles: [],
    attachments: readable ? attachments : [],
    embeds: [],
    pinned: false,
    type: extra.replyTo === undefined ? 0 : 19,
    flags: voice ? IS_VOICE_MESSAGE_FLAG : 0,
    ...(extra.replyTo === undefined
      ? {}
      : { message_reference: { message_id: extra.replyTo, channel_id: target.id } }),
    ...(stickers.length === 0 || !readable ? {} : { sticker_items: stickers }),
  };
  state.known.set(message.id, message);
  state.dispatch("MESSAGE_CREATE", message);
  return message;
}

export interface FakeDiscordReactionInput {
  channelId: string;
  messageId: string;
  user: FakeDiscordUser;
  /** A unicode emoji, or `{ name, id }` for a custom one. */
  emoji: string | { name: string; id: string; animated?: boolean };
  removed?: boolean;
}

/** Dispatches MESSAGE_REACTION_ADD / _REMOVE with Discord's fields (member only in guilds, author on add). */
export function dispatchReaction(state: FakeDiscordState, input: FakeDiscordReactionInput): void {
  const target = state.channels.get(input.channelId);
  const guildId = target?.guild_id;
  const emoji =
    typeof input.emoji === "string"
      ? { id: null, name: input.emoji }
      : { id: input.emoji.id, name: input.emoji.name, ...(input.emoji.animated ? { animated: true } : {}) };
  const authorId = state.known.get(input.messageId)?.author.id;
  const base = {
    user_id: input.user.id,
    channel_id: input.channelId,
    message_id: input.messageId,
    ...(guildId === undefined ? {} : { guild_id: guildId }),
    emoji,
    burst: false,
    type: 0,
  };
  if (input.removed === true) {
    state.dispatch("MESSAGE_REACTION_REMOVE", base);
    return;
  }
  state.dispatch("MESSAGE_REACTION_ADD", {
    ...base,
    ...(guildId === undefined
      ? {}
      : {
          member: {
            user: toUser(input.user),
            roles: [],
            joined_at: new Date().toISOString(),
            deaf: false,
            mute: false,
            flags: 0,
          },
        }),
    ...(authorId === undefined ? {} : { message_author_id: authorId }),
    burst_colors: [],
  });
}

/** Serves `GET` on a CDN path (query ignored, as the signature is not checked); undefined when not a CDN path. */
export function serveCdn(
  state: FakeDiscordState,
  path: string,
  response: ServerResponse,
): number | undefined {
  if (!path.startsWith("/attachments/") && !path.startsWith("/stickers/")) return undefined;
  const blob = state.blobs.get(path);
  if (blob === undefined) return reply(response, 404, { message: "404: Not Found", code: 0 });
  response
    .writeHead(200, { "content-type": blob.contentType, "content-length": String(blob.data.byteLength) })
    .end(Buffer.from(blob.data));
  return 200;
}
