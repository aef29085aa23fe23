import type { AgentTool } from "@openclaw/agent";
import { z } from "zod";
import { parseToolArgs } from "../fs/fs-tool-context.js";
import type { MessagingPort } from "../ports/messaging-port.js";
import { refuseUnsupportedParams } from "../sessions/refuse-unsupported-params.js";
import { ToolError } from "../tool-error.js";

export const MESSAGE_MAX_CHARS = 32_000;
const ID = z.string().min(1).max(512);

/** OpenClaw's `message` actions; only `send` is implemented here, the rest are refused by name. */
const SUPPORTED_ACTIONS = ["send"] as const;

/** Files one call may send (OpenClaw groups up to 10 photos into an album). */
export const MESSAGE_MAX_MEDIA = 10;
const MEDIA_SOURCE = z.string().min(1).max(4_096);

const AttachmentSchema = z.object({
  type: z.enum(["image", "audio", "video", "file"]).optional(),
  media: MEDIA_SOURCE.optional(),
  mediaUrl: MEDIA_SOURCE.optional(),
  path: MEDIA_SOURCE.optional(),
  filePath: MEDIA_SOURCE.optional(),
  fileUrl: MEDIA_SOURCE.optional(),
  url: MEDIA_SOURCE.optional(),
  name: z.string().max(255).optional(),
  mimeType: z.string().max(255).optional(),
});

const MessageSchema = z.object({
  action: z
    .enum(SUPPORTED_ACTIONS, {
      error:
        'only action "send" is available here (reactions, edits, polls and channel management are not supported)',
    })
    .describe('Select one action. Only "send" is available here.'),
  channel: z.string().min(1).max(64).optional().describe("Channel id, e.g. telegram, slack, discord."),
  target: ID.optional().describe("Peer or chat id to send to; omit to answer this conversation."),
  to: ID.optional().describe("Alias of target."),
  accountId: z.string().min(1).max(128).optional(),
  message: z.string().max(MESSAGE_MAX_CHARS).optional().describe("The text to send."),
  media: MEDIA_SOURCE.optional().describe(
    "A file to send as a photo, voice note, video or document: an http(s) URL or a path in your workspace.",
  ),
  mediaUrl: MEDIA_SOURCE.optional().describe("Alias of media."),
  mediaUrls: z.array(MEDIA_SOURCE).max(MESSAGE_MAX_MEDIA).optional().describe("Several files."),
  path: MEDIA_SOURCE.optional().describe("Alias of media (a workspace path)."),
  filePath: MEDIA_SOURCE.optional().describe("Alias of media (a workspace path)."),
  fileUrl: MEDIA_SOURCE.optional().describe("Alias of media."),
  attachments: z
    .array(AttachmentSchema)
    .max(MESSAGE_MAX_MEDIA)
    .optional()
    .describe("Files; each uses media."),
  caption: z
    .string()
    .max(MESSAGE_MAX_CHARS)
    .optional()
    .describe("Text for the files when message is not given."),
  asVoice: z.boolean().optional().describe("Send audio as a voice note."),
  forceDocument: z.boolean().optional().describe("Send media as a document (no compression)."),
  asDocument: z.boolean().optional().describe("Alias of forceDocument."),
  replyTo: ID.optional().describe("Platform message id to reply to."),
  threadId: z.union([ID, z.number()]).optional(),
  dryRun: z.boolean().optional().describe("Check target and access without sending."),
});

const UNSUPPORTED_SEND_PARAMS = {
  targets: "send to one target per call",
  buffer: "base64 media is not accepted here; write the file into your workspace and pass its path as media",
  effectId: "message effects are not available here",
  effect: "message effects are not available here",
  voiceText: "speech synthesis is not available here; send an audio file with asVoice",
  presentation: "rich presentation blocks are not available here; send plain text",
  silent: "silent sends are not available here",
  quoteText: "quoted replies are not available here; use replyTo",
  delivery: "pinning is not available here",
};

export function createMessageTool(port: MessagingPort): AgentTool {
  return {
    name: "message",
    description:
      'Send a message through a chat channel (action "send"): to this conversation by default, or to target on channel. Text, and files as native photos, voice notes, videos or documents (media: an http(s) URL or a workspace path). Only chats the channel\'s access policy admits can be messaged. Long texts are split at the platform limit.',
    parameters: MessageSchema,
    async execute(rawArgs, ctx) {
      const args = parseToolArgs("message", MessageSchema, rawArgs);
      refuseUnsupportedParams("message", rawArgs, UNSUPPORTED_SEND_PARAMS);
      const media = mediaSourcesOf(args);
      const text = args.message?.trim() ? args.message : (args.caption ?? "");
      if (text.trim() === "" && media.length === 0)
        throw new ToolError("INVALID_ARGUMENTS", 'message: action "send" needs message text or media');
      if (media.length > MESSAGE_MAX_MEDIA) {
        throw new ToolError(
          "INVALID_ARGUMENTS",
          `message: at most ${MESSAGE_MAX_MEDIA} files per call; send the rest in another call`,
        );
      }
      if (args.target !== undefined && args.to !== undefined && args.target !== args.to) {
        throw new ToolError("INVALID_ARGUMENTS", "message: target and to name different chats; pass one");
      }
      const to = args.target ?? args.to;
      const receipt = await port.send({
        requesterSessionKey: ctx.sessionKey,
        requesterAgentId: ctx.agentId,
        text,
        ...(media.length > 0 ? { media } : {}),
        ...(args.asVoice ? { asVoice: true } : {}),
        ...(args.forceDocument || args.asDocument ? { forceDocument: true } : {}),
        ...(args.channel ? { channel: args.channel } : {}),
        ...(args.accountId ? { accountId: args.accountId } : {}),
        ...(to ? { to } : {}),
        ...(args.threadId !== undefined ? { threadId: String(args.threadId) } : {}),
        ...(args.replyTo ? { replyTo: args.replyTo } : {}),
        ...(args.dryRun ? { dryRun: true } : {}),
        ...(ctx.toolCallId ? { idempotencyKey: `${ctx.runId}:${ctx.toolCallId}` } : {}),
      });
      return {
        ok: true,
        action: "send",
        channel: receipt.channel,
        accountId: receipt.accountId,
        to: receipt.to,
        ...(receipt.threadId ? { threadId: receipt.threadId } : {}),
        ...(receipt.dryRun
          ? { dryRun: true }
          : { messageId: receipt.messageIds[0], messageIds: receipt.messageIds }),
      };
    },
  };
}

/** Every file the call names, in OpenClaw's spellings (`media`, `mediaUrl`, `path`, `filePath`, ...), once each. */
function mediaSourcesOf(args: z.infer<typeof MessageSchema>): string[] {
  const single = [args.media, args.mediaUrl, args.path, args.filePath, args.fileUrl];
  const fromAttachments = (args.attachments ?? []).map(
    (item) => item.media ?? item.mediaUrl ?? item.path ?? item.filePath ?? item.fileUrl ?? item.url,
  );
  const all = [...single, ...(args.mediaUrls ?? []), ...fromAttachments].filter(
    (source): source is string => source !== undefined && source.trim() !== "",
  );
  return [...new Set(all.map((source) => source.trim()))];
}
