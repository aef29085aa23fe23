import type { ChannelLogger, NativeCommand } from "@openclaw/plugin-sdk";
import type { Api } from "grammy";
import type { MessageEntity } from "grammy/types";
import { toGrammySignal } from "./grammy-signal.js";
import { toTelegramChannelError } from "./telegram-api-failure.js";

const COMMAND_NAME = /^[a-z0-9_]{1,32}$/;
const MAX_COMMANDS = 100;
const MAX_DESCRIPTION_LENGTH = 256;

/** Telegram's command list for `setMyCommands`: valid names only, at most 100, descriptions within 256 characters. */
export function toBotCommands(
  commands: readonly NativeCommand[],
  logger: ChannelLogger,
): { command: string; description: string }[] {
  const list: { command: string; description: string }[] = [];
  for (const command of commands) {
    if (!COMMAND_NAME.test(command.name)) {
      logger.debug("telegram skips a command name it cannot register", { command: command.name });
      continue;
    }
    const description = (
      command.args ? `${command.description} ${command.args}` : command.description
    ).trim();
    list.push({
      command: command.name,
      description: (description || command.name).slice(0, MAX_DESCRIPTION_LENGTH),
    });
  }
  return list.slice(0, MAX_COMMANDS);
}

/** Registers the gateway's commands as the bot's command menu. A failure is logged: commands still work typed. */
export async function registerNativeCommands(
  api: Api,
  commands: readonly NativeCommand[],
  context: { accountId: string; logger: ChannelLogger; signal: AbortSignal },
): Promise<void> {
  const list = toBotCommands(commands, context.logger);
  if (list.length === 0) return;
  try {
    await api.setMyCommands(list, {}, toGrammySignal(context.signal));
  } catch (error) {
    if (context.signal.aborted) return;
    context.logger.warn(
      "telegram setMyCommands failed; the command menu is not shown, typed commands still work",
      {
        error: toTelegramChannelError(error, context.accountId).message,
      },
    );
  }
}

export interface ParsedCommand {
  /** Lowercase, without the slash and the bot's name. */
  name: string;
  args: string;
  /** The bot named after `@` (`/status@openclaw_bot`), when one is. */
  addressedTo?: string;
}

/** The command a message starts with (Telegram marks it with a `bot_command` entity at offset 0). */
export function parseLeadingCommand(
  text: string,
  entities: readonly MessageEntity[],
): ParsedCommand | undefined {
  const entity = entities.find((candidate) => candidate.type === "bot_command" && candidate.offset === 0);
  if (entity === undefined) return undefined;
  const token = text.slice(1, entity.length);
  const at = token.indexOf("@");
  const name = (at === -1 ? token : token.slice(0, at)).toLowerCase();
  if (name === "") return undefined;
  const args = text.slice(entity.length).trim();
  return at === -1 ? { name, args } : { name, args, addressedTo: token.slice(at + 1) };
}
