import { z } from "zod";

export const DEFAULT_TELEGRAM_API_ROOT = "https://api.telegram.org";

const TelegramWebhookSchema = z.object({
  /** The public HTTPS URL Telegram posts updates to (it must reach `host:port` + `path`, e.g. through a reverse proxy). */
  url: z.url({ error: "must be the public https URL Telegram posts updates to" }),
  /** Sent by Telegram in `X-Telegram-Bot-Api-Secret-Token`; requests without it are refused. */
  secretToken: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,256}$/, { error: "must be 1-256 characters of A-Z, a-z, 0-9, _ and -" })
    .optional(),
  /** The local route the listener serves; defaults to the path of `url`. */
  path: z.string().startsWith("/", { error: 'must start with "/"' }).optional(),
  host: z.string().min(1).default("127.0.0.1"),
  port: z.int().min(0).max(65_535).default(8787),
});

/**
 * One Telegram account's config, as the gateway resolves it from `channels.telegram` (overlaid with
 * `channels.telegram.accounts.<id>`). Access-policy keys are read by the gateway and only tolerated here.
 */
export const TelegramConfigSchema = z
  .looseObject({
    enabled: z.boolean().optional(),
    /** The token from @BotFather. `tokenFile` wins when both are set. */
    botToken: z.string().trim().min(1, { error: "must not be empty" }).optional(),
    /** A file holding the token (trimmed); keeps the secret out of openclaw.json. */
    tokenFile: z.string().min(1, { error: "must not be empty" }).optional(),
    /** A self-hosted Bot API server's root, without `/bot<token>` and without a trailing slash. */
    apiRoot: z
      .url({ error: "must be a URL such as https://api.telegram.org" })
      .refine((url) => !url.endsWith("/"), { error: "must not end with '/'" })
      .refine((url) => !/\/bot[^/]*$/.test(url), {
        error: "must not include /bot<token>: give only the API root",
      })
      .default(DEFAULT_TELEGRAM_API_ROOT),
    mode: z.enum(["polling", "webhook"]).default("polling"),
    webhook: TelegramWebhookSchema.optional(),
    /** "markdown": the agent's Markdown is sent as MarkdownV2 (plain-text fallback); "plain": sent as given. */
    textFormat: z.enum(["markdown", "plain"]).default("markdown"),
    /** Seconds one getUpdates request is held open by Telegram. */
    pollTimeoutSeconds: z.int().min(0).max(50).default(30),
    /** Inbound download and outbound upload cap in MB, read by the gateway; Telegram's own limits still apply. */
    mediaMaxMb: z.number().positive({ error: "must be a positive number of megabytes" }).optional(),
    dmPolicy: z.unknown().optional(),
    allowFrom: z.unknown().optional(),
    groupPolicy: z.unknown().optional(),
    groups: z.unknown().optional(),
    requireMention: z.unknown().optional(),
  })
  .superRefine((config, context) => {
    if (config.mode === "webhook" && config.webhook === undefined) {
      context.addIssue({
        code: "custom",
        path: ["webhook"],
        message:
          'mode "webhook" needs webhook.url (the public https URL Telegram posts to): set channels.telegram.webhook.url, or remove mode to use long polling',
      });
    }
  });

export type TelegramConfig = z.infer<typeof TelegramConfigSchema>;
export type TelegramConfigInput = z.input<typeof TelegramConfigSchema>;
