import type { ChannelAccountContext } from "@openclaw/plugin-sdk";
import {
  type Client,
  Events,
  type Message,
  MessageFlags,
  type MessageReaction,
  type PartialMessageReaction,
  type PartialUser,
  type User,
} from "discord.js";
import { acknowledgeCommand, interactionToInbound } from "./discord-commands.js";
import type { DiscordConfig } from "./discord-config.js";
import { discordMessageToInbound } from "./discord-message-to-inbound.js";
import { discordReactionToInbound, type SentMessageIds } from "./discord-reactions.js";

function describeForLog(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Forwards messages, reactions and command invocations to the gateway. Each handler is independent: one the
 * gateway fails on is logged and the account keeps running.
 */
export function listenForInbound(
  client: Client,
  context: ChannelAccountContext<DiscordConfig>,
  deps: { signal: AbortSignal; sent: SentMessageIds; isStopped: () => boolean },
): void {
  const { accountId, logger } = context;
  const live = (): Client<true> | undefined => (deps.isStopped() || !client.isReady() ? undefined : client);

  client.on(Events.MessageCreate, async (message: Message) => {
    const ready = live();
    if (ready === undefined) return;
    // The gateway echoes the bot's sends; remembering them covers sends made by other processes of this bot too.
    if (message.author.id === ready.user.id) deps.sent.add(message.id);
    const inbound = discordMessageToInbound(message, {
      accountId,
      botId: ready.user.id,
      signal: deps.signal,
    });
    if (inbound === undefined) return;
    try {
      await context.onInbound(inbound);
    } catch (error) {
      logger.error("discord inbound message failed in the gateway", { error: describeForLog(error) });
    }
  });

  const onReaction =
    (removed: boolean) =>
    async (reaction: MessageReaction | PartialMessageReaction, user: User | PartialUser) => {
      const ready = live();
      if (ready === undefined || context.onReaction === undefined) return;
      const inbound = discordReactionToInbound(reaction, user, {
        accountId,
        client: ready,
        sent: deps.sent,
        removed,
      });
      if (inbound === undefined) return;
      try {
        await context.onReaction(inbound);
      } catch (error) {
        logger.error("discord reaction failed in the gateway", { error: describeForLog(error) });
      }
    };
  client.on(Events.MessageReactionAdd, onReaction(false));
  client.on(Events.MessageReactionRemove, onReaction(true));

  const commandNames = new Set((context.commands ?? []).map((command) => command.name.toLowerCase()));
  client.on(Events.InteractionCreate, async (interaction) => {
    if (live() === undefined || !interaction.isChatInputCommand()) return;
    if (!commandNames.has(interaction.commandName)) {
      // Left over from an earlier command list (Discord caches it in clients); an unanswered one shows an error.
      await interaction
        .reply({
          content: `/${interaction.commandName} is not available any more.`,
          flags: MessageFlags.Ephemeral,
        })
        .catch((error: unknown) =>
          logger.warn("discord could not answer a stale command", { error: describeForLog(error) }),
        );
      return;
    }
    await acknowledgeCommand(interaction, logger);
    try {
      await context.onInbound(interactionToInbound(interaction, { accountId }));
    } catch (error) {
      logger.error("discord command failed in the gateway", {
        command: interaction.commandName,
        error: describeForLog(error),
      });
    }
  });
}
