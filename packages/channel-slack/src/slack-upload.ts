import { chunkText, DEFAULT_RATE_LIMIT_POLICY, type OutboundMedia } from "@openclaw/plugin-sdk";
import { toSlackChannelError } from "./slack-api-failure.js";
import { SlackChannelError } from "./slack-channel-error.js";
import type { SlackActionTarget } from "./slack-message-actions.js";
import { escapeSlackText, markdownToSlackMrkdwn } from "./slack-mrkdwn.js";
import { sendSlackText, withRateLimitRetry } from "./slack-send.js";

export interface SendSlackMediaOptions {
  to: string;
  media: OutboundMedia;
  caption?: string;
  threadTs?: string;
  /** The account's outbound cap (`mediaMaxMb`, else Slack's own 1 GB). */
  maxBytes: number;
  /** A caption longer than this goes partly into follow-up messages. */
  maxTextLength: number;
}

interface CompletedUpload {
  files?: { id?: string; shares?: Record<string, Record<string, { ts?: string }[]>> }[];
}

function fileNameFor(media: OutboundMedia): string {
  if (media.fileName !== undefined && media.fileName !== "") return media.fileName;
  const subtype = media.mimeType.split("/")[1]?.split(/[;+]/)[0] ?? "bin";
  const extension = subtype
    .replace(/^x-/, "")
    .replace("jpeg", "jpg")
    .replace("mpeg", "mp3")
    .replace("plain", "txt");
  return `${media.kind ?? "file"}.${extension}`;
}

/** The ts of the file-share message when Slack already lists it (it may fill `shares` only later). */
function shareTs(completions: CompletedUpload[], channel: string): string | undefined {
  for (const completion of completions) {
    for (const file of completion.files ?? []) {
      for (const visibility of Object.values(file.shares ?? {})) {
        const ts = visibility[channel]?.[0]?.ts;
        if (ts !== undefined) return ts;
      }
    }
  }
  return undefined;
}

/**
 * Uploads one file with files.uploadV2 (files.getUploadURLExternal, the bytes to the returned URL,
 * files.completeUploadExternal sharing it into the conversation and thread with the caption as its comment).
 * Media given only as a URL is posted as a link: Slack uploads take bytes. Returns the share message's ts when Slack
 * reports it, else the file id.
 */
export async function sendSlackMedia(
  target: SlackActionTarget,
  options: SendSlackMediaOptions,
): Promise<{ messageId: string }> {
  const { media } = options;
  const textOptions = {
    client: target.client,
    accountId: target.accountId,
    signal: target.signal,
    logger: target.logger,
    textFormat: target.textFormat,
    conversations: target.conversations,
    ...(options.threadTs === undefined ? {} : { threadTs: options.threadTs }),
  };
  if (media.data === undefined) {
    if (media.url === undefined) {
      throw new SlackChannelError("SLACK_API_ERROR", "sendMedia needs the media's bytes (data) or a url");
    }
    const text = options.caption === undefined ? media.url : `${options.caption}\n${media.url}`;
    return sendSlackText({ ...textOptions, channel: options.to, text });
  }
  if (media.data.byteLength > options.maxBytes) {
    throw new SlackChannelError(
      "SLACK_MEDIA_TOO_LARGE",
      `the file has ${media.data.byteLength} bytes, more than this Slack account sends (${options.maxBytes}): ` +
        "raise channels.slack.mediaMaxMb or send a link",
    );
  }
  const [comment, ...rest] =
    options.caption === undefined || options.caption === ""
      ? []
      : chunkText(options.caption, options.maxTextLength);
  const channel = await target.conversations.resolve(options.to).catch((error: unknown) => {
    throw toSlackChannelError(error, target.accountId, "conversations.open");
  });
  const initialComment =
    comment === undefined
      ? undefined
      : target.textFormat === "plain"
        ? escapeSlackText(comment)
        : markdownToSlackMrkdwn(comment);
  const destination =
    options.threadTs === undefined
      ? { channel_id: channel }
      : { channel_id: channel, thread_ts: options.threadTs };
  let completions: CompletedUpload[];
  try {
    const uploaded = await withRateLimitRetry(
      () =>
        target.client.files.uploadV2({
          ...destination,
          file: Buffer.from(media.data as Uint8Array),
          filename: fileNameFor(media),
          ...(initialComment === undefined ? {} : { initial_comment: initialComment }),
        }),
      {
        policy: DEFAULT_RATE_LIMIT_POLICY,
        signal: target.signal,
        logger: target.logger,
        method: "files.uploadV2",
      },
    );
    completions = (uploaded as { files?: CompletedUpload[] }).files ?? [];
  } catch (error) {
    throw toSlackChannelError(error, target.accountId, "files.uploadV2");
  }
  for (const part of rest) await sendSlackText({ ...textOptions, channel, text: part });
  const messageId = shareTs(completions, channel) ?? completions[0]?.files?.[0]?.id;
  if (messageId === undefined) {
    throw new SlackChannelError("SLACK_API_ERROR", "Slack files.completeUploadExternal returned no file");
  }
  return { messageId };
}
