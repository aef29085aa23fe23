import { z } from "zod";

/**
 * OpenClaw's `messages` section, as far as this gateway acts on it: the acknowledgement reaction on inbound
 * messages. Its other keys (reply prefixes, queues, group chat history, status reactions) are reported as not
 * implemented.
 */
export const MessagesConfigSchema = z
  .looseObject({
    /** The emoji put on an inbound message when it is picked up (default 👀; `""` turns it off). */
    ackReaction: z.string().max(64).optional(),
    /** Which messages get it (default `group-mentions`: mentioned group messages, no DMs). */
    ackReactionScope: z.enum(["group-mentions", "group-all", "direct", "all", "off", "none"]).optional(),
    /** Take the reaction off once the answer is out (OpenClaw keeps it; older OpenClaw configs set this). */
    removeAckAfterReply: z.boolean().optional(),
  })
  .meta({ title: "Messages", description: "messages.*: the acknowledgement reaction of inbound messages." });
export type MessagesConfig = z.infer<typeof MessagesConfigSchema>;
