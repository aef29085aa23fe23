import { readFile, stat } from "node:fs/promises";
import { basename } from "node:path";
import type { ModelEntry } from "./config-schema.js";
import type { RunAttachment, TranscriptEntry, TranscriptMedia } from "./types.js";

/**
 * The largest image handed to a model, as OpenClaw's agent-hydration cap: Anthropic refuses images over 5 MB of
 * base64 and every provider bills a large image as if it were a small one anyway.
 */
export const MAX_MODEL_IMAGE_BYTES = 6 * 1024 * 1024;

/** The formats every supported provider accepts as an image part. */
const MODEL_IMAGE_TYPES = new Set(["image/jpeg", "image/png", "image/gif", "image/webp"]);

/**
 * Model ids known to see images, for models whose entry does not say (`input` unset) or that have no entry at all
 * (an implicit provider, or one with an empty catalog). Matched on the id's last path segment, lowercased, so
 * `openai/gpt-4o` behind a router counts too.
 */
const VISION_MODEL_PATTERNS: readonly RegExp[] = [
  /^(chatgpt-)?gpt-4o/,
  /^gpt-4\.[15]/,
  /^gpt-4-(turbo|vision)/,
  /^gpt-5/,
  /^o1(-(?!mini)|$)/,
  /^o3(-(?!mini)|$)/,
  /^o4-mini/,
  /^claude-(3|sonnet|opus|haiku)/,
  /^gemini/,
  /^gemma-?3/,
  /^grok-(4|2-vision)/,
  /^pixtral/,
  /^llama-?4/,
  /llava/,
  /vision/,
  /qwen[\d.]*-?vl/,
  /minicpm-v/,
  /moondream/,
];

/** Whether a model takes images: its entry's `input` decides; without one, the known vision models do. */
export function modelSeesImages(entry: ModelEntry | undefined, modelId: string): boolean {
  if (entry?.input !== undefined) return entry.input.includes("image");
  const id = (modelId.split("/").at(-1) ?? modelId).toLowerCase();
  return VISION_MODEL_PATTERNS.some((pattern) => pattern.test(id));
}

/** The reference a transcript keeps: everything but the bytes. */
export function transcriptMediaOf(attachment: RunAttachment): TranscriptMedia {
  const media: TranscriptMedia = {
    kind: attachment.kind,
    path: attachment.path,
    mimeType: attachment.mimeType,
    sizeBytes: attachment.sizeBytes,
  };
  if (attachment.fileName !== undefined) media.fileName = attachment.fileName;
  if (attachment.transcript !== undefined) media.transcript = attachment.transcript;
  return media;
}

/** The `media` field of a user entry for these attachments (absent when there are none). */
export function userEntryMedia(attachments: RunAttachment[] | undefined): Pick<TranscriptEntry, "media"> {
  return attachments && attachments.length > 0 ? { media: attachments.map(transcriptMediaOf) } : {};
}

function displayName(media: TranscriptMedia): string {
  return media.fileName ?? basename(media.path);
}

function isVisual(media: TranscriptMedia): boolean {
  return media.kind === "image" || media.kind === "sticker";
}

export interface ModelImage {
  image: Uint8Array | string;
  mediaType: string;
}

/** An image of the turn, read and checked once per run: what a vision model gets, or why it cannot have it. */
export type PreparedImage =
  | { attachment: RunAttachment; image: ModelImage }
  | { attachment: RunAttachment; unavailable: string };

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

async function prepareImage(attachment: RunAttachment): Promise<PreparedImage> {
  if (!MODEL_IMAGE_TYPES.has(attachment.mimeType)) {
    return { attachment, unavailable: `${attachment.mimeType} cannot be shown to the model` };
  }
  const tooLarge = (size: number): PreparedImage => ({
    attachment,
    unavailable: `too large to show the model (${megabytes(size)}; the limit is ${megabytes(MAX_MODEL_IMAGE_BYTES)})`,
  });
  if (attachment.data !== undefined) {
    const size =
      typeof attachment.data === "string"
        ? Math.floor((attachment.data.length * 3) / 4)
        : attachment.data.byteLength;
    if (size > MAX_MODEL_IMAGE_BYTES) return tooLarge(size);
    return { attachment, image: { image: attachment.data, mediaType: attachment.mimeType } };
  }
  try {
    const size = (await stat(attachment.path)).size;
    if (size > MAX_MODEL_IMAGE_BYTES) return tooLarge(size);
    const bytes = new Uint8Array(await readFile(attachment.path));
    return { attachment, image: { image: bytes, mediaType: attachment.mimeType } };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      attachment,
      unavailable: code === "ENOENT" ? "the stored file is gone" : "the stored file could not be read",
    };
  }
}

/** The attachments a vision model would see as images (stills and stickers; everything else is text already). */
export function visualAttachments(attachments: RunAttachment[]): RunAttachment[] {
  return attachments.filter(isVisual);
}

/** Reads the turn's images (only once a model in the chain can see them). */
export function prepareImages(visual: RunAttachment[]): Promise<PreparedImage[]> {
  return Promise.all(visual.map(prepareImage));
}

/**
 * What the user message of this turn says to one model: the text with notes, and the images it can see. `prepared`
 * is undefined for a model that cannot see images.
 */
export function userTurnContent(
  message: string,
  visual: RunAttachment[],
  prepared: PreparedImage[] | undefined,
): { text: string; images: ModelImage[] } {
  const notes: string[] = [];
  const shown: ModelImage[] = [];
  if (prepared === undefined) {
    for (const attachment of visual) {
      notes.push(`[image attached: ${displayName(attachment)} — the current model cannot see images]`);
    }
  } else {
    for (const item of prepared) {
      if ("unavailable" in item) {
        notes.push(`[image attached: ${displayName(item.attachment)} — ${item.unavailable}]`);
      } else {
        shown.push(item.image);
      }
    }
  }
  return { text: [message, ...notes].filter((part) => part !== "").join("\n"), images: shown };
}

/**
 * How an earlier turn's media reads in the replayed history: a short note, never the file again (re-sending every
 * image of a conversation would cost its tokens on every turn). The stored path lets a tool open it on request.
 */
export function earlierMediaNotes(media: TranscriptMedia[] | undefined): string[] {
  return (media ?? []).map(
    (item) => `[${item.kind} attached earlier: ${displayName(item)}, stored at ${item.path}]`,
  );
}
