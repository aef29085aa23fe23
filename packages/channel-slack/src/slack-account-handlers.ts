import type { ChannelAccountContext } from "@openclaw/plugin-sdk";
import type { App } from "@slack/bolt";
import type { SlackConfig } from "./slack-config.js";
import type { SlackConversations } from "./slack-conversations.js";
import {
  isUserMessage,
  type SlackBotIdentity,
  type SlackMessageEvent,
  slackEventToInbound,
} from "./slack-event-to-inbound.js";
import { type SlackFileFetcher, slackFilesToMedia } from "./slack-files.js";
import type { SlackNames } from "./slack-names.js";
import { slackCommandTable, slashCommandToInbound, unknownCommandHint } from "./slack-native-commands.js";
import { type SlackReactionEvent, slackReactionToInbound } from "./slack-reaction-event.js";

// A bolt message and app_mention for the same post arrive as two envelopes; remembering this many keys is plenty.
const SEEN_LIMIT = 1000;

export interface SlackHandlerDeps {
  context: ChannelAccountContext<SlackConfig>;
  identity: SlackBotIdentity;
  names: SlackNames;
  conversations: SlackConversations;
  fetcher: SlackFileFetcher;
  signal: AbortSignal;
}

function describeForLog(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Subscribes the app to what the account hands the gateway: messages (with their files as lazily downloaded media),
 * reactions, and the gateway's commands as slash commands (acknowledged at once: Slack wants an ack within 3 s,
 * the turn may take minutes).
 */
export function registerSlackHandlers(app: App, deps: SlackHandlerDeps): void {
  const { context, identity, names, conversations, signal } = deps;
  const { accountId, logger } = context;
  const handOver = async (what: string, deliver: () => void | Promise<void>) => {
    if (signal.aborted) return;
    try {
      await deliver();
    } catch (error) {
      // One event the gateway failed on must not stop the account; the next event is independent.
      logger.error(`slack inbound ${what} failed in the gateway`, { error: describeForLog(error) });
    }
  };

  const seen = new Set<string>();
  const handleMessage = async ({ event }: { event: unknown }) => {
    const message = event as SlackMessageEvent;
    if (signal.aborted || !isUserMessage(message, identity)) return;
    const key = `${message.channel}:${message.ts}`;
    if (seen.has(key)) return;
    seen.add(key);
    if (seen.size > SEEN_LIMIT) seen.delete(seen.values().next().value as string);
    if (message.channel_type === "im") conversations.learn(message.user ?? "", message.channel ?? "");
    const [senderName, channelName] = await Promise.all([
      names.user(message.user ?? ""),
      message.channel_type === "im" ? undefined : names.channel(message.channel ?? ""),
    ]);
    const media = slackFilesToMedia(message.files ?? [], deps.fetcher);
    const inbound = slackEventToInbound(message, {
      accountId,
      bot: identity,
      ...(senderName === undefined ? {} : { senderName }),
      ...(channelName === undefined ? {} : { channelName }),
      ...(media.length === 0 ? {} : { media }),
    });
    if (inbound !== undefined) await handOver("message", () => context.onInbound(inbound));
  };
  app.event("message", handleMessage);
  app.event("app_mention", handleMessage);

  const handleReaction = async ({ event }: { event: unknown }) => {
    const reaction = event as SlackReactionEvent;
    const onReaction = context.onReaction;
    if (onReaction === undefined || signal.aborted) return;
    const channel = reaction.item?.channel ?? "";
    const [senderName, channelName] = await Promise.all([
      names.user(reaction.user ?? ""),
      channel.startsWith("D") ? undefined : names.channel(channel),
    ]);
    const inbound = slackReactionToInbound(reaction, {
      accountId,
      bot: identity,
      ...(senderName === undefined ? {} : { senderName }),
      ...(channelName === undefined ? {} : { channelName }),
    });
    if (inbound !== undefined) await handOver("reaction", () => onReaction(inbound));
  };
  app.event("reaction_added", handleReaction);
  app.event("reaction_removed", handleReaction);

  // One listener for every command: a command in the app's manifest that the gateway did not hand over still gets
  // its ack (with a hint only the user sees) instead of Slack's "dispatch_failed".
  const gatewayNameOf = new Map(
    slackCommandTable(context.commands ?? []).map((entry) => [entry.slack, entry.name]),
  );
  app.command(/^\//, async ({ command, ack }) => {
    const name = gatewayNameOf.get(command.command);
    if (name === undefined) {
      await ack({ response_type: "ephemeral", text: unknownCommandHint(command.command, gatewayNameOf) });
      return;
    }
    await ack();
    if (command.channel_id.startsWith("D")) conversations.learn(command.user_id, command.channel_id);
    const senderName = await names.user(command.user_id);
    const inbound = slashCommandToInbound(command, {
      accountId,
      name,
      ...(senderName === undefined ? {} : { senderName }),
    });
    await handOver("command", () => context.onInbound(inbound));
  });

  app.error(async (error) => {
    logger.warn("slack event handling failed", { error: describeForLog(error) });
  });
}
