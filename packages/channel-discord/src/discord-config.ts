import { z } from "zod";

/** discord.js appends `/v10/...` to this; a self-hosted proxy or a test fake replaces it. */
export const DEFAULT_DISCORD_API_BASE_URL = "https://discord.com/api";

/**
 * One Discord account's config, as the gateway resolves it from `channels.discord` (overlaid with
 * `channels.discord.accounts.<id>`). Access-policy keys are read by the gateway and only tolerated here.
 */
export const DiscordConfigSchema = z.looseObject({
  enabled: z.boolean().optional(),
  /** The bot token from the Developer Portal (Bot page, Reset Token). A leading "Bot " is tolerated. */
  token: z
    .string()
    .trim()
    .min(1, { error: "must not be empty" })
    .transform((token) => token.replace(/^Bot\s+/i, ""))
    .optional(),
  /** The REST API root without the version, e.g. https://discord.com/api; the gateway URL comes from it. */
  apiBaseUrl: z
    .url({ error: "must be a URL such as https://discord.com/api" })
    .refine((url) => !url.endsWith("/"), { error: "must not end with '/'" })
    .refine((url) => !/\/v\d+$/.test(url), {
      error: "must not include the API version (/v10): discord.js adds it",
    })
    .default(DEFAULT_DISCORD_API_BASE_URL),
  /**
   * Where attachment and sticker URLs point (discord.js `rest.cdn` and `rest.mediaProxy`); a test fake or a proxy
   * replaces it. Default Discord's own (https://cdn.discordapp.com and https://media.discordapp.net).
   */
  cdnBaseUrl: z
    .url({ error: "must be a URL such as https://cdn.discordapp.com" })
    .refine((url) => !url.endsWith("/"), { error: "must not end with '/'" })
    .optional(),
  /** Read by the gateway (inbound download and outbound upload cap, in MB); tolerated here. */
  mediaMaxMb: z.unknown().optional(),
  dmPolicy: z.unknown().optional(),
  allowFrom: z.unknown().optional(),
  groupPolicy: z.unknown().optional(),
  guilds: z.unknown().optional(),
  groups: z.unknown().optional(),
  requireMention: z.unknown().optional(),
});

export type DiscordConfig = z.infer<typeof DiscordConfigSchema>;
export type DiscordConfigInput = z.input<typeof DiscordConfigSchema>;
