import { detectMention, type InboundMedia, type InboundMessage } from "@openclaw/plugin-sdk";
import type { SlackFileObject } from "./slack-files.js";

export interface SlackBotIdentity {
  /** The bot user's id (`U...`), as `<@U...>` mentions name it. */
  userId: string;
  botId: string;
  teamId: string;
  name: string;
}

/** The fields of a Slack `message` or `app_mention` event this channel reads. */
export interface SlackMessageEvent {
  type: string;
  subtype?: string;
  channel?: string;
  channel_type?: string;
  user?: string;
  bot_id?: string;
  text?: string;
  ts?: string;
  thread_ts?: string;
  /** On `file_share` messages. */
  files?: SlackFileObject[];
}

/** Subtypes that are still a person writing to the channel; edits, joins, bot posts and the rest are skipped. */
const USER_SUBTYPES = new Set([undefined, "thread_broadcast", "file_share", "me_message"]);

export interface SlackInboundContext {
  accountId: string;
  bot: SlackBotIdentity;
  /** Display names looked up for the sender and the channel, when known. */
  senderName?: string;
  channelName?: string;
  /** The message's files, described for a later download. */
  media?: InboundMedia[];
}

/** Slack's `ts` ("1700000000.000100") is seconds with a per-channel sequence after the dot. */
function tsToMilliseconds(ts: string): number {
  const seconds = Number.parseFloat(ts);
  return Number.isFinite(seconds) ? Math.floor(seconds * 1000) : 0;
}

/** `<@U0BOT> hello` -> `hello`: a leading mention only addresses the bot, the agent needs the rest. */
function withoutLeadingMention(text: string, bot: SlackBotIdentity): string {
  const leading = new RegExp(`^\\s*<@${bot.userId}(?:\\|[^>]*)?>[\\s:,]*`);
  return text.replace(leading, "");
}

/** Slack escapes &, < and > in message text; the agent should read what the user typed. */
function decodeEntities(text: string): string {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

/** Whether this event is a person's message the channel should hand over. */
export function isUserMessage(event: SlackMessageEvent, bot: SlackBotIdentity): boolean {
  if (event.type !== "message" && event.type !== "app_mention") return false;
  if (!USER_SUBTYPES.has(event.subtype)) return false;
  if (event.user === undefined || event.channel === undefined || event.ts === undefined) return false;
  return event.user !== bot.userId && (event.bot_id === undefined || event.bot_id !== bot.botId);
}

/**
 * Normalises one Slack message event for the gateway, or returns undefined for what this channel does not handle
 * (see {@link isUserMessage}). DMs (`channel_type` "im") are `dm` with the user as peer; a reply inside a thread is
 * `thread` with `threadId` = the thread's root `ts`; everything else is `group` with the channel as peer.
 */
export function slackEventToInbound(
  event: SlackMessageEvent,
  context: SlackInboundContext,
): InboundMessage | undefined {
  if (!isUserMessage(event, context.bot)) return undefined;
  const user = event.user as string;
  const channel = event.channel as string;
  const ts = event.ts as string;
  const raw = event.text ?? "";
  const mentionsBot = event.type === "app_mention" || detectMention(raw, { botId: context.bot.userId });
  const sender = { id: user, ...(context.senderName === undefined ? {} : { name: context.senderName }) };
  const base = {
    channel: "slack",
    accountId: context.accountId,
    sender,
    text: decodeEntities(withoutLeadingMention(raw, context.bot)),
    mentionsBot,
    timestamp: tsToMilliseconds(ts),
    platformMessageId: ts,
    ...(context.media === undefined || context.media.length === 0 ? {} : { media: context.media }),
  };
  // app_mention events carry no channel_type; a DM is never delivered as app_mention, so "D..." ids are the check.
  const isDirect =
    event.channel_type === "im" || (event.channel_type === undefined && channel.startsWith("D"));
  if (isDirect) return { ...base, chatKind: "dm", peer: sender };
  const peer = { id: channel, ...(context.channelName === undefined ? {} : { name: context.channelName }) };
  if (event.thread_ts !== undefined && event.thread_ts !== ts) {
    return { ...base, chatKind: "thread", chatId: channel, threadId: event.thread_ts, peer };
  }
  return { ...base, chatKind: "group", chatId: channel, peer };
}
