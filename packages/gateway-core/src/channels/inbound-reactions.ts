import type { InboundReaction } from "@openclaw/plugin-sdk";
import { z } from "zod";
import type { InboundAccount } from "./inbound-types.js";

/** A reaction that passed the access policy, with the session of the chat it happened in. */
export interface InboundReactionContext {
  account: InboundAccount;
  reaction: InboundReaction;
  agentId: string;
  sessionKey: string;
}

/** Tells the agent about reactions (the router calls it for each admitted reaction). */
export interface InboundReactionHandler {
  handle(context: InboundReactionContext): Promise<void>;
}

/**
 * OpenClaw's `channels.<id>.reactionNotifications`: `off`, `own` (reactions on the bot's messages, the default),
 * `all`, or `allowlist` (senders in `reactionAllowlist`).
 */
const ReactionNotificationsSchema = z.enum(["off", "own", "all", "allowlist"]);
export type ReactionNotifications = z.infer<typeof ReactionNotificationsSchema>;

const ReactionSettingsSchema = z.looseObject({
  reactionNotifications: ReactionNotificationsSchema.optional(),
  reactionAllowlist: z
    .array(z.union([z.string(), z.number()]).transform((entry) => String(entry)))
    .optional(),
});

/** Longest note text kept (a custom emoji name or a display name can be long). */
const MAX_NOTE_CHARS = 300;

/** A system line in the session's transcript: the agent reads it with its next turn; it starts no turn itself. */
export interface ReactionNoteSink {
  appendTranscript(sessionKey: string, entry: { role: "system"; text: string; ts: number }): Promise<void>;
}

/**
 * Turns reactions into system notes in the chat's session, as OpenClaw enqueues a system event ("Telegram reaction
 * added: 👍 by Alice (@alice) on msg 42") instead of waking the agent for a turn.
 */
export function createReactionNotes(o: {
  sink: ReactionNoteSink;
  now?: () => number;
}): InboundReactionHandler {
  const now = o.now ?? Date.now;
  return {
    async handle({ account, reaction, sessionKey }) {
      const settings = ReactionSettingsSchema.safeParse(account.config);
      if (!settings.success) {
        account.logger.warn(
          "reaction ignored: reactionNotifications is invalid; use off, own, all or allowlist",
          {
            issue: settings.error.issues[0]?.message,
          },
        );
        return;
      }
      const mode = settings.data.reactionNotifications ?? "own";
      if (!wanted(mode, reaction, settings.data.reactionAllowlist ?? [])) return;
      await o.sink.appendTranscript(sessionKey, {
        role: "system",
        text: reactionNoteText(account, reaction),
        ts: now(),
      });
    },
  };
}

function wanted(mode: ReactionNotifications, reaction: InboundReaction, allowlist: string[]): boolean {
  if (mode === "off") return false;
  if (mode === "own") return reaction.onBotMessage;
  if (mode === "allowlist") return allowlist.includes("*") || allowlist.includes(reaction.sender.id);
  return true;
}

export function reactionNoteText(account: Pick<InboundAccount, "plugin">, reaction: InboundReaction): string {
  const who = reaction.sender.name ?? reaction.sender.username ?? reaction.sender.id;
  const handle = reaction.sender.username && reaction.sender.name ? ` (@${reaction.sender.username})` : "";
  const action = reaction.removed ? "removed" : "added";
  const target = reaction.onBotMessage ? "your message" : "msg";
  const text = `${account.plugin.meta.label} reaction ${action}: ${reaction.emoji} by ${who}${handle} on ${target} ${reaction.messageId}`;
  return text.length > MAX_NOTE_CHARS ? `${text.slice(0, MAX_NOTE_CHARS - 1)}…` : text;
}
