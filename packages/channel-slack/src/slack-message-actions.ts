import { type ChannelLogger, DEFAULT_RATE_LIMIT_POLICY } from "@openclaw/plugin-sdk";
import type { webApi } from "@slack/bolt";
import { platformErrorOf, toSlackChannelError } from "./slack-api-failure.js";
import { SlackChannelError } from "./slack-channel-error.js";
import type { SlackConversations } from "./slack-conversations.js";
import { slackEmojiName } from "./slack-emoji.js";
import { escapeSlackText, markdownToSlackMrkdwn } from "./slack-mrkdwn.js";
import { withRateLimitRetry } from "./slack-send.js";

/** What the edit, delete and reaction calls of one running account share. */
export interface SlackActionTarget {
  client: webApi.WebClient;
  accountId: string;
  conversations: SlackConversations;
  signal: AbortSignal;
  logger: ChannelLogger;
  textFormat: "mrkdwn" | "plain";
}

async function call<T>(target: SlackActionTarget, method: string, run: () => Promise<T>): Promise<T> {
  try {
    return await withRateLimitRetry(run, {
      policy: DEFAULT_RATE_LIMIT_POLICY,
      signal: target.signal,
      logger: target.logger,
      method,
    });
  } catch (error) {
    throw toSlackChannelError(error, target.accountId, method);
  }
}

/** Replaces the text of a bot message (chat.update), e.g. a live draft growing as the model streams. */
export async function editSlackText(
  target: SlackActionTarget,
  options: { to: string; messageId: string; text: string },
): Promise<void> {
  const text =
    target.textFormat === "plain" ? escapeSlackText(options.text) : markdownToSlackMrkdwn(options.text);
  const channel = await call(target, "conversations.open", () => target.conversations.resolve(options.to));
  await call(target, "chat.update", () =>
    target.client.chat.update({ channel, ts: options.messageId, text }),
  );
}

/** Deletes a bot message (chat.delete); one that is gone already counts as deleted. */
export async function deleteSlackMessage(
  target: SlackActionTarget,
  options: { to: string; messageId: string },
): Promise<void> {
  const channel = await call(target, "conversations.open", () => target.conversations.resolve(options.to));
  try {
    await call(target, "chat.delete", () => target.client.chat.delete({ channel, ts: options.messageId }));
  } catch (error) {
    if (platformErrorOf((error as SlackChannelError).cause) !== "message_not_found") throw error;
  }
}

/**
 * Adds or removes the bot's reaction (reactions.add / reactions.remove) by Slack name. Adding one that is there
 * (`already_reacted`) or removing one that is not (`no_reaction`) is the wanted state already, not a failure.
 */
export async function reactOnSlack(
  target: SlackActionTarget,
  options: { to: string; messageId: string; emoji: string; remove?: boolean },
): Promise<void> {
  const name = slackEmojiName(options.emoji);
  if (name === undefined) {
    throw new SlackChannelError(
      "SLACK_API_ERROR",
      `no Slack name is known for the emoji ${options.emoji}: use a Slack emoji name such as "eyes" or "white_check_mark"`,
    );
  }
  const channel = await call(target, "conversations.open", () => target.conversations.resolve(options.to));
  const method = options.remove === true ? "reactions.remove" : "reactions.add";
  const request = { channel, timestamp: options.messageId, name };
  try {
    await call(target, method, () =>
      options.remove === true
        ? target.client.reactions.remove(request)
        : target.client.reactions.add(request),
    );
  } catch (error) {
    const platform = platformErrorOf((error as SlackChannelError).cause);
    if (platform === "already_reacted" || platform === "no_reaction") return;
    throw error;
  }
}
