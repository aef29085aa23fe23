import { z } from "zod";

/**
 * OpenClaw's `messages` section, as far as this gateway acts on it: the acknowledgement reaction on inbound
 * messages, the reply prefix and the group mention patterns. Its other keys (queues, group chat history, status
 * reactions) are reported as not implemented.
 */
export const MessagesConfigSchema = z
  .looseObject({
    /** The emoji put on an inbound message when it is picked up (default 👀; `""` turns it off). */
    ackReaction: z.string().max(64).optional(),
    /** Which messages get it (default `group-mentions`: mentioned group messages, no DMs). */
    ackReactionScope: z.enum(["group-mentions", "group-all", "direct", "all", "off", "none"]).optional(),
    /** Take the reaction off once the answer is out (OpenClaw keeps it; older OpenClaw configs set this). */
    removeAckAfterReply: z.boolean().optional(),
    /**
     * Put in front of every answer sent to a channel (`channels.<id>.responsePrefix` and its accounts' win; `""`
     * stops the cascade). Template variables: {model}, {modelFull}, {provider}, {thinkingLevel} / {think},
     * {identity.name}; `"auto"` is `[{identity.name}]`.
     */
    responsePrefix: z.string().max(256).optional().meta({
      title: "Reply prefix",
      description:
        'Text before every channel answer, e.g. "🦞" or "[{model}]"; "auto" is [agent name]. Channels and accounts can set their own.',
    }),
    groupChat: z
      .looseObject({
        /** Used for agents without their own `groupChat.mentionPatterns`. */
        mentionPatterns: z.array(z.string().min(1).max(200)).max(50).optional().meta({
          title: "Group mention patterns",
          description:
            "Case-insensitive regular expressions; a group message matching one counts as mentioning the agent.",
        }),
      })
      .optional(),
  })
  .meta({
    title: "Messages",
    description: "messages.*: the acknowledgement reaction, the reply prefix and group mention patterns.",
  });
export type MessagesConfig = z.infer<typeof MessagesConfigSchema>;
