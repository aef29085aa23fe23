import { z } from "zod";
import { InboundMediaSchema, MAX_DESCRIBED_MEDIA_ITEMS } from "./channel-media.js";

export const ChatKindSchema = z.enum(["dm", "group", "thread"]);
export type ChatKind = z.infer<typeof ChatKindSchema>;

/**
 * One message from a platform, normalised by a channel adapter. Everything downstream (access policy, session
 * keys, the agent) sees only this shape, never the platform's payload.
 */
export const InboundMessageSchema = z
  .object({
    /** The plugin id, e.g. `telegram`. */
    channel: z.string().min(1),
    accountId: z.string().min(1),
    /** Who the conversation is with: the user for a DM, the group or channel otherwise. */
    peer: z.object({ id: z.string().min(1), name: z.string().optional() }),
    chatKind: ChatKindSchema,
    /** The group or channel id; required for `group` and `thread`. */
    chatId: z.string().min(1).optional(),
    /** The thread or topic id inside `chatId`; required for `thread`. */
    threadId: z.string().min(1).optional(),
    /**
     * The server the chat belongs to on platforms that group channels into servers (Discord's guild id), so that
     * per-server config (`channels.discord.guilds.<guildId>`) applies. Absent in DMs and on other platforms.
     */
    guildId: z.string().min(1).max(64).optional(),
    sender: z.object({
      id: z.string().min(1),
      name: z.string().optional(),
      username: z.string().optional(),
      /**
       * The sender's role ids where the platform has server roles (Discord), for `roles` allowlists. Absent when
       * unknown; a Discord member has at most 250 roles.
       */
      roleIds: z.array(z.string().min(1).max(64)).max(250).optional(),
    }),
    /** May be empty, e.g. for a media-only message. */
    text: z.string(),
    /** True when the bot was @-mentioned or replied to; drives mention gating in groups. */
    mentionsBot: z.boolean(),
    replyTo: z.object({ messageId: z.string().min(1), text: z.string().optional() }).optional(),
    /** When the platform received the message, in milliseconds since the epoch. */
    timestamp: z.int().min(0),
    platformMessageId: z.string().min(1),
    /**
     * Photos, documents, voice notes, video and stickers of the message, fetched by the gateway only after the
     * access policy let the message through. A message may carry media and no text. The gateway reads the first
     * `MAX_INBOUND_MEDIA_ITEMS` and tells the sender about the rest.
     */
    media: z.array(InboundMediaSchema).max(MAX_DESCRIBED_MEDIA_ITEMS).optional(),
    /**
     * Set when the message is a native command invocation (Slack slash command, Discord application command,
     * Telegram menu): `text` then holds `/<name> <args>` as if typed.
     */
    nativeCommand: z.boolean().optional(),
  })
  .superRefine((message, context) => {
    if (message.chatKind !== "dm" && message.chatId === undefined) {
      context.addIssue({
        code: "custom",
        path: ["chatId"],
        message: `a ${message.chatKind} message needs chatId (the group or channel id)`,
      });
    }
    if (message.chatKind === "thread" && message.threadId === undefined) {
      context.addIssue({ code: "custom", path: ["threadId"], message: "a thread message needs threadId" });
    }
  });
export type InboundMessage = z.infer<typeof InboundMessageSchema>;
