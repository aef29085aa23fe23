import type { InboundMessage, SenderIdSpelling } from "@openclaw/plugin-sdk";
import { isListedGroupSender } from "../channels/access-policy.js";
import type { CommandsConfig } from "./commands-config.js";

/**
 * What a sender may run: every command, only a fresh session (`/new`, `/reset`: a non-owner when
 * `commands.ownerAllowFrom` is set), or nothing.
 */
export type CommandAccess = "all" | "reset-only" | "denied";

const WILDCARD = "*";

/**
 * OpenClaw's command authorisation for one message the access policy already let through:
 * - `commands.allowFrom` (the channel's list, else `"*"`'s), when set, is the only rule;
 * - otherwise a DM sender is authorised by being let through (listed in `allowFrom` or paired), and a group sender
 *   only when the group's sender list names them (an open group may talk to the bot, not command it);
 * - `commands.ownerAllowFrom`, when set, leaves non-owners `/new` and `/reset` only.
 */
export function resolveCommandAccess(
  message: InboundMessage,
  accountConfig: Record<string, unknown>,
  commands: CommandsConfig,
  senderIds?: SenderIdSpelling,
): CommandAccess {
  const commandSenders = commands.allowFrom?.[message.channel] ?? commands.allowFrom?.[WILDCARD];
  if (commandSenders !== undefined) {
    return matches(commandSenders, message) ? ownerAccess(message, commands) : "denied";
  }
  const admitted = message.chatKind === "dm" || isListedGroupSender(message, accountConfig, senderIds);
  return admitted ? ownerAccess(message, commands) : "denied";
}

function ownerAccess(message: InboundMessage, commands: CommandsConfig): CommandAccess {
  const owners = (commands.ownerAllowFrom ?? [])
    .map((entry) => String(entry).trim())
    .filter((entry) => entry !== WILDCARD && entry !== "");
  if (owners.length === 0) return "all";
  return matches(owners, message) ? "all" : "reset-only";
}

/** Entries are ids, `<channel>:<id>` or Discord-style `user:<id>`; `"*"` matches everyone. */
function matches(entries: readonly (string | number)[], message: InboundMessage): boolean {
  const channelPrefix = `${message.channel.toLowerCase()}:`;
  return entries.some((raw) => {
    let entry = String(raw).trim();
    if (entry === WILDCARD) return true;
    if (entry.toLowerCase().startsWith(channelPrefix)) entry = entry.slice(channelPrefix.length);
    if (entry.toLowerCase().startsWith("user:")) entry = entry.slice("user:".length);
    return entry === message.sender.id;
  });
}
