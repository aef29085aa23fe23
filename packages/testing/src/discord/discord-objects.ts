/** Discord's epoch (2015-01-01T00:00:00Z); snowflakes count milliseconds from it in their top 42 bits. */
const DISCORD_EPOCH = 1_420_070_400_000n;

let increment = 0n;

/**
 * A snowflake for "now": discord.js derives `createdTimestamp` from the id, so ids must carry a real time for
 * inbound timestamps to be right.
 */
export function snowflake(at: number = Date.now()): string {
  increment = (increment + 1n) & 0xfffn;
  return (((BigInt(at) - DISCORD_EPOCH) << 22n) | increment).toString();
}

/** A user as Discord serialises it (the fields discord.js reads). */
export interface DiscordUser {
  id: string;
  username: string;
  global_name: string | null;
  discriminator: string;
  avatar: string | null;
  bot?: boolean;
}

/** What a test gives for a message author; the rest is filled in. */
export interface FakeDiscordUser {
  id: string;
  username: string;
  globalName?: string;
  bot?: boolean;
}

export function toUser(user: FakeDiscordUser): DiscordUser {
  return {
    id: user.id,
    username: user.username,
    global_name: user.globalName ?? null,
    discriminator: "0",
    avatar: null,
    ...(user.bot === undefined ? {} : { bot: user.bot }),
  };
}

/** Discord's channel types this fake produces (`ChannelType` in discord-api-types). */
export const ChannelKind = { GuildText: 0, DM: 1, PublicThread: 11 } as const;

export interface DiscordChannel {
  id: string;
  type: number;
  name?: string;
  guild_id?: string;
  parent_id?: string | null;
  position?: number;
  permission_overwrites?: unknown[];
  recipients?: DiscordUser[];
  last_message_id?: string | null;
  thread_metadata?: {
    archived: boolean;
    auto_archive_duration: number;
    archive_timestamp: string;
    locked: boolean;
  };
  owner_id?: string;
  member_count?: number;
  message_count?: number;
}

/** A MESSAGE_CREATE payload: a message object plus the gateway-only `guild_id`, `member` and `channel_type`. */
export interface DiscordMessage {
  id: string;
  channel_id: string;
  guild_id?: string;
  channel_type: number;
  author: DiscordUser;
  member?: { roles: string[]; joined_at: string; deaf: boolean; mute: boolean; flags: number };
  content: string;
  timestamp: string;
  edited_timestamp: string | null;
  tts: boolean;
  mention_everyone: boolean;
  mentions: DiscordUser[];
  mention_roles: string[];
  attachments: DiscordAttachment[];
  embeds: unknown[];
  pinned: boolean;
  type: number;
  flags: number;
  message_reference?: { message_id: string; channel_id: string; guild_id?: string };
  sticker_items?: DiscordStickerItem[];
}

/** An attachment object as Discord serialises it; `url` points at the fake's CDN. */
export interface DiscordAttachment {
  id: string;
  filename: string;
  size: number;
  url: string;
  proxy_url: string;
  content_type?: string;
  width?: number;
  height?: number;
  /** Voice messages only: the length in seconds and a base64 waveform of up to 256 bytes. */
  duration_secs?: number;
  waveform?: string;
  flags?: number;
}

/** `StickerFormatType`: 1 PNG, 2 APNG, 3 LOTTIE (JSON), 4 GIF. */
export type DiscordStickerFormat = 1 | 2 | 3 | 4;

export interface DiscordStickerItem {
  id: string;
  name: string;
  format_type: DiscordStickerFormat;
}

/** `MessageFlags.IsVoiceMessage`: the client shows the attachment as a voice message with its waveform. */
export const IS_VOICE_MESSAGE_FLAG = 1 << 13;

export function textChannel(id: string, guildId: string, name: string, position = 0): DiscordChannel {
  return { id, type: ChannelKind.GuildText, guild_id: guildId, name, position, permission_overwrites: [] };
}

export function threadChannel(
  id: string,
  guildId: string,
  parentId: string,
  name: string,
  ownerId: string,
): DiscordChannel {
  return {
    id,
    type: ChannelKind.PublicThread,
    guild_id: guildId,
    parent_id: parentId,
    name,
    owner_id: ownerId,
    member_count: 1,
    message_count: 0,
    thread_metadata: {
      archived: false,
      auto_archive_duration: 1440,
      archive_timestamp: new Date().toISOString(),
      locked: false,
    },
  };
}
