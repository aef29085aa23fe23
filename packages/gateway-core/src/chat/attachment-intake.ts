import type { MediaKind } from "@openclaw/plugin-sdk";
import type { TurnAttachment } from "./turn-attachment.js";

/** OpenClaw's defaults: `agents.defaults.mediaMaxMb` 20, and images capped at 6 MB whatever it says. */
export const DEFAULT_ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024;
export const MAX_ATTACHMENT_IMAGE_BYTES = 6 * 1024 * 1024;
/** Items one message may carry (as many as a channel message may). */
export const MAX_ATTACHMENTS = 10;

/** What the control plane needs from the media pipeline: store one item and say what the model should read. */
export interface MediaUnderstanding {
  understand(
    bytes: Uint8Array,
    hint: { kind?: MediaKind; mimeType?: string; fileName?: string },
  ): Promise<{ attachment?: TurnAttachment; notice?: string }>;
}

export interface AttachmentLimits {
  maxCount: number;
  /** Largest decoded size of one item. */
  maxBytes: number;
  /** Largest decoded size of one image (never above `maxBytes`). */
  maxImageBytes: number;
}

/** The decoded-size ceilings, as OpenClaw advertises them in `hello-ok.policy.attachments`. */
export function resolveAttachmentLimits(config: { agents?: { defaults?: object } }): AttachmentLimits {
  const configured = (config.agents?.defaults as { mediaMaxMb?: unknown } | undefined)?.mediaMaxMb;
  const maxBytes =
    typeof configured === "number" && Number.isFinite(configured) && configured > 0
      ? Math.max(1, Math.floor(configured * 1024 * 1024))
      : DEFAULT_ATTACHMENT_MAX_BYTES;
  return {
    maxCount: MAX_ATTACHMENTS,
    maxBytes,
    maxImageBytes: Math.min(maxBytes, MAX_ATTACHMENT_IMAGE_BYTES),
  };
}

export type AttachmentRejectionCode =
  | "TOO_MANY_ATTACHMENTS"
  | "ATTACHMENT_INVALID"
  | "ATTACHMENT_TOO_LARGE"
  | "ATTACHMENT_UNSUPPORTED"
  | "MEDIA_UNAVAILABLE";

/** An attachment the gateway will not take; the message names the item and what to do. */
export class AttachmentRejectedError extends Error {
  readonly code: AttachmentRejectionCode;
  /** Which item (its position in the request), when one item is at fault. */
  readonly index: number | undefined;
  constructor(code: AttachmentRejectionCode, message: string, index?: number) {
    super(message);
    this.name = "AttachmentRejectedError";
    this.code = code;
    this.index = index;
  }
}

/** One item as it arrived, still encoded. */
export interface EncodedAttachment {
  /** Base64, or a `data:<mime>;base64,` URL. */
  content: string;
  mimeType?: string;
  fileName?: string;
  kind?: MediaKind;
  /** How the caller names the item in errors: `attachments[0]`, `messages[2].content[1]`. */
  label: string;
}

const BASE64 = /^[A-Za-z0-9+/\-_]*={0,2}$/;
const DATA_URL = /^data:([^;,]*)((?:;[^;,]*)*?);base64,/i;

function describeBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.ceil(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function looksLikeImage(item: EncodedAttachment, declaredMime: string | undefined): boolean {
  return item.kind === "image" || (declaredMime ?? "").toLowerCase().startsWith("image/");
}

/**
 * Decodes one item, checking its size from the encoded length before any bytes are allocated: base64 is 4 characters
 * per 3 bytes, so an item over the limit is refused without decoding it.
 */
export function decodeAttachment(
  item: EncodedAttachment,
  index: number,
  limits: AttachmentLimits,
): { bytes: Uint8Array; mimeType: string | undefined } {
  let payload = item.content;
  let mimeType = item.mimeType;
  const dataUrl = DATA_URL.exec(payload);
  if (dataUrl) {
    payload = payload.slice(dataUrl[0].length);
    mimeType ??= dataUrl[1] || undefined;
  } else if (payload.startsWith("data:")) {
    throw new AttachmentRejectedError(
      "ATTACHMENT_INVALID",
      `${item.label} is a data URL without ";base64,": send the content base64-encoded`,
      index,
    );
  }
  payload = payload.replace(/\s+/g, "");
  const image = looksLikeImage(item, mimeType);
  const limit = image ? limits.maxImageBytes : limits.maxBytes;
  const estimated =
    Math.floor((payload.length * 3) / 4) - (payload.endsWith("==") ? 2 : payload.endsWith("=") ? 1 : 0);
  if (estimated > limit) throw tooLarge(item, index, estimated, limit, image);
  if (payload === "" || !BASE64.test(payload)) {
    throw new AttachmentRejectedError(
      "ATTACHMENT_INVALID",
      `${item.label} has no content or it is not base64: send the file's bytes base64-encoded (or as a data URL)`,
      index,
    );
  }
  return { bytes: new Uint8Array(Buffer.from(payload, "base64")), mimeType };
}

export function tooLarge(
  item: { label: string; fileName?: string },
  index: number,
  size: number,
  limit: number,
  image: boolean,
): AttachmentRejectedError {
  const name = item.fileName ? ` (${item.fileName})` : "";
  const fix = image
    ? `images may be at most ${describeBytes(limit)}: send a smaller or downscaled image`
    : `attachments may be at most ${describeBytes(limit)} (agents.defaults.mediaMaxMb)`;
  return new AttachmentRejectedError(
    "ATTACHMENT_TOO_LARGE",
    `${item.label}${name} is ${describeBytes(size)}; ${fix}`,
    index,
  );
}

/** One item decoded (or fetched), ready for the media pipeline. */
export interface DecodedAttachment {
  bytes: Uint8Array;
  mimeType?: string;
  fileName?: string;
  kind?: MediaKind;
  label: string;
}

function checkCount(count: number, limits: AttachmentLimits): void {
  if (count <= limits.maxCount) return;
  throw new AttachmentRejectedError(
    "TOO_MANY_ATTACHMENTS",
    `${count} attachments were sent; one message may carry at most ${limits.maxCount}: send the rest in another message`,
  );
}

/**
 * Decodes, stores and understands every item, or refuses the whole message: an item is never dropped silently, so
 * a sender whose file cannot be used hears why before any turn runs.
 */
export async function intakeAttachments(
  items: EncodedAttachment[],
  media: MediaUnderstanding | undefined,
  limits: AttachmentLimits,
): Promise<TurnAttachment[]> {
  if (items.length === 0) return [];
  checkCount(items.length, limits);
  // Every item is decoded and size-checked before the first one is stored.
  const decoded = items.map((item, index): DecodedAttachment => {
    const { bytes, mimeType } = decodeAttachment(item, index, limits);
    return {
      bytes,
      label: item.label,
      ...(mimeType === undefined ? {} : { mimeType }),
      ...(item.fileName === undefined ? {} : { fileName: item.fileName }),
      ...(item.kind === undefined ? {} : { kind: item.kind }),
    };
  });
  return understandAttachments(decoded, media, limits);
}

/** Stores and understands decoded items in order; the first one that cannot be used refuses the message. */
export async function understandAttachments(
  items: DecodedAttachment[],
  media: MediaUnderstanding | undefined,
  limits: AttachmentLimits,
): Promise<TurnAttachment[]> {
  if (items.length === 0) return [];
  checkCount(items.length, limits);
  if (!media) {
    throw new AttachmentRejectedError(
      "MEDIA_UNAVAILABLE",
      "this gateway has no media store running, so attachments cannot be taken: send the message without them",
    );
  }
  const attachments: TurnAttachment[] = [];
  for (const [index, item] of items.entries()) {
    const hint = {
      ...(item.kind === undefined ? {} : { kind: item.kind }),
      ...(item.mimeType === undefined ? {} : { mimeType: item.mimeType }),
      ...(item.fileName === undefined ? {} : { fileName: item.fileName }),
    };
    const understood = await media.understand(item.bytes, hint);
    const attachment = understood.attachment;
    if (!attachment) {
      throw new AttachmentRejectedError(
        "ATTACHMENT_UNSUPPORTED",
        `${item.label}${item.fileName ? ` (${item.fileName})` : ""} cannot be used: ${understood.notice ?? "its type is not supported"}`,
        index,
      );
    }
    // The sniffed kind may say image where nothing was declared.
    if (attachment.kind === "image" && attachment.sizeBytes > limits.maxImageBytes) {
      throw tooLarge(item, index, attachment.sizeBytes, limits.maxImageBytes, true);
    }
    attachments.push(attachment);
  }
  return attachments;
}

/**
 * The message the model reads: the user's text, then what each non-image item says (a transcript, a document's
 * text, a note about the file). Images reach the model as image parts instead.
 */
export function foldAttachmentText(message: string, attachments: TurnAttachment[]): string {
  const texts = attachments
    .filter(
      (attachment) => attachment.kind !== "image" && attachment.text !== undefined && attachment.text !== "",
    )
    .map((attachment) => attachment.text as string);
  return [message, ...texts].filter((part) => part !== "").join("\n\n");
}
