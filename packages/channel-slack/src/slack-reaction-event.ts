import type { InboundReaction } from "@openclaw/plugin-sdk";
import { emojiFromSlackName } from "./slack-emoji.js";
import type { SlackBotIdentity } from "./slack-event-to-inbound.js";

/** The fields of a `reaction_added` / `reaction_removed` event this channel reads. */
export interface SlackReactionEvent {
  type: string;
  user?: string;
  reaction?: string;
  /** The author of the reacted message. */
  item_user?: string;
  item?: { type?: string; channel?: string; ts?: string };
  event_ts?: string;
}

export interface SlackReactionContext {
  accountId: string;
  bot: SlackBotIdentity;
  senderName?: string;
  channelName?: string;
}

/**
 * Normalises a reaction on a message for the gateway, or undefined for the bot's own reactions and reactions on
 * files. A DM (`D…`) is `dm` with the user as peer; elsewhere `group` with the channel (Slack does not say whether
 * the message is inside a thread). Standard emoji arrive as unicode, custom ones by their Slack name.
 */
export function slackReactionToInbound(
  event: SlackReactionEvent,
  context: SlackReactionContext,
): InboundReaction | undefined {
  const { user, reaction, item } = event;
  if (event.type !== "reaction_added" && event.type !== "reaction_removed") return undefined;
  if (user === undefined || reaction === undefined || item?.type !== "message") return undefined;
  if (item.channel === undefined || item.ts === undefined || user === context.bot.userId) return undefined;
  const sender = { id: user, ...(context.senderName === undefined ? {} : { name: context.senderName }) };
  const seconds = Number.parseFloat(event.event_ts ?? "");
  const base = {
    channel: "slack",
    accountId: context.accountId,
    sender,
    messageId: item.ts,
    onBotMessage: event.item_user === context.bot.userId,
    emoji: emojiFromSlackName(reaction).slice(0, 128),
    removed: event.type === "reaction_removed",
    timestamp: Number.isFinite(seconds) ? Math.floor(seconds * 1000) : Date.now(),
  };
  if (item.channel.startsWith("D")) return { ...base, chatKind: "dm", peer: sender };
  const peer = {
    id: item.channel,
    ...(context.channelName === undefined ? {} : { name: context.channelName }),
  };
  return { ...base, chatKind: "group", chatId: item.channel, peer };
}
