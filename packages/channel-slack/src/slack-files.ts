import {
  type InboundMedia,
  MAX_INBOUND_MEDIA_ITEMS,
  type MediaDownloadOptions,
  type MediaKind,
  MediaTooLargeError,
  readBodyCapped,
} from "@openclaw/plugin-sdk";
import { SlackChannelError } from "./slack-channel-error.js";

/** The fields of a Slack file object (`files[]` of a message event) this channel reads. */
export interface SlackFileObject {
  id?: string;
  name?: string;
  title?: string;
  mimetype?: string;
  size?: number;
  /** "hosted"; "tombstone" for a deleted file, "hidden_by_limit" on a free plan's old files. */
  mode?: string;
  /** Slack's clips: "slack_audio" (audio clip), "slack_video" (video clip). */
  subtype?: string;
  duration_ms?: number;
  url_private?: string;
  url_private_download?: string;
  /** "check_file_info" for files of Slack Connect channels the event does not describe in full. */
  file_access?: string;
}

export interface SlackFileFetcher {
  /** The bot token, sent only to Slack's file hosts (or the configured Web API's own host). */
  botToken: string;
  /** The configured Web API root; a test fake or proxy serves the files on the same origin. */
  apiUrl: string;
  /** Aborted when the account stops. */
  signal: AbortSignal;
}

// Slack names recorded clips audio_message.<ext>; some arrive without `subtype` and labelled video/mp4.
const AUDIO_CLIP_NAME = /^audio_message\.[a-z0-9]+$/i;

function kindOf(file: SlackFileObject): MediaKind {
  if (file.subtype === "slack_audio") return "voice";
  if (file.subtype === undefined && AUDIO_CLIP_NAME.test(file.name ?? "")) return "voice";
  if (file.subtype === "slack_video") return "video";
  const type = file.mimetype?.split("/")[0];
  if (type === "image" || type === "audio" || type === "video") return type;
  return "document";
}

/** Slack's file hosts (slack.com, GovSlack) over https, or the configured Web API's origin (a fake, a proxy). */
function mayCarryToken(url: URL, apiUrl: string): boolean {
  if (url.origin === new URL(apiUrl).origin) return true;
  const host = url.hostname;
  return (
    url.protocol === "https:" &&
    (host.endsWith(".slack.com") || host === "slack.com" || host.endsWith(".slack-gov.com"))
  );
}

function unavailable(file: SlackFileObject, why: string): SlackChannelError {
  return new SlackChannelError(
    "SLACK_FILE_UNAVAILABLE",
    `the Slack file ${file.name ?? file.id ?? "(unnamed)"} cannot be downloaded: ${why}`,
  );
}

async function downloadSlackFile(
  file: SlackFileObject,
  fetcher: SlackFileFetcher,
  { maxBytes, signal }: MediaDownloadOptions,
): Promise<Uint8Array> {
  if (file.size !== undefined && file.size > maxBytes) throw new MediaTooLargeError(maxBytes, file.size);
  if (file.mode === "tombstone") throw unavailable(file, "it was deleted");
  if (file.mode === "hidden_by_limit") throw unavailable(file, "the workspace's plan hides files this old");
  const link = file.url_private_download ?? file.url_private;
  if (link === undefined)
    throw unavailable(file, "Slack sent no download URL (re-share it in the conversation)");
  const url = new URL(link);
  if (!mayCarryToken(url, fetcher.apiUrl)) {
    throw unavailable(
      file,
      `its URL is not on a Slack file host (${url.host}), so the bot token is not sent there`,
    );
  }
  const response = await fetch(url, {
    headers: { authorization: `Bearer ${fetcher.botToken}` },
    signal: AbortSignal.any([signal, fetcher.signal]),
  });
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw unavailable(file, `Slack answered HTTP ${response.status}`);
  }
  // Without access Slack answers with its HTML sign-in page rather than an error status.
  const contentType = response.headers.get("content-type") ?? "";
  if (contentType.startsWith("text/html") && file.mimetype !== "text/html") {
    await response.body?.cancel().catch(() => undefined);
    throw unavailable(
      file,
      "Slack answered with its sign-in page: add the files:read scope and reinstall the app",
    );
  }
  return readBodyCapped(response, maxBytes);
}

/**
 * Describes the files of a message as media the gateway may download later (after its access policy). Every file
 * is described, so one Slack cannot serve still reaches the sender as a notice instead of vanishing.
 */
export function slackFilesToMedia(
  files: readonly SlackFileObject[],
  fetcher: SlackFileFetcher,
): InboundMedia[] {
  return files.slice(0, MAX_INBOUND_MEDIA_ITEMS).map((file) => {
    const durationSec = file.duration_ms === undefined ? undefined : file.duration_ms / 1000;
    return {
      kind: kindOf(file),
      ...(file.mimetype === undefined ? {} : { mimeType: file.mimetype }),
      ...(file.name === undefined ? {} : { fileName: file.name.slice(0, 255) }),
      ...(file.size === undefined ? {} : { sizeBytes: file.size }),
      ...(durationSec === undefined ? {} : { durationSec }),
      ...(file.id === undefined ? {} : { platformFileId: file.id }),
      download: (options: MediaDownloadOptions) => downloadSlackFile(file, fetcher, options),
    };
  });
}
