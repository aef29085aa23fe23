import type { InboundMessage } from "@openclaw/plugin-sdk";

const WILDCARD = "*";

/**
 * A group's rule as OpenClaw's per-platform maps give it: Slack's `channels.slack.channels.<id|#name>` and Discord's
 * `channels.discord.guilds.<guildId>[.channels.<id|name>]`. These platforms have no `groupAllowFrom`; who may
 * trigger the bot in a room is the room's `users` list or, on Discord, `roles` (a sender matching either is
 * admitted; neither set: everyone in the room).
 */
export interface PlatformGroupRule {
  /** The matched map entry (the guild's when only the guild matched). */
  entry: Record<string, unknown>;
  enabled?: unknown;
  requireMention?: unknown;
  users?: unknown;
  roles?: unknown;
}

/** The rule from the channel's platform map, or undefined when the channel has none or nothing in it matches. */
export function platformGroupRule(
  message: InboundMessage,
  config: Record<string, unknown>,
): PlatformGroupRule | undefined {
  switch (message.channel.toLowerCase()) {
    case "slack":
      return slackChannelRule(message, config);
    case "discord":
      return discordGuildRule(message, config);
    default:
      return undefined;
  }
}

/**
 * The key of the platform map the account configures (`channels` on Slack, `guilds` on Discord), if any: when set,
 * it is the group allowlist in place of `groups`.
 */
export function platformGroupMapKey(
  channel: string,
  config: Record<string, unknown>,
): "channels" | "guilds" | undefined {
  const key = PLATFORM_MAP_KEYS[channel.toLowerCase()];
  return key !== undefined && asRecord(config[key]) !== undefined ? key : undefined;
}

const PLATFORM_MAP_KEYS: Readonly<Record<string, "channels" | "guilds">> = {
  slack: "channels",
  discord: "guilds",
};

/**
 * `channels.slack.channels`: keyed by channel id (`C0123`), `#name` or `name` (matched against the channel name the
 * adapter looked up, so an unknown name never matches), or `"*"`. `allow` is OpenClaw's older spelling of `enabled`.
 */
function slackChannelRule(
  message: InboundMessage,
  config: Record<string, unknown>,
): PlatformGroupRule | undefined {
  const entry = roomEntry(asRecord(config.channels), message);
  return entry === undefined ? undefined : roomRule(entry);
}

/**
 * `channels.discord.guilds.<guildId|*>`: the guild's `requireMention` and `users`, overridden by its
 * `channels.<channelId|name|*>` entry. When a guild lists `channels`, a channel not in it is not allowed.
 */
function discordGuildRule(
  message: InboundMessage,
  config: Record<string, unknown>,
): PlatformGroupRule | undefined {
  const guilds = asRecord(config.guilds);
  const guildId = message.guildId;
  const guild =
    (guildId === undefined ? undefined : asRecord(guilds?.[guildId])) ?? asRecord(guilds?.[WILDCARD]);
  if (guild === undefined) return undefined;
  const channels = asRecord(guild.channels);
  if (channels === undefined) return roomRule(guild);
  const channel = roomEntry(channels, message);
  if (channel === undefined) return undefined;
  const guildRule = roomRule(guild);
  const channelRule = roomRule(channel);
  return {
    entry: channel,
    enabled: channelRule.enabled ?? guildRule.enabled,
    requireMention: channelRule.requireMention ?? guildRule.requireMention,
    ...(channelRule.users === undefined && channelRule.roles === undefined
      ? { users: guildRule.users, roles: guildRule.roles }
      : { users: channelRule.users, roles: channelRule.roles }),
  };
}

function roomEntry(
  map: Record<string, unknown> | undefined,
  message: InboundMessage,
): Record<string, unknown> | undefined {
  if (map === undefined) return undefined;
  const chatId = message.chatId ?? message.peer.id;
  const byId = asRecord(map[chatId]);
  if (byId !== undefined) return byId;
  const name = message.peer.name?.replace(/^#/, "").toLowerCase();
  if (name !== undefined && name.length > 0) {
    for (const [key, value] of Object.entries(map)) {
      if (key.replace(/^#/, "").toLowerCase() === name) {
        const entry = asRecord(value);
        if (entry !== undefined) return entry;
      }
    }
  }
  return asRecord(map[WILDCARD]);
}

function roomRule(entry: Record<string, unknown>): PlatformGroupRule {
  const enabled = entry.enabled ?? entry.allow;
  return {
    entry,
    ...(enabled === undefined ? {} : { enabled }),
    ...(entry.requireMention === undefined ? {} : { requireMention: entry.requireMention }),
    ...(entry.users === undefined ? {} : { users: entry.users }),
    ...(entry.roles === undefined ? {} : { roles: entry.roles }),
  };
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
