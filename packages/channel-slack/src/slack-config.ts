import { z } from "zod";

export const DEFAULT_SLACK_API_URL = "https://slack.com/api/";

const nonEmpty = z.string().trim().min(1, { error: "must not be empty" });

const SlackHttpSchema = z.object({
  /** Where the local listener binds; put a TLS reverse proxy in front (Slack only posts to https URLs). */
  host: z.string().min(1).default("127.0.0.1"),
  port: z.int().min(0).max(65_535).default(3000),
});

/**
 * One Slack account's config, as the gateway resolves it from `channels.slack` (overlaid with
 * `channels.slack.accounts.<id>`). Access-policy keys (dmPolicy, allowFrom, groupPolicy, channels, ...) are read by
 * the gateway and only tolerated here.
 */
export const SlackConfigSchema = z.looseObject({
  enabled: z.boolean().optional(),
  /** "socket" (default): Socket Mode over a WebSocket the app opens; "http": Slack POSTs events to us. */
  mode: z.enum(["socket", "http"]).default("socket"),
  /** The bot token, `xoxb-...` (OAuth & Permissions). */
  botToken: nonEmpty
    .refine((token) => token.startsWith("xoxb-"), {
      error: "must be the bot token starting with xoxb- (OAuth & Permissions > Bot User OAuth Token)",
    })
    .optional(),
  /** The app-level token, `xapp-...`, with the connections:write scope; Socket Mode only. */
  appToken: nonEmpty
    .refine((token) => token.startsWith("xapp-"), {
      error: "must be the app-level token starting with xapp- (Basic Information > App-Level Tokens)",
    })
    .optional(),
  /** Verifies the HTTP Events API requests; HTTP mode only. */
  signingSecret: nonEmpty.optional(),
  /** The Request URL's path in HTTP mode. */
  webhookPath: z.string().startsWith("/", { error: 'must start with "/"' }).default("/slack/events"),
  http: SlackHttpSchema.default({ host: "127.0.0.1", port: 3000 }),
  /** The Web API root, with its trailing slash (a test fake or a proxy). */
  apiUrl: z
    .url({ error: "must be a URL such as https://slack.com/api/" })
    .refine((url) => url.endsWith("/"), { error: "must end with '/'" })
    .default(DEFAULT_SLACK_API_URL),
  /** "mrkdwn": the agent's Markdown is converted to Slack mrkdwn; "plain": sent as given (only &, <, > escaped). */
  textFormat: z.enum(["mrkdwn", "plain"]).default("mrkdwn"),
  /** The first delay before reconnecting a lost Socket Mode connection; doubles per failed attempt (max 30 s). */
  reconnectDelayMs: z.int().min(0).max(60_000).default(1000),
  /** Failed reconnects in a row after which the account stops and reports the error (the gateway restarts it). */
  maxReconnectAttempts: z.int().min(1).max(100).default(5),
  /**
   * The largest file in MB: the gateway's download cap for inbound files (OpenClaw's default 20) and this account's
   * upload cap (else Slack's own 1 GB).
   */
  mediaMaxMb: z.number().positive().max(1024).optional(),
  dmPolicy: z.unknown().optional(),
  allowFrom: z.unknown().optional(),
  groupPolicy: z.unknown().optional(),
  channels: z.unknown().optional(),
  groups: z.unknown().optional(),
  requireMention: z.unknown().optional(),
});

export type SlackConfig = z.infer<typeof SlackConfigSchema>;
export type SlackConfigInput = z.input<typeof SlackConfigSchema>;
