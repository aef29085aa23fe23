import type { ChannelPlugin, MediaKind, OutboundMedia } from "@openclaw/plugin-sdk";
import type { Logger } from "../logging/logger.js";
import { describeSize, resolveMediaMaxBytes } from "../media/media-size.js";
import { describeError } from "./channel-error.js";

/** One file ready to upload: read from the workspace or the media store, or fetched, and sniffed. */
export interface LoadedMedia {
  data: Uint8Array;
  mimeType: string;
  fileName: string;
  kind: MediaKind;
}

/**
 * What outgoing media needs from the media pipeline (`@openclaw/media`, wired by the runtime): OpenClaw's `MEDIA:`
 * lines, and loading a path (confined to the agent's workspace and the media store), a data URL or an http(s) URL
 * (through the SSRF guard) within a size cap.
 */
export interface OutboundMediaPort {
  parseDirectives(text: string): { text: string; media: string[] };
  load(source: string, o: { agentId?: string; maxBytes: number }): Promise<LoadedMedia>;
}

/** How one item should look on the platform (OpenClaw's `asVoice` / `forceDocument`). */
export interface MediaPresentation {
  asVoice?: boolean;
  forceDocument?: boolean;
}

/**
 * The most bytes one upload may have: `channels.<id>.mediaMaxMb` (the account's config overlays the channel's), else
 * OpenClaw's channel default (Telegram and Discord 100, WhatsApp 50, others 20), within the platform's own limit.
 */
export function outboundMediaMaxBytes(plugin: ChannelPlugin, accountConfig: Record<string, unknown>): number {
  return Math.min(
    resolveMediaMaxBytes(plugin.id, accountConfig),
    plugin.capabilities.maxMediaBytes ?? Number.POSITIVE_INFINITY,
  );
}

export function outboundKind(kind: MediaKind, o: MediaPresentation = {}): NonNullable<OutboundMedia["kind"]> {
  if (o.forceDocument) return "document";
  if (kind === "sticker") return "image";
  if (o.asVoice && (kind === "audio" || kind === "voice")) return "voice";
  return kind;
}

export interface MediaDeliveryTarget {
  plugin: ChannelPlugin;
  accountId: string;
  to: string;
  threadId?: string;
  replyTo?: string;
  /** The agent whose workspace relative paths and `MEDIA:` paths are read from. */
  agentId?: string;
  maxBytes: number;
  logger: Logger;
}

export type MediaItemOutcome =
  | { source: string; sent: true; messageId: string }
  | { source: string; sent: false; fallbackText: string };

function isHttpUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

function displayName(source: string): string {
  if (source.startsWith("data:")) return "an attached file";
  const path = source.split(/[?#]/, 1)[0] ?? source;
  return path.slice(path.replace(/[\\/]+$/, "").lastIndexOf("/") + 1) || source;
}

/** The text sent instead of a file the chat cannot get: the link itself, or a note naming the file and why. */
export function mediaFallbackText(source: string, reason: string): string {
  if (isHttpUrl(source)) return source;
  return `[${displayName(source)} was not sent: ${reason}]`;
}

/**
 * Why a file could not be loaded, in words for the chat: by the media pipeline's error code, never its message (that
 * names the gateway's own paths).
 */
function loadFailureReason(error: unknown, target: MediaDeliveryTarget): string {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case "MEDIA_TOO_LARGE":
      return `it is larger than this chat's limit of ${describeSize(target.maxBytes)}`;
    case "MEDIA_SOURCE_NOT_FOUND":
      return "the file was not found";
    case "MEDIA_SOURCE_OUTSIDE_ROOTS":
      return "it is outside the agent's workspace";
    case "MEDIA_SOURCE_FETCH_FAILED":
    case "BLOCKED_ADDRESS":
    case "FETCH_FAILED":
      return "it could not be downloaded";
    default:
      return "it could not be read";
  }
}

/**
 * Uploads one item as a native photo, voice note, video or document. Never throws for the item itself: a file that
 * cannot be loaded, is too large or is refused by the platform comes back with the text to send instead.
 */
export async function sendMediaItem(
  port: OutboundMediaPort | undefined,
  target: MediaDeliveryTarget,
  source: string,
  o: MediaPresentation & { caption?: string } = {},
): Promise<MediaItemOutcome> {
  const { plugin, logger } = target;
  const sendMedia = plugin.sendMedia;
  if (!plugin.capabilities.media || sendMedia === undefined || port === undefined) {
    const reason = port === undefined ? "media delivery is not set up" : "this channel cannot send files";
    return { source, sent: false, fallbackText: mediaFallbackText(source, reason) };
  }
  let media: LoadedMedia;
  try {
    media = await port.load(source, {
      maxBytes: target.maxBytes,
      ...(target.agentId ? { agentId: target.agentId } : {}),
    });
  } catch (error) {
    logger.warn("outbound media not loaded", { source: displayName(source), error: describeError(error) });
    return { source, sent: false, fallbackText: mediaFallbackText(source, loadFailureReason(error, target)) };
  }
  try {
    const sent = await sendMedia.call(plugin, {
      accountId: target.accountId,
      to: target.to,
      media: {
        data: media.data,
        mimeType: media.mimeType,
        fileName: media.fileName,
        kind: outboundKind(media.kind, o),
      },
      ...(o.caption ? { caption: o.caption } : {}),
      ...(target.threadId ? { threadId: target.threadId } : {}),
      ...(target.replyTo ? { replyTo: target.replyTo } : {}),
    });
    return { source, sent: true, messageId: sent.messageId };
  } catch (error) {
    logger.warn("outbound media refused by the platform; sending a note instead", {
      source: displayName(source),
      mimeType: media.mimeType,
      sizeBytes: media.data.byteLength,
      error: describeError(error),
    });
    return {
      source,
      sent: false,
      fallbackText: mediaFallbackText(source, `the platform refused it (${describeError(error)})`),
    };
  }
}
