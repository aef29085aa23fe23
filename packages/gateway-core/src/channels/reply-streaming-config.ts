import { z } from "zod";

/**
 * `channels.<id>.streaming`, in OpenClaw's shape: a mode string, or `{ mode, chunkMode, preview, block, progress }`.
 * Unknown keys (OpenClaw's Slack card and native-transport settings, labels pools, ...) are accepted and ignored.
 */
export const StreamingModeSchema = z.enum(["off", "partial", "block", "progress"]);
export type StreamingMode = z.infer<typeof StreamingModeSchema>;

const ChunkSchema = z.object({ minChars: z.int().min(1).optional(), maxChars: z.int().min(1).optional() });

const StreamingObjectSchema = z.looseObject({
  mode: StreamingModeSchema.optional(),
  chunkMode: z.enum(["length", "newline"]).optional(),
  preview: z
    .looseObject({ toolProgress: z.boolean().optional(), chunk: z.looseObject(ChunkSchema.shape).optional() })
    .optional(),
  block: z
    .looseObject({
      enabled: z.boolean().optional(),
      coalesce: z
        .looseObject({ ...ChunkSchema.shape, idleMs: z.int().min(0).max(5_000).optional() })
        .optional(),
    })
    .optional(),
  progress: z
    .looseObject({
      toolProgress: z.boolean().optional(),
      label: z.union([z.string().max(200), z.literal(false)]).optional(),
      maxLines: z.int().min(1).max(50).optional(),
    })
    .optional(),
});

export const StreamingConfigSchema = z.union([StreamingModeSchema, StreamingObjectSchema]);

/** How one reply reaches the chat while the model writes it. */
export interface ReplyStreaming {
  mode: StreamingMode;
  /** `newline`: block replies end at paragraphs (blank lines); `length`: only when a block is full. */
  chunkMode: "length" | "newline";
  /** Tool lines in `partial` and `block` drafts. */
  previewToolProgress: boolean;
  /** `block` drafts move on to a new message past `maxChars`. */
  previewChunk: { minChars: number; maxChars: number };
  /** Block replies: completed blocks go out as separate messages (platforms without edits, or when asked). */
  blockReplies: boolean;
  block: { minChars: number; maxChars: number; idleMs: number };
  progress: { toolProgress: boolean; label: string | false; maxLines: number };
  /** The least time between two edits of one draft: the platform's rate limit for edits in one chat. */
  editIntervalMs: number;
  /** A first draft shorter than this waits (a one-word push notification helps nobody)… */
  minInitialChars: number;
  /** …but at most this long after the first token. */
  maxInitialDelayMs: number;
}

/**
 * OpenClaw's defaults: Telegram and Slack show a progress draft, Discord and the others only the final answer.
 * WhatsApp, which cannot edit, sends a long answer as blocks while the model writes it (OpenClaw sends it whole
 * unless block streaming is on): `streaming: "off"` restores that.
 */
const DEFAULT_MODE: Record<string, StreamingMode> = {
  telegram: "progress",
  slack: "progress",
  whatsapp: "block",
};

/**
 * Edits per chat the platforms tolerate: Telegram about one a second, Slack's chat.update about one a second,
 * Discord five per five seconds per channel. OpenClaw throttles drafts to one edit a second everywhere.
 */
const EDIT_INTERVAL_MS: Record<string, number> = { telegram: 1_000, slack: 1_000, discord: 1_000 };
const DEFAULT_EDIT_INTERVAL_MS = 1_000;
/** Discord and Slack merge block replies into bigger ones (OpenClaw's per-channel coalesce defaults). */
const BLOCK_COALESCE_MIN: Record<string, number> = { discord: 1_500, slack: 1_500 };

const PREVIEW_CHUNK = { minChars: 200, maxChars: 800 };
const BLOCK_CHUNK = { minChars: 800, maxChars: 1_200, idleMs: 1_000 };
const DRAFT_MIN_INITIAL_CHARS = 30;
const DRAFT_MAX_INITIAL_DELAY_MS = 1_000;
const PROGRESS_LABEL = "Working…";
const PROGRESS_MAX_LINES = 8;

export type StreamingConfigIssue = { path: string; message: string };

/**
 * The account's streaming settings (`account.config.streaming`, already overlaid with the account's own), resolved
 * against the channel's defaults and clamped to `maxTextLength`. An invalid value falls back to the defaults and
 * is reported through `onIssue`, so a typo never stops replies.
 */
export function resolveReplyStreaming(
  channel: string,
  raw: unknown,
  o: { maxTextLength: number; edits: boolean; onIssue?: (issue: StreamingConfigIssue) => void },
): ReplyStreaming {
  const parsed = raw === undefined ? undefined : StreamingConfigSchema.safeParse(raw);
  if (parsed && !parsed.success) {
    const issue = parsed.error.issues[0];
    o.onIssue?.({
      path: `channels.${channel}.streaming${issue?.path.length ? `.${issue.path.join(".")}` : ""}`,
      message: issue?.message ?? "invalid",
    });
  }
  const value = parsed?.success ? parsed.data : undefined;
  const config = typeof value === "string" ? { mode: value } : (value ?? {});
  const mode = config.mode ?? DEFAULT_MODE[channel] ?? "off";
  const limit = Math.max(2, o.maxTextLength);
  const clamp = (n: number) => Math.max(1, Math.min(n, limit));
  const previewMax = clamp(config.preview?.chunk?.maxChars ?? PREVIEW_CHUNK.maxChars);
  const blockMax = clamp(config.block?.coalesce?.maxChars ?? BLOCK_CHUNK.maxChars);
  const explicitBlock = config.block?.enabled;
  // Without edits a draft cannot grow in place: a streaming mode means block replies there instead.
  const blockReplies = explicitBlock ?? (!o.edits && (mode === "partial" || mode === "block"));
  return {
    mode,
    chunkMode: config.chunkMode ?? "length",
    previewToolProgress: config.preview?.toolProgress ?? true,
    previewChunk: {
      minChars: Math.min(config.preview?.chunk?.minChars ?? PREVIEW_CHUNK.minChars, previewMax),
      maxChars: previewMax,
    },
    blockReplies,
    block: {
      minChars: Math.min(
        config.block?.coalesce?.minChars ?? BLOCK_COALESCE_MIN[channel] ?? BLOCK_CHUNK.minChars,
        blockMax,
      ),
      maxChars: blockMax,
      idleMs: config.block?.coalesce?.idleMs ?? BLOCK_CHUNK.idleMs,
    },
    progress: {
      toolProgress: config.progress?.toolProgress ?? false,
      label:
        config.progress?.label === undefined || config.progress.label === "auto"
          ? PROGRESS_LABEL
          : config.progress.label,
      maxLines: config.progress?.maxLines ?? PROGRESS_MAX_LINES,
    },
    editIntervalMs: EDIT_INTERVAL_MS[channel] ?? DEFAULT_EDIT_INTERVAL_MS,
    minInitialChars: DRAFT_MIN_INITIAL_CHARS,
    maxInitialDelayMs: DRAFT_MAX_INITIAL_DELAY_MS,
  };
}
