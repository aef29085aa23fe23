import type { ChannelLogger, InboundMessage, NativeCommand } from "@openclaw/plugin-sdk";
import {
  type ApplicationCommandDataResolvable,
  ApplicationCommandOptionType,
  ApplicationIntegrationType,
  type ChatInputCommandInteraction,
  type Client,
  InteractionContextType,
  MessageFlags,
} from "discord.js";

/** Discord's rule for command and option names (lowercase where the script has case). */
const COMMAND_NAME = /^[-_\p{L}\p{N}]{1,32}$/u;
/** The one string option a command with an argument gets; its value follows the name in the text. */
export const COMMAND_ARGS_OPTION = "args";

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The gateway's commands as Discord chat-input commands, usable in servers and in the bot's DMs. */
export function toApplicationCommands(
  commands: NativeCommand[],
  logger: ChannelLogger,
): ApplicationCommandDataResolvable[] {
  const valid: ApplicationCommandDataResolvable[] = [];
  for (const command of commands) {
    const name = command.name.toLowerCase();
    if (!COMMAND_NAME.test(name)) {
      logger.warn("discord skips a command whose name Discord does not accept", { command: command.name });
      continue;
    }
    valid.push({
      name,
      description: clip(command.description.trim() || name, 100),
      contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
      integrationTypes: [ApplicationIntegrationType.GuildInstall],
      ...(command.args === undefined
        ? {}
        : {
            options: [
              {
                type: ApplicationCommandOptionType.String,
                name: COMMAND_ARGS_OPTION,
                description: clip(command.args.trim() || "arguments", 100),
                required: false,
              },
            ],
          }),
    });
  }
  return valid;
}

/**
 * Replaces the application's global commands with the gateway's (one bulk overwrite, `PUT
 * /applications/:id/commands`). A failure is logged: the commands still work typed as text.
 */
export async function registerNativeCommands(
  client: Client<true>,
  commands: NativeCommand[],
  logger: ChannelLogger,
  isStopped: () => boolean,
): Promise<void> {
  try {
    const registered = await client.application.commands.set(toApplicationCommands(commands, logger));
    logger.info("discord application commands registered", { count: registered.size });
  } catch (error) {
    if (isStopped()) return;
    logger.warn("discord could not register application commands; they still work typed as text", {
      error: error instanceof Error ? error.message : String(error),
    });
  }
}

/** `/<name> <args>`, as if the user had typed it. */
function commandText(interaction: ChatInputCommandInteraction): string {
  const args = interaction.options.getString(COMMAND_ARGS_OPTION)?.trim();
  return args ? `/${interaction.commandName} ${args}` : `/${interaction.commandName}`;
}

/**
 * Acknowledges a command within Discord's 3 s (an ephemeral note only the invoker sees; the answer arrives as a
 * normal message in the channel), then returns it as an inbound message. A failed acknowledgement is logged and
 * the command still runs.
 */
export async function acknowledgeCommand(
  interaction: ChatInputCommandInteraction,
  logger: ChannelLogger,
): Promise<void> {
  try {
    await interaction.reply({
      content: `\`${clip(commandText(interaction), 1990)}\``,
      flags: MessageFlags.Ephemeral,
    });
  } catch (error) {
    logger.warn("discord could not acknowledge a command in time; running it anyway", {
      command: interaction.commandName,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}

/** A command invocation as the gateway's inbound message: addressed to the bot, in the channel or DM it came from. */
export function interactionToInbound(
  interaction: ChatInputCommandInteraction,
  context: { accountId: string },
): InboundMessage {
  const { user } = interaction;
  const member = interaction.inCachedGuild() ? interaction.member : undefined;
  const name = member?.displayName ?? user.globalName ?? user.username;
  const base = {
    channel: "discord",
    accountId: context.accountId,
    sender: { id: user.id, name, username: user.username },
    text: commandText(interaction),
    mentionsBot: true,
    nativeCommand: true,
    timestamp: interaction.createdTimestamp,
    platformMessageId: interaction.id,
  };
  const channel = interaction.channel;
  if (interaction.guildId === null || channel?.isDMBased() === true) {
    return { ...base, chatKind: "dm", peer: { id: user.id, name } };
  }
  if (channel?.isThread() === true) {
    const chatId = channel.parentId ?? channel.id;
    return { ...base, chatKind: "thread", chatId, threadId: channel.id, peer: { id: chatId } };
  }
  const channelId = interaction.channelId;
  const channelName = channel !== null && "name" in channel && channel.name ? channel.name : undefined;
  return {
    ...base,
    chatKind: "group",
    chatId: channelId,
    peer: { id: channelId, ...(channelName === undefined ? {} : { name: channelName }) },
  };
}
