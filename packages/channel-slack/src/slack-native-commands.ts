import type { InboundMessage, NativeCommand } from "@openclaw/plugin-sdk";

/** Slack keeps some command names for itself: `/status` is Slack's, so the gateway's is `/agentstatus` there. */
const SLACK_RESERVED: Record<string, string> = { status: "agentstatus" };
// Slack's rule for command names: lowercase, no spaces, at most 32 characters with the slash.
const SLACK_COMMAND_NAME = /^\/[a-z0-9_-]{1,31}$/;

/** The Slack command (`/new`, `/agentstatus`) for a gateway command. */
export function slackCommandFor(name: string): string {
  return `/${SLACK_RESERVED[name] ?? name}`;
}

/** Each gateway command with the Slack command it is registered as; names Slack would refuse are left out. */
export function slackCommandTable(commands: readonly NativeCommand[]): { slack: string; name: string }[] {
  return commands
    .map((command) => ({ slack: slackCommandFor(command.name), name: command.name }))
    .filter((entry) => SLACK_COMMAND_NAME.test(entry.slack));
}

/** What the user sees (only they) after a command of the app's manifest that the gateway does not answer. */
export function unknownCommandHint(command: string, known: ReadonlyMap<string, string>): string {
  const list = [...known.keys()].join(" ");
  return list === ""
    ? `${command} is not enabled: the gateway registers Slack commands when channels.slack.commands.native is true`
    : `${command} is not one of this gateway's commands: ${list}`;
}

/** The fields of a slash command invocation (Slack's form payload) this channel reads. */
export interface SlackSlashCommand {
  command: string;
  text?: string;
  user_id: string;
  user_name?: string;
  channel_id: string;
  channel_name?: string;
  trigger_id: string;
}

/**
 * An invocation as the message the user would have typed: `/<gateway name> <args>`, marked `nativeCommand`. It
 * addresses the bot, so it counts as a mention in channels. A DM (`D…`) is `dm` with the user as peer; elsewhere
 * `group` in the channel it was run in (Slack sends no thread for slash commands).
 */
export function slashCommandToInbound(
  command: SlackSlashCommand,
  o: { accountId: string; name: string; senderName?: string },
): InboundMessage {
  const args = command.text?.trim() ?? "";
  const sender = {
    id: command.user_id,
    ...(o.senderName === undefined ? {} : { name: o.senderName }),
    ...(command.user_name === undefined ? {} : { username: command.user_name }),
  };
  const base = {
    channel: "slack",
    accountId: o.accountId,
    sender,
    text: args === "" ? `/${o.name}` : `/${o.name} ${args}`,
    mentionsBot: true,
    timestamp: Date.now(),
    platformMessageId: command.trigger_id,
    nativeCommand: true,
  };
  if (command.channel_id.startsWith("D")) return { ...base, chatKind: "dm", peer: sender };
  const name =
    command.channel_name === undefined || command.channel_name === ""
      ? {}
      : { name: `#${command.channel_name}` };
  return {
    ...base,
    chatKind: "group",
    chatId: command.channel_id,
    peer: { id: command.channel_id, ...name },
  };
}
