import { chunkText } from "@openclaw/plugin-sdk";
import { type Client, DiscordAPIError, RESTJSONErrorCodes, type SendableChannels } from "discord.js";
import { toDiscordChannelError } from "./discord-api-failure.js";
import { DiscordChannelError } from "./discord-channel-error.js";

/** Discord's limit for one message's content. */
export const DISCORD_MAX_TEXT_LENGTH = 2000;

/**
 * The channel a send goes to: `threadId` when given (a thread is a channel), else `to` as a channel id, else `to`
 * as a user id (a DM peer, as inbound DMs report it) whose DM channel is opened on demand.
 */
export async function resolveSendTarget(
  client: Client<true>,
  accountId: string,
  to: string,
  threadId?: string,
): Promise<SendableChannels> {
  const id = threadId ?? to;
  const asDm = async () => client.users.createDM(to);
  let channel = client.channels.cache.get(id) ?? null;
  try {
    if (channel === null && threadId === undefined && client.users.cache.has(to)) channel = await asDm();
    if (channel === null) channel = await client.channels.fetch(id);
  } catch (error) {
    const unknownChannel =
      error instanceof DiscordAPIError && error.code === RESTJSONErrorCodes.UnknownChannel;
    if (!unknownChannel || threadId !== undefined) throw toDiscordChannelError(error, accountId);
    try {
      channel = await asDm();
    } catch (dmError) {
      throw new DiscordChannelError(
        "DISCORD_UNKNOWN_TARGET",
        `Discord has no channel or user ${to} the bot can reach: use a channel id (or a user id for a DM) the bot shares a server with`,
        { cause: dmError },
      );
    }
  }
  if (channel === null || !channel.isSendable()) {
    throw new DiscordChannelError(
      "DISCORD_UNKNOWN_TARGET",
      `Discord channel ${id} cannot take messages: send to a text channel, thread or DM`,
    );
  }
  return channel;
}

/**
 * Posts `text`, split at Discord's 2000-character limit should a caller pass more. Mentions in the agent's text
 * ping users only: an @everyone, @here or role mention written by a model must not notify a whole server.
 */
export async function sendDiscordText(
  channel: SendableChannels,
  accountId: string,
  text: string,
  replyTo?: string,
): Promise<{ messageId: string; messageIds: string[] }> {
  const chunks = text.length > DISCORD_MAX_TEXT_LENGTH ? chunkText(text, DISCORD_MAX_TEXT_LENGTH) : [text];
  const messageIds: string[] = [];
  try {
    for (const [index, content] of chunks.entries()) {
      const sent = await channel.send({
        content,
        allowedMentions: { parse: ["users"], repliedUser: false },
        ...(replyTo !== undefined && index === 0
          ? { reply: { messageReference: replyTo, failIfNotExists: false } }
          : {}),
      });
      messageIds.push(sent.id);
    }
  } catch (error) {
    throw toDiscordChannelError(error, accountId);
  }
  const [first] = messageIds;
  if (first === undefined) {
    throw new DiscordChannelError("DISCORD_API_ERROR", "nothing to send: the text was empty");
  }
  return { messageId: first, messageIds };
}

/**
 * Replaces the text of a message the bot sent (`PATCH`; live drafts edit one message many times, and discord.js's
 * REST queue waits out the per-channel rate limit). Mentions stay as restricted as in {@link sendDiscordText}.
 */
export async function editDiscordText(
  channel: SendableChannels,
  accountId: string,
  messageId: string,
  text: string,
): Promise<void> {
  if (text.length > DISCORD_MAX_TEXT_LENGTH) {
    throw new DiscordChannelError(
      "DISCORD_API_ERROR",
      `an edit has ${text.length} characters, more than Discord's ${DISCORD_MAX_TEXT_LENGTH}: send the rest as new messages`,
    );
  }
  try {
    await channel.messages.edit(messageId, {
      content: text,
      allowedMentions: { parse: ["users"], repliedUser: false },
    });
  } catch (error) {
    throw toDiscordChannelError(error, accountId);
  }
}

export async function deleteDiscordMessage(
  channel: SendableChannels,
  accountId: string,
  messageId: string,
): Promise<void> {
  try {
    await channel.messages.delete(messageId);
  } catch (error) {
    throw toDiscordChannelError(error, accountId);
  }
}
