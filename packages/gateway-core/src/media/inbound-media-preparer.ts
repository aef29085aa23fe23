import { type InboundMedia, MAX_INBOUND_MEDIA_ITEMS, MediaTooLargeError } from "@openclaw/plugin-sdk";
import type { InboundMediaPreparer, InboundTurnContext, PreparedInbound } from "../channels/inbound-types.js";
import type { Logger } from "../logging/logger.js";
import { describeSize, resolveMediaMaxBytes } from "./media-size.js";
import type { MediaHint, UnderstoodMedia } from "./understand-media.js";

export interface InboundMediaPreparerOptions {
  /** Stores and understands one downloaded item (`understandMedia` with the runtime's store and transcriber). */
  understand(bytes: Uint8Array, hint: MediaHint): Promise<UnderstoodMedia>;
  /** `agents.defaults.mediaMaxMb`, read for every message (a channel's own `mediaMaxMb` wins). */
  agentDefaultMediaMaxMb?: () => unknown;
  /** How long one download may take. Default two minutes. */
  downloadTimeoutMs?: number;
  logger?: Logger;
}

const DEFAULT_DOWNLOAD_TIMEOUT_MS = 120_000;

/**
 * Fetches, stores and understands the media of an accepted channel message. Each item is checked against the
 * account's `mediaMaxMb` by its declared size before anything is downloaded, and the download itself is capped; an
 * item that cannot be used becomes a notice to the sender, never a silent drop.
 */
export function createInboundMediaPreparer(options: InboundMediaPreparerOptions): InboundMediaPreparer {
  const timeoutMs = options.downloadTimeoutMs ?? DEFAULT_DOWNLOAD_TIMEOUT_MS;
  return {
    async prepare(context: InboundTurnContext): Promise<PreparedInbound> {
      const { account, message } = context;
      const items = message.media ?? [];
      const maxBytes = resolveMediaMaxBytes(
        account.plugin.id,
        account.config,
        options.agentDefaultMediaMaxMb?.(),
      );
      const notices: string[] = [];
      const attachments: PreparedInbound["attachments"] = [];
      const texts: string[] = [];
      if (items.length > MAX_INBOUND_MEDIA_ITEMS) {
        const skipped = items.length - MAX_INBOUND_MEDIA_ITEMS;
        notices.push(
          `Only the first ${MAX_INBOUND_MEDIA_ITEMS} attachments of a message are read; ${skipped} more ${skipped === 1 ? "was" : "were"} ignored. Send ${skipped === 1 ? "it" : "them"} in another message.`,
        );
      }
      for (const item of items.slice(0, MAX_INBOUND_MEDIA_ITEMS)) {
        const bytes = await download(item, maxBytes, timeoutMs, notices, account.logger);
        if (!bytes) continue;
        const understood = await options.understand(bytes, hintOf(item));
        if (understood.notice) notices.push(understood.notice);
        const attachment = understood.attachment;
        if (!attachment) continue;
        attachments.push(attachment);
        // Images reach the model as image parts; everything else through its text.
        if (attachment.kind !== "image" && attachment.text) texts.push(attachment.text);
      }
      const text = [message.text, ...texts].filter((part) => part.trim() !== "").join("\n\n");
      return { text, attachments, notices };
    },
  };
}

async function download(
  item: InboundMedia,
  maxBytes: number,
  timeoutMs: number,
  notices: string[],
  logger: Logger,
): Promise<Uint8Array | undefined> {
  if (item.sizeBytes !== undefined && item.sizeBytes > maxBytes) {
    notices.push(tooLargeNotice(item, item.sizeBytes, maxBytes));
    return undefined;
  }
  try {
    const bytes = await item.download({ maxBytes, signal: AbortSignal.timeout(timeoutMs) });
    // An adapter that forgot to cap still does not get a larger file through.
    if (bytes.byteLength > maxBytes) {
      notices.push(tooLargeNotice(item, bytes.byteLength, maxBytes));
      return undefined;
    }
    return bytes;
  } catch (error) {
    if (isTooLarge(error)) {
      notices.push(tooLargeNotice(item, (error as { sizeBytes?: number }).sizeBytes, maxBytes));
      return undefined;
    }
    logger.warn("inbound media not downloaded", {
      kind: item.kind,
      platformFileId: item.platformFileId,
      error: (error as Error).message,
    });
    notices.push(`${labelOf(item)} could not be downloaded from the platform; please send it again.`);
    return undefined;
  }
}

/** By class or by code: an adapter bundling its own copy of the SDK throws an equal error of another class. */
function isTooLarge(error: unknown): boolean {
  return error instanceof MediaTooLargeError || (error as { code?: unknown })?.code === "MEDIA_TOO_LARGE";
}

function tooLargeNotice(item: InboundMedia, sizeBytes: number | undefined, maxBytes: number): string {
  const size = sizeBytes === undefined ? "larger than that" : describeSize(sizeBytes);
  return `${labelOf(item)} was not read: it is ${size}; this chat accepts files up to ${describeSize(maxBytes)}.`;
}

const KIND_WORDS: Record<InboundMedia["kind"], string> = {
  image: "The photo",
  audio: "The audio file",
  voice: "The voice note",
  video: "The video",
  document: "The file",
  sticker: "The sticker",
};

function labelOf(item: InboundMedia): string {
  return item.fileName ? `"${item.fileName}"` : KIND_WORDS[item.kind];
}

function hintOf(item: InboundMedia): MediaHint {
  return {
    kind: item.kind,
    ...(item.mimeType === undefined ? {} : { mimeType: item.mimeType }),
    ...(item.fileName === undefined ? {} : { fileName: item.fileName }),
    ...(item.durationSec === undefined ? {} : { durationSec: item.durationSec }),
  };
}
