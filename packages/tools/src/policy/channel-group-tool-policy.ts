import { matchToolsBySender, type SenderIdentity } from "./sender-tool-policy.js";
import { type ToolPolicyRule, ToolPolicyRuleSchema, ToolsBySenderSchema } from "./tool-policy-config.js";

export interface GroupToolContext extends SenderIdentity {
  channel?: string;
  accountId?: string;
  chatType?: "direct" | "group" | "channel";
  groupId?: string;
  threadId?: string;
}

/** The rule a channel group sets, with its config path; `invalid` says why the rule written there cannot be used. */
export type GroupToolRule =
  | { label: string; rule: ToolPolicyRule; invalid?: undefined }
  | { label: string; rule?: undefined; invalid: string };

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** An account's own `groups` replaces the channel's, as the channel's access policy reads them. */
function groupsFor(
  channels: unknown,
  channel: string,
  accountId: string | undefined,
): { groups: Record<string, unknown>; path: string } | undefined {
  const section = asRecord(asRecord(channels)?.[channel]);
  if (!section) return undefined;
  const account = accountId ? asRecord(asRecord(section.accounts)?.[accountId]) : undefined;
  const accountGroups = asRecord(account?.groups);
  if (accountGroups)
    return { groups: accountGroups, path: `channels.${channel}.accounts.${accountId}.groups` };
  const groups = asRecord(section.groups);
  return groups ? { groups, path: `channels.${channel}.groups` } : undefined;
}

function findGroupKey(groups: Record<string, unknown>, ids: readonly string[]): string | undefined {
  for (const id of ids) {
    if (Object.hasOwn(groups, id)) return id;
    const folded = id.toLowerCase();
    const key = Object.keys(groups).find(
      (candidate) => candidate !== "*" && candidate.toLowerCase() === folded,
    );
    if (key) return key;
  }
  return undefined;
}

function describeIssue(error: { issues: readonly { path: PropertyKey[]; message: string }[] }): string {
  const issue = error.issues[0];
  if (!issue) return "invalid";
  const where = issue.path.map(String).join(".");
  return where ? `${where}: ${issue.message}` : issue.message;
}

/** The group node's `toolsBySender` match for the sender, else its `tools`; undefined when it sets neither. */
function nodeRule(
  node: Record<string, unknown>,
  path: string,
  sender: SenderIdentity,
): GroupToolRule | undefined {
  if (node.toolsBySender !== undefined) {
    const bySender = ToolsBySenderSchema.safeParse(node.toolsBySender);
    if (!bySender.success) return { label: `${path}.toolsBySender`, invalid: describeIssue(bySender.error) };
    const match = matchToolsBySender(bySender.data, sender);
    if (match) return { label: `${path}.toolsBySender["${match.key}"]`, rule: match.value };
  }
  if (node.tools === undefined) return undefined;
  const tools = ToolPolicyRuleSchema.safeParse(node.tools);
  if (!tools.success) return { label: `${path}.tools`, invalid: describeIssue(tools.error) };
  return { label: `${path}.tools`, rule: tools.data };
}

/**
 * The tool rule of the group or channel a run belongs to (docs: channels/groups.md "Tool restrictions"): the
 * group's own `toolsBySender` match, else its `tools`, else the same from the default group `"*"`. Forum topics are
 * looked up as `<chat>:topic:<thread>` first, then as the chat. Undefined outside groups or when nothing is set.
 */
export function resolveGroupToolRule(
  channels: unknown,
  context: GroupToolContext,
): GroupToolRule | undefined {
  const { channel, groupId } = context;
  if (!channel || !groupId || context.chatType === "direct") return undefined;
  const found = groupsFor(channels, channel.toLowerCase(), context.accountId);
  if (!found) return undefined;
  const sender = { ...context, channel };
  const ids = context.threadId ? [`${groupId}:topic:${context.threadId}`, groupId] : [groupId];
  const key = findGroupKey(found.groups, ids);
  const selected = key === undefined ? undefined : asRecord(found.groups[key]);
  const own = selected ? nodeRule(selected, `${found.path}["${key}"]`, sender) : undefined;
  if (own) return own;
  const defaults = asRecord(found.groups["*"]);
  return defaults ? nodeRule(defaults, `${found.path}["*"]`, sender) : undefined;
}
