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
  replyTo: ID.optional().describe("Platform message id to reply to."),
  threadId: z.union([ID, z.number()]).optional(),
  dryRun: z.boolean().optional().describe("Check target and access without sending."),
});

const UNSUPPORTED_SEND_PARAMS = {
  targets: "send to one target per call",
  media: "media sends are not available here; put a link in the message text",
  buffer: "media sends are not available here; put a link in the message text",
  attachments: "media sends are not available here; put a link in the message text",
  filename: "media sends are not available here",
  caption: "media sends are not available here; use message",
  effectId: "message effects are not available here",
  effect: "message effects are not available here",
  asVoice: "voice notes are not available here",
  voiceText: "voice notes are not available here",
  presentation: "rich presentation blocks are not available here; send plain text",
  silent: "silent sends are not available here",
  forceDocument: "media sends are not available here",
  asDocument: "media sends are not available here",
  quoteText: "quoted replies are not available here; use replyTo",
  delivery: "pinning is not available here",
};

export function createMessageTool(port: MessagingPort): AgentTool {
  return {
    name: "message",
    description:
      'Send a text message through a chat channel (action "send"): to this conversation by default, or to target on channel. Only chats the channel\'s access policy admits can be messaged. Long texts are split at the platform limit.',
    parameters: MessageSchema,
    async execute(rawArgs, ctx) {
      const args = parseToolArgs("message", MessageSchema, rawArgs);
      refuseUnsupportedParams("message", rawArgs, UNSUPPORTED_SEND_PARAMS);
      const text = args.message ?? "";
      if (text.trim() === "")
        throw new ToolError("INVALID_ARGUMENTS", 'message: action "send" needs message text');
      if (args.target !== undefined && args.to !== undefined && args.target !== args.to) {
        throw new ToolError("INVALID_ARGUMENTS", "message: target and to name different chats; pass one");
      }
      const to = args.target ?? args.to;
      const receipt = await port.send({
        requesterSessionKey: ctx.sessionKey,
        requesterAgentId: ctx.agentId,
        text,
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
