import { z } from "zod";
import type { ChannelAccountState } from "./channel-account-state.js";
import type {
  DeleteMessageOptions,
  EditTextOptions,
  InboundReaction,
  MediaKind,
  NativeCommand,
  ReactOptions,
} from "./channel-media.js";
import { CHANNEL_PLUGIN_API_VERSION, isCompatiblePluginApiVersion } from "./channel-plugin-api-version.js";
import type { InboundMessage } from "./inbound-message.js";
import { PluginError, type PluginIssue } from "./plugin-error.js";
import type { PlatformEndpoint } from "./start-deadline.js";

export const ChannelCapabilitiesSchema = z.object({
  dms: z.boolean(),
  groups: z.boolean(),
  threads: z.boolean(),
  reactions: z.boolean(),
  typing: z.boolean(),
  media: z.boolean(),
  edits: z.boolean(),
  /** The platform's limit for one text message; the gateway chunks longer replies to fit. */
  maxTextLength: z.int().min(1),
  /** The largest file `sendMedia` can upload; bigger media goes out as a link or a note. Absent: no known limit. */
  maxMediaBytes: z.int().min(1).optional(),
  /** The adapter registers the gateway's in-chat commands with the platform (`ChannelAccountContext.commands`). */
  nativeCommands: z.boolean().optional(),
});
export type ChannelCapabilities = z.infer<typeof ChannelCapabilitiesSchema>;

/** Structured, leveled logging; `fields` must never carry a secret (the gateway redacts known keys anyway). */
export interface ChannelLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** What the gateway hands a plugin when it starts one configured account. */
export interface ChannelAccountContext<Config = unknown> {
  accountId: string;
  /** The account's config, already parsed by the plugin's `configSchema`. */
  config: Config;
  logger: ChannelLogger;
  /** Aborted when the gateway stops the account; stop polling and close connections then. */
  signal: AbortSignal;
  /** Hand over one normalised message; awaiting it applies back-pressure. */
  onInbound(message: InboundMessage): void | Promise<void>;
  /**
   * Reported by `channels.status`. `lastError: null` clears a previous error. `{ connected: false, lastError }` in
   * one call means the account gave up: the gateway stops it and starts it again after its backoff. `lastError`
   * alone reports a failure the adapter is still handling (e.g. reconnecting), so an outage shows within seconds.
   */
  setStatus(patch: { connected?: boolean; lastError?: string | null }): void;
  /**
   * Hand over a reaction added to or removed from a message (the gateway may tell the agent about reactions on its
   * own messages). Optional for older gateways: call it as `ctx.onReaction?.(...)`.
   */
  onReaction?(reaction: InboundReaction): void | Promise<void>;
  /**
   * The in-chat commands the gateway understands (`/new`, `/status`, ...). An adapter with
   * `capabilities.nativeCommands` registers them with the platform when the account starts (Telegram
   * `setMyCommands`, Discord application commands) and turns invocations into an `InboundMessage` whose text is
   * `/<name> <args>` with `nativeCommand: true`.
   */
  commands?: NativeCommand[];
  /**
   * Durable values of this account (cursors, offsets) kept by the gateway across restarts. Optional for older
   * gateways: an adapter without it starts from the platform's default.
   */
  state?: ChannelAccountState;
}

export interface ChannelAccountHandle {
  stop(): Promise<void>;
}

export interface SendTextOptions {
  accountId: string;
  /** The peer or chat id to deliver to, as the plugin reported it in `InboundMessage.peer.id` / `chatId`. */
  to: string;
  /** At most `capabilities.maxTextLength` characters: the gateway chunks before calling. */
  text: string;
  threadId?: string;
  /** A platform message id to reply to. */
  replyTo?: string;
}

export interface SendTypingOptions {
  accountId: string;
  to: string;
  threadId?: string;
}

export interface OutboundMedia {
  /** Either a URL the platform can fetch or the bytes themselves (the gateway normally hands over bytes). */
  url?: string;
  data?: Uint8Array;
  mimeType: string;
  fileName?: string;
  /** How to present it: a photo, a voice note (push-to-talk), a plain audio file, a video or a document. */
  kind?: Exclude<MediaKind, "sticker">;
}

export interface SendMediaOptions {
  accountId: string;
  to: string;
  media: OutboundMedia;
  caption?: string;
  threadId?: string;
  replyTo?: string;
}

/**
 * How a platform's users write one sender in more than one way (WhatsApp: `+1 555-555-0123` in configs, the bare
 * digits `15555550123` in messages). The gateway compares allowlists, pairing approvals and sender ids in the
 * `canonical` spelling; `aliases` are other spellings an older approval may be stored under.
 */
export interface SenderIdSpelling {
  canonical(id: string): string;
  aliases?(canonicalId: string): string[];
}

export interface ProbeOptions {
  accountId: string;
  timeoutMs: number;
}

/** Where a QR link attempt stands, as `ChannelQrLogin.start` / `wait` report it. */
export interface QrLoginState {
  /** True once the account is linked (the phone scanned the code, or it was linked already). */
  linked: boolean;
  /** The payload to render as a QR code (the raw string the platform gives), while one waits to be scanned. */
  qr?: string;
  /** One sentence for the person linking, e.g. "Scan the QR code with WhatsApp > Linked devices". */
  message: string;
}

export interface QrLoginStartOptions {
  accountId: string;
  /** Unlink the stored session first and show a new QR code, even when the account is linked. */
  force: boolean;
  /** How long to wait for the platform's first QR code before answering without one. */
  timeoutMs: number;
  signal?: AbortSignal;
  /**
   * Asks the gateway to stop the account (if running) and start it again with its configured context; resolves
   * once `startAccount` has resolved. A plugin calls it when it has no live connection to show a QR code from:
   * never started, logged out, or after `force` dropped the session. The gateway owns the account lifecycle.
   */
  restartAccount(): Promise<void>;
}

export interface QrLoginWaitOptions {
  accountId: string;
  /** Answer `{ linked: false }` with the current QR code after this long. */
  timeoutMs: number;
  /** The QR payload the person is looking at: a newer one (the platform rotates them) ends the wait early. */
  currentQr?: string;
  signal?: AbortSignal;
}

/**
 * Optional: linking an account by scanning a QR code, for platforms that pair as a linked device (WhatsApp Web).
 * The gateway serves it as `web.login.start` / `web.login.wait` and renders `qr` as an image; the plugin only
 * hands over the platform's string.
 */
export interface ChannelQrLogin {
  /** Makes sure a QR code is being offered (restarting the account when needed) and returns the latest one. */
  start(options: QrLoginStartOptions): Promise<QrLoginState>;
  /** Resolves when the account is linked, when a QR code replaces `currentQr`, or at `timeoutMs`. Never rejects on timeout. */
  wait(options: QrLoginWaitOptions): Promise<QrLoginState>;
}

/**
 * Version 1 of the contract a channel adapter implements. Required members are what every channel needs to
 * receive and send text; optional members are used only when present and allowed by `capabilities`.
 */
export interface ChannelPluginV1<Config = unknown> {
  /** {@link CHANNEL_PLUGIN_API_VERSION} of the SDK the plugin was built against. */
  apiVersion: typeof CHANNEL_PLUGIN_API_VERSION;
  /** Lowercase kebab-case, e.g. `telegram`: used in config (`channels.<id>`) and in session keys. */
  id: string;
  meta: { label: string; description?: string; docsUrl?: string };
  /** Validates one account's config (as the gateway resolves it from `channels.<id>`); its output is `ChannelAccountContext.config`. */
  configSchema: z.ZodType<Config>;
  capabilities: ChannelCapabilities;
  startAccount(context: ChannelAccountContext<Config>): Promise<ChannelAccountHandle>;
  sendText(options: SendTextOptions): Promise<{ messageId: string }>;
  sendTyping?(options: SendTypingOptions): Promise<void>;
  sendMedia?(options: SendMediaOptions): Promise<{ messageId: string }>;
  /** Replaces the text of a message the bot sent (live drafts); used when `capabilities.edits`. */
  editText?(options: EditTextOptions): Promise<void>;
  /** Deletes a message the bot sent (a draft that turned out empty). */
  deleteMessage?(options: DeleteMessageOptions): Promise<void>;
  /** Adds or removes the bot's reaction on a message; used when `capabilities.reactions`. */
  react?(options: ReactOptions): Promise<void>;
  /** Sender ids written more than one way (see {@link SenderIdSpelling}); ids are compared as given without it. */
  senderIds?: SenderIdSpelling;
  /** A cheap credential/connectivity check for `channels.status { probe: true }`. */
  probe?(options: ProbeOptions): Promise<{ ok: boolean; detail?: string }>;
  /** Forget the account's stored session (e.g. WhatsApp auth state). */
  logout?(options: { accountId: string }): Promise<void>;
  /** Link an account by QR code (see {@link ChannelQrLogin}); added in API version 1 as an optional member. */
  qrLogin?: ChannelQrLogin;
  /**
   * Where an account connects, so that the gateway's errors name it (a start that neither connects nor fails
   * within the start deadline); added in API version 1 as an optional member.
   */
  platformEndpoint?(config: Config): PlatformEndpoint;
}

/** The current channel plugin contract. */
export type ChannelPlugin<Config = unknown> = ChannelPluginV1<Config>;

const PLUGIN_ID_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const PLUGIN_ID_MAX_LENGTH = 64;

const isFunction = (value: unknown): boolean => typeof value === "function";
const requiredFunction = z.custom<(...args: never[]) => unknown>(isFunction, { error: "must be a function" });
const optionalFunction = requiredFunction.optional();

/**
 * The runtime shape of a plugin object. Functions and the config schema are only checked to be present and
 * callable: the plugin may bring its own copy of zod, so `configSchema` is recognised by `safeParse`.
 */
const ChannelPluginShapeSchema = z.object({
  id: z
    .string({ error: "must be a string" })
    .max(PLUGIN_ID_MAX_LENGTH, { error: `must be at most ${PLUGIN_ID_MAX_LENGTH} characters` })
    .regex(PLUGIN_ID_PATTERN, {
      error: 'must be lowercase kebab-case such as "telegram" or "acme-chat" (no ":" or spaces)',
    }),
  meta: z.object({
    label: z.string().min(1),
    description: z.string().optional(),
    docsUrl: z.string().optional(),
  }),
  configSchema: z.custom((value) => isFunction((value as { safeParse?: unknown } | null)?.safeParse), {
    error: "must be a zod schema (an object with safeParse)",
  }),
  capabilities: ChannelCapabilitiesSchema,
  startAccount: requiredFunction,
  sendText: requiredFunction,
  sendTyping: optionalFunction,
  sendMedia: optionalFunction,
  editText: optionalFunction,
  deleteMessage: optionalFunction,
  react: optionalFunction,
  senderIds: z.object({ canonical: requiredFunction, aliases: optionalFunction }).optional(),
  probe: optionalFunction,
  logout: optionalFunction,
  qrLogin: z.object({ start: requiredFunction, wait: requiredFunction }).optional(),
  platformEndpoint: optionalFunction,
});

function describeIssues(error: z.ZodError): PluginIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.length === 0 ? "(root)" : issue.path.map(String).join("."),
    message: issue.message,
  }));
}

function pluginLabel(value: unknown): string {
  const id = (value as { id?: unknown } | null)?.id;
  return typeof id === "string" && id.length > 0 ? `channel plugin "${id}"` : "channel plugin";
}

/**
 * Checks that `value` is a loadable channel plugin and returns it typed. Throws {@link PluginError}:
 * `PLUGIN_API_VERSION` when it was built for another contract version, `PLUGIN_INVALID` listing every problem.
 * The gateway's registry calls this on whatever a plugin module exports.
 */
export function validateChannelPlugin(value: unknown): ChannelPlugin {
  const label = pluginLabel(value);
  const rawId = (value as { id?: unknown } | null)?.id;
  const pluginId = typeof rawId === "string" ? rawId : undefined;
  if (value === null || typeof value !== "object") {
    throw new PluginError(
      "PLUGIN_INVALID",
      "a channel plugin must be an object: export the result of defineChannelPlugin({ ... })",
    );
  }
  const apiVersion = (value as { apiVersion?: unknown }).apiVersion;
  if (!isCompatiblePluginApiVersion(apiVersion)) {
    const declared =
      apiVersion === undefined
        ? "declares no apiVersion"
        : `implements API version ${JSON.stringify(apiVersion)}`;
    throw new PluginError(
      "PLUGIN_API_VERSION",
      `${label} ${declared}, but this gateway runs channel plugin API version ${CHANNEL_PLUGIN_API_VERSION}: ` +
        `set apiVersion: CHANNEL_PLUGIN_API_VERSION from @openclaw/plugin-sdk, or install a release of the plugin ` +
        `built for API version ${CHANNEL_PLUGIN_API_VERSION}`,
      { pluginId, issues: [{ path: "apiVersion", message: `must be ${CHANNEL_PLUGIN_API_VERSION}` }] },
    );
  }
  const parsed = ChannelPluginShapeSchema.safeParse(value);
  if (!parsed.success) {
    const issues = describeIssues(parsed.error);
    const list = issues.map((issue) => `${issue.path} ${issue.message}`).join("; ");
    throw new PluginError("PLUGIN_INVALID", `${label} is invalid: ${list}`, { pluginId, issues });
  }
  return value as ChannelPlugin;
}

/**
 * Declares a channel plugin. Returns the same object, typed, after checking it at runtime so that a mistake
 * surfaces when the plugin module loads rather than when a message arrives.
 */
export function defineChannelPlugin<Config>(plugin: ChannelPlugin<Config>): ChannelPlugin<Config> {
  validateChannelPlugin(plugin);
  return plugin;
}

/**
 * Parses one account's raw config with the plugin's `configSchema`. Throws {@link PluginError}
 * `PLUGIN_CONFIG_INVALID` naming the account and each bad field.
 */
export function parseChannelAccountConfig<Config>(
  plugin: ChannelPlugin<Config>,
  accountId: string,
  raw: unknown,
): Config {
  const parsed = plugin.configSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issues = describeIssues(parsed.error);
  const list = issues.map((issue) => `${issue.path} ${issue.message}`).join("; ");
  throw new PluginError(
    "PLUGIN_CONFIG_INVALID",
    `config of channel "${plugin.id}" account "${accountId}" is invalid: ${list}: fix channels.${plugin.id} in openclaw.json`,
    { pluginId: plugin.id, issues },
  );
}
