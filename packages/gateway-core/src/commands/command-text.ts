/** A message that is one in-chat command: `/name args`, the name lowercased. */
export interface ParsedCommand {
  name: string;
  args: string;
}

/** Longest command name considered; anything longer is ordinary text that happens to start with a slash. */
const MAX_NAME_LENGTH = 32;
const COMMAND_PATTERN = /^\/([a-z][a-z0-9_-]*)(?:@[A-Za-z0-9_]+)?(?::|(?=\s)|$)\s*([\s\S]*)$/i;

/**
 * Reads a command the way OpenClaw does: the message must start with `/`; `/think: high` (a colon after the name)
 * and Telegram's `/stop@MyBot` (the bot's username, added by group menus) are accepted. A path such as
 * `/usr/bin` or a name over 32 characters is not a command.
 */
export function parseCommandText(text: string): ParsedCommand | undefined {
  const match = COMMAND_PATTERN.exec(text.trim());
  if (!match) return undefined;
  const name = (match[1] as string).toLowerCase();
  if (name.length > MAX_NAME_LENGTH) return undefined;
  return { name, args: (match[2] ?? "").trim() };
}
