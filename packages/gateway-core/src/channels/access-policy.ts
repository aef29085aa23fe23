import type { InboundMessage, SenderIdSpelling } from "@openclaw/plugin-sdk";
import { platformGroupMapKey, platformGroupRule } from "./access-policy-platform-maps.js";

export type DmPolicy = "pairing" | "allowlist" | "open" | "disabled";
export type GroupPolicy = "open" | "allowlist" | "disabled";

export type InboundAccessDecision =
  | { action: "accept" }
  | { action: "pair" }
  | { action: "drop"; reason: string };

const DM_POLICIES: readonly string[] = ["pairing", "allowlist", "open", "disabled"];
const GROUP_POLICIES: readonly string[] = ["open", "allowlist", "disabled"];
const WILDCARD = "*";

interface GroupRule {
  enabled?: unknown;
  requireMention?: unknown;
  allowFrom?: unknown;
  groupPolicy?: unknown;
  topics?: unknown;
}

/**
 * Decides what happens to one inbound message, from the account's resolved config (channel root overlaid with the
 * account). It follows OpenClaw's rules:
 *
 * DMs (`dmPolicy`, default `pairing`): `pairing` accepts `allowFrom` and paired senders and offers everyone else a
 * code; `allowlist` accepts `allowFrom` and paired senders and drops the rest; `open` is public only when `allowFrom`
 * contains `"*"` (otherwise only the listed senders, pairing approvals do not widen it); `disabled` drops every DM.
 *
 * Groups and threads (`groupPolicy`, default `allowlist`): `disabled` drops; `allowlist` requires the group in
 * `groups` (by id or `"*"`) and, when a sender list exists (`groups.<id>.allowFrom`, else `groupAllowFrom`, else
 * `allowFrom`), a listed sender: DM pairing approvals never grant group access; `open` admits any group not set to
 * `enabled: false`. A `groups.<id>.groupPolicy` overrides the sender rule for that group. Then mention gating:
 * `requireMention` (topic > group > `"*"` > account, default true) drops a message that does not mention the bot.
 * Slack's `channels` map and Discord's `guilds` map, when configured, take the place of `groups` (rooms by id, name
 * or `"*"`, senders by the room's `users`/`roles`).
 */
export function decideInboundAccess(
  message: InboundMessage,
  accountConfig: Record<string, unknown>,
  o: {
    isPaired(senderId: string): boolean;
    /** The platform's spelling of sender ids (the plugin's `senderIds`); ids are compared as written without it. */
    senderIds?: SenderIdSpelling | undefined;
  },
): InboundAccessDecision {
  const ids = o.senderIds ?? AS_WRITTEN;
  return message.chatKind === "dm"
    ? decideDirect(message, accountConfig, o, ids)
    : decideGroup(message, accountConfig, ids);
}

function decideDirect(
  message: InboundMessage,
  config: Record<string, unknown>,
  o: { isPaired(senderId: string): boolean },
  ids: SenderIdSpelling,
): InboundAccessDecision {
  const policy = config.dmPolicy ?? "pairing";
  if (typeof policy !== "string" || !DM_POLICIES.includes(policy)) {
    return drop(
      `channels.${message.channel}.dmPolicy ${JSON.stringify(policy)} is not one of ${DM_POLICIES.join(", ")}`,
    );
  }
  if (policy === "disabled") return drop('direct messages are disabled (dmPolicy "disabled")');
  const allowFrom = senderList(config.allowFrom, message.channel, ids) ?? [];
  const senderId = ids.canonical(message.sender.id);
  const listed = allowFrom.includes(senderId);
  if (policy === "open") {
    if (allowFrom.includes(WILDCARD) || listed) return accept();
    return drop(
      `sender ${message.sender.id} is not in allowFrom (dmPolicy "open" is public only with allowFrom ["*"])`,
    );
  }
  if (listed || allowFrom.includes(WILDCARD) || isPairedSender(message, o, ids)) return accept();
  if (policy === "pairing") return { action: "pair" };
  return drop(`sender ${message.sender.id} is not in allowFrom (dmPolicy "allowlist")`);
}

function decideGroup(
  message: InboundMessage,
  config: Record<string, unknown>,
  ids: SenderIdSpelling,
): InboundAccessDecision {
  const chatId = message.chatId ?? message.peer.id;
  const policy = config.groupPolicy ?? "allowlist";
  if (typeof policy !== "string" || !GROUP_POLICIES.includes(policy)) {
    return drop(
      `channels.${message.channel}.groupPolicy ${JSON.stringify(policy)} is not one of ${GROUP_POLICIES.join(", ")}`,
    );
  }
  if (policy === "disabled") return drop('group messages are disabled (groupPolicy "disabled")');

  const { groupRule, rule, senders, roles } = groupRules(message, config, ids);

  const map = platformGroupMapKey(message.channel, config) ?? "groups";
  if (rule.enabled === false) return drop(`group ${chatId} is disabled (${map}.${chatId}.enabled false)`);
  if (policy === "allowlist" && groupRule === undefined) {
    return drop(`group ${chatId} is not in channels.${message.channel}.${map} (groupPolicy "allowlist")`);
  }

  const senderPolicy = rule.groupPolicy ?? policy;
  if (senderPolicy === "disabled") return drop(`group ${chatId} is disabled (groupPolicy "disabled")`);
  if (senderPolicy === "allowlist") {
    if (senders !== undefined && !isNamedSender(message, senders, roles, ids)) {
      return drop(`sender ${message.sender.id} may not trigger the bot in group ${chatId}`);
    }
  }

  const requireMention = rule.requireMention ?? config.requireMention ?? true;
  if (requireMention !== false && !message.mentionsBot) {
    return drop(`group ${chatId} requires a mention and the message does not mention the bot`);
  }
  return accept();
}

/**
 * The group's rule and who may trigger the bot there. Slack and Discord take OpenClaw's platform maps first
 * (`channels` / `guilds`, see access-policy-platform-maps.ts); everything else, and those platforms without a map,
 * use `groups`, where the topic's keys override the group's.
 */
function groupRules(
  message: InboundMessage,
  config: Record<string, unknown>,
  ids: SenderIdSpelling,
): {
  groupRule: Record<string, unknown> | undefined;
  rule: GroupRule;
  senders: string[] | undefined;
  roles?: string[] | undefined;
} {
  if (platformGroupMapKey(message.channel, config) !== undefined) {
    const platform = platformGroupRule(message, config);
    if (platform === undefined) return { groupRule: undefined, rule: {}, senders: undefined };
    const rule: GroupRule = { enabled: platform.enabled, requireMention: platform.requireMention };
    const senders = senderList(platform.users, message.channel, ids);
    const roles = senderList(platform.roles, message.channel, ids);
    // Only roles listed: a sender must hold one of them, so nobody is admitted by id.
    return {
      groupRule: platform.entry,
      rule,
      senders: senders ?? (roles === undefined ? undefined : []),
      roles,
    };
  }
  const chatId = message.chatId ?? message.peer.id;
  const groups = asRecord(config.groups);
  const groupRule = asRecord(groups?.[chatId]) ?? asRecord(groups?.[WILDCARD]);
  const topics = asRecord(groupRule?.topics);
  const topicRule =
    message.threadId === undefined
      ? undefined
      : (asRecord(topics?.[message.threadId]) ?? asRecord(topics?.[WILDCARD]));
  const rule: GroupRule = { ...groupRule, ...topicRule };
  const senders =
    senderList(rule.allowFrom, message.channel, ids) ??
    senderList(config.groupAllowFrom, message.channel, ids) ??
    senderList(config.allowFrom, message.channel, ids);
  return { groupRule, rule, senders };
}

/**
 * Whether a group message's sender is named by the group's sender list (`groups.<id>.allowFrom`, else
 * `groupAllowFrom`, else `allowFrom`; on Slack/Discord rooms `users`/`roles`, else `allowFrom`; `"*"` names everyone). In-chat commands in groups need this, as in OpenClaw:
 * an open group lets anyone talk to the bot but not run its commands.
 */
export function isListedGroupSender(
  message: InboundMessage,
  accountConfig: Record<string, unknown>,
  senderIds: SenderIdSpelling = AS_WRITTEN,
): boolean {
  const { senders, roles } = groupRules(message, accountConfig, senderIds);
  // A Slack/Discord room without `users` or `roles` lets anyone talk; its commands stay with the owners (`allowFrom`).
  const listed =
    senders ??
    (platformGroupMapKey(message.channel, accountConfig) === undefined
      ? undefined
      : senderList(accountConfig.allowFrom, message.channel, senderIds));
  return listed !== undefined && isNamedSender(message, listed, roles, senderIds);
}

/** The sender's id (in the channel's spelling) or `"*"` is in `senders`, or the sender holds one of `roles`. */
function isNamedSender(
  message: InboundMessage,
  senders: string[],
  roles: string[] | undefined,
  ids: SenderIdSpelling,
): boolean {
  const senderId = ids.canonical(message.sender.id);
  if (senders.includes(WILDCARD) || senders.includes(senderId)) return true;
  return roles !== undefined && (message.sender.roleIds ?? []).some((role) => roles.includes(role));
}

/** Ids compared as written, for platforms that declare no spelling of their own. */
const AS_WRITTEN: SenderIdSpelling = { canonical: (id) => id };

function isPairedSender(
  message: InboundMessage,
  o: { isPaired(senderId: string): boolean },
  ids: SenderIdSpelling,
): boolean {
  const canonical = ids.canonical(message.sender.id);
  const candidates = new Set([message.sender.id, canonical, ...(ids.aliases?.(canonical) ?? [])]);
  return [...candidates].some((id) => o.isPaired(id));
}

/**
 * Sender ids as strings; `<channel>:` prefixes (e.g. `telegram:123`) are stripped and each id put in the platform's
 * canonical spelling (WhatsApp: E.164 numbers to digits). Undefined when the key is missing or not a list, so the
 * caller can fall back to the next list as OpenClaw does.
 */
function senderList(value: unknown, channel: string, ids: SenderIdSpelling): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const prefix = `${channel.toLowerCase()}:`;
  return value
    .filter((entry) => typeof entry === "string" || typeof entry === "number")
    .map((entry) => String(entry).trim())
    .map((entry) => (entry.toLowerCase().startsWith(prefix) ? entry.slice(prefix.length).trim() : entry))
    .map((entry) => ids.canonical(entry))
    .filter((entry) => entry.length > 0);
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function accept(): InboundAccessDecision {
  return { action: "accept" };
}

function drop(reason: string): InboundAccessDecision {
  return { action: "drop", reason };
}
