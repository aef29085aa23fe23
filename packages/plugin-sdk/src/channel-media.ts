import { z } from "zod";

/** What kind of file a platform says it delivered; the gateway still sniffs the bytes before trusting it. */
export const MediaKindSchema = z.enum(["image", "audio", "voice", "video", "document", "sticker"]);
export type MediaKind = z.infer<typeof MediaKindSchema>;

export interface MediaDownloadOptions {
  /**
   * The most bytes the gateway accepts for this item (`channels.<id>.mediaMaxMb`). Refuse before fetching when
   * the platform's declared size is larger, and stop reading as soon as more arrive: throw
   * {@link MediaTooLargeError} in both cases.
   */
  maxBytes: number;
  signal: AbortSignal;
}

const isFunction = (value: unknown): boolean => typeof value === "function";

/**
 * One attachment of an inbound message, described by the adapter and fetched only when the gateway asks: the access
 * policy runs first, so a stranger's 20 MB upload costs nothing but this description.
 */
export const InboundMediaSchema = z.object({
  kind: MediaKindSchema,
  /** The platform's claim; the gateway sniffs the content and prefers what it finds. */
  mimeType: z.string().max(255).optional(),
  fileName: z.string().max(255).optional(),
  /** The size the platform declares, when it does: lets the gateway refuse an oversized item without a request. */
  sizeBytes: z.int().min(0).optional(),
  /** Audio and video length, when the platform says. */
  durationSec: z.number().min(0).optional(),
  /** The platform's own id of the file (Telegram `file_id`, Slack file id, ...), for logs and deduplication. */
  platformFileId: z.string().max(512).optional(),
  /** Fetches the bytes through the platform library (with the account's credentials). */
  download: z.custom<(options: MediaDownloadOptions) => Promise<Uint8Array>>(isFunction, {
    error: "must be a function (options: { maxBytes, signal }) => Promise<Uint8Array>",
  }),
});
export type InboundMedia = z.infer<typeof InboundMediaSchema>;

/** At most this many attachments of one message are read; the gateway tells the sender about the rest. */
export const MAX_INBOUND_MEDIA_ITEMS = 10;
/** The most attachments one `InboundMessage` may describe at all (a bound on what an adapter hands over). */
export const MAX_DESCRIBED_MEDIA_ITEMS = 100;

/** Thrown by `InboundMedia.download` when the item is larger than `maxBytes`. */
export class MediaTooLargeError extends Error {
  readonly code = "MEDIA_TOO_LARGE";
  constructor(
    readonly maxBytes: number,
    readonly sizeBytes?: number,
  ) {
    super(
      sizeBytes === undefined
        ? `the file is larger than the limit of ${maxBytes} bytes`
        : `the file has ${sizeBytes} bytes, more than the limit of ${maxBytes} bytes`,
    );
    this.name = "MediaTooLargeError";
  }
}

/**
 * Reads a fetch `Response` body into memory, refusing it once it passes `maxBytes` (by `content-length` up front,
 * then while streaming), so that adapters never buffer more than the limit.
 */
export async function readBodyCapped(response: Response, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new MediaTooLargeError(maxBytes, declared);
  }
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new MediaTooLargeError(maxBytes);
    }
    parts.push(value);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

/** A reaction someone put on (or took off) a message in a chat the account is in. */
export const InboundReactionSchema = z.object({
  channel: z.string().min(1),
  accountId: z.string().min(1),
  /** Where the reacted message is: the user for a DM, the group or channel otherwise (as in `InboundMessage`). */
  peer: z.object({ id: z.string().min(1), name: z.string().optional() }),
  chatKind: z.enum(["dm", "group", "thread"]),
  chatId: z.string().min(1).optional(),
  threadId: z.string().min(1).optional(),
  sender: z.object({ id: z.string().min(1), name: z.string().optional(), username: z.string().optional() }),
  /** The platform id of the message that was reacted to. */
  messageId: z.string().min(1),
  /** True when that message is one the bot sent. */
  onBotMessage: z.boolean(),
  /** A unicode emoji, or the platform's name for a custom one (e.g. Slack `thumbsup`). */
  emoji: z.string().min(1).max(128),
  /** True when the reaction was taken off. */
  removed: z.boolean(),
  timestamp: z.int().min(0),
});
export type InboundReaction = z.infer<typeof InboundReactionSchema>;

/** One in-chat command the gateway understands, for platforms that list commands natively. */
export interface NativeCommand {
  /** Lowercase, without the slash, e.g. `new`, `status`. */
  name: string;
  description: string;
  /** A hint for the argument, e.g. `<model>`; absent when the command takes none. */
  args?: string;
}

export interface EditTextOptions {
  accountId: string;
  to: string;
  /** The id `sendText` returned for the message to replace. */
  messageId: string;
  /** At most `capabilities.maxTextLength` characters. */
  text: string;
  threadId?: string;
}

export interface DeleteMessageOptions {
  accountId: string;
  to: string;
  messageId: string;
  threadId?: string;
}

export interface ReactOptions {
  accountId: string;
  to: string;
  messageId: string;
  /** A unicode emoji; the adapter maps it to the platform's name where it needs one (Slack). */
  emoji: string;
  /** Take the bot's reaction off instead of adding it. */
  remove?: boolean;
  threadId?: string;
}
