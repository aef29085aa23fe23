import { resolveChannelAccounts, type SenderIdSpelling } from "@openclaw/plugin-sdk";
import { decideInboundAccess } from "../../channels/access-policy.js";

export type OutboundAccessDecision = { allowed: true } | { allowed: false; reason: string };

/**
 * Whether an agent may message `to` on a channel account: the bot answers only chats it would take a message from.
 * A direct chat passes when the account's DM policy accepts that person as a sender (allowFrom, `"*"`, or an
 * approved pairing; exactly the inbound rule); a group or channel passes when the group policy admits the chat
 * (`groupPolicy` not disabled, the chat in `groups` or `groups["*"]` under "allowlist", not `enabled: false`).
 * Per-sender group lists do not apply: the bot is the sender here. A target either rule admits is allowed.
 */
export function decideOutboundAccess(o: {
  channel: string;
  accountId: string;
  accountConfig: Record<string, unknown>;
  to: string;
  threadId?: string;
  isPaired: (senderId: string) => boolean;
  /** The platform's spelling of sender ids (the plugin's `senderIds`), when its plugin is loaded. */
  senderIds?: SenderIdSpelling | undefined;
}): OutboundAccessDecision {
  const direct = decideInboundAccess(
    {
      channel: o.channel,
      accountId: o.accountId,
      peer: { id: o.to },
      chatKind: "dm",
      sender: { id: o.to },
      text: "",
      mentionsBot: true,
      timestamp: 0,
      platformMessageId: "outbound",
    },
    o.accountConfig,
    { isPaired: o.isPaired, senderIds: o.senderIds },
  );
  if (direct.action === "accept") return { allowed: true };
  const group = groupAdmits(o.accountConfig, o.to, o.threadId);
  if (group === true) return { allowed: true };
  return {
    allowed: false,
    reason: `${o.to} is not a chat channels.${o.channel} accepts messages from (${group}; as a direct chat: ${
      direct.action === "drop" ? direct.reason : "the sender is not paired"
    }): add it to allowFrom or groups, or approve its pairing`,
  };
}

function groupAdmits(
  config: Record<string, unknown>,
  chatId: string,
  threadId: string | undefined,
): true | string {
  const policy = config.groupPolicy ?? "allowlist";
  if (policy === "disabled") return 'group messages are disabled (groupPolicy "disabled")';
  const groups = asRecord(config.groups);
  const rule = asRecord(groups?.[chatId]) ?? asRecord(groups?.["*"]);
  if (policy === "allowlist" && rule === undefined)
    return `group ${chatId} is not in groups (groupPolicy "allowlist")`;
  const topics = asRecord(rule?.topics);
  const topic =
    threadId === undefined ? undefined : (asRecord(topics?.[threadId]) ?? asRecord(topics?.["*"]));
  if ((topic?.enabled ?? rule?.enabled) === false) return `group ${chatId} is disabled (enabled false)`;
  const senderPolicy = topic?.groupPolicy ?? rule?.groupPolicy ?? policy;
  if (senderPolicy === "disabled") return `group ${chatId} is disabled (groupPolicy "disabled")`;
  return true;
}

/** The resolved config (channel root overlaid with the account) of one account, or undefined when not configured. */
export function accountConfigOf(
  channelsConfig: unknown,
  channel: string,
  accountId: string,
): Record<string, unknown> | undefined {
  const section = asRecord(channelsConfig)?.[channel];
  return resolveChannelAccounts(section).find((account) => account.accountId === accountId)?.config;
}

/** The account a send without `accountId` uses, chosen the way the channel manager chooses it. */
export function defaultAccountIdOf(channelsConfig: unknown, channel: string): string {
  const section = asRecord(asRecord(channelsConfig)?.[channel]);
  const accounts = resolveChannelAccounts(section).map((account) => account.accountId);
  const preferred = section?.defaultAccount;
  if (typeof preferred === "string" && accounts.includes(preferred)) return preferred;
  if (accounts.length === 0 || accounts.includes("default")) return "default";
  return accounts[0] ?? "default";
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
