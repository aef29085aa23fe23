import { parseSessionKey, type SessionStoreRow } from "@openclaw/sessions";
import type { SessionInfo, SessionToolKind } from "@openclaw/tools/config";
import type { SubagentRegistry } from "./subagent-registry.js";

/** Where a session's conversation lives on a channel: what a reply to it is sent to. */
export interface ConversationRoute {
  channel: string;
  accountId?: string;
  to: string;
  threadId?: string;
}

/** A session row of the store as the session tools see it, with its sub-agent lineage. */
export function toSessionInfo(
  row: SessionStoreRow,
  o: { registry: SubagentRegistry; isActive: (sessionKey: string) => boolean },
): SessionInfo {
  const parsed = parseSessionKey(row.key);
  const kind = classify(row, parsed?.rest);
  const lineage = o.registry.get(row.key);
  const info: SessionInfo = {
    key: row.key,
    agentId: row.agentId ?? parsed?.agentId ?? "main",
    kind,
    channel: row.channel ?? parsed?.channel ?? (kind === "cron" || kind === "hook" ? "internal" : "unknown"),
    isMain: row.isMain === true,
    spawnDepth: lineage?.depth ?? 0,
    archived: row.archived === true,
    pinned: row.pinned === true,
    running: o.isActive(row.key),
  };
  if (row.sessionId) info.sessionId = row.sessionId;
  if (row.label) info.label = row.label;
  if (row.displayName) info.displayName = row.displayName;
  if (lineage) info.parentSessionKey = lineage.parentKey;
  if (typeof row.updatedAt === "number") info.updatedAt = row.updatedAt;
  if (row.model) info.model = row.model;
  if (row.inputTokens !== undefined) info.inputTokens = row.inputTokens;
  if (row.outputTokens !== undefined) info.outputTokens = row.outputTokens;
  if (row.totalTokens !== undefined) info.totalTokens = row.totalTokens;
  info.messageCount = row.messageCount;
  if (row.lastMessagePreview) info.lastMessagePreview = row.lastMessagePreview;
  return info;
}

function classify(row: SessionStoreRow, rest: string | undefined): SessionToolKind {
  if (row.isMain || row.kind === "global") return "main";
  if (row.kind === "group") return "group";
  const head = rest?.split(":")[0]?.toLowerCase();
  if (head === "cron" || head === "hook" || head === "node") return head;
  return "other";
}

/**
 * The conversation a session key names, when the key carries it: per-channel DM keys
 * (`agent:<id>:<channel>[:<account>]:direct:<peer>`) and group keys (`agent:<id>:<channel>:group:<chat>`), with
 * their thread. Keys without a channel (`agent:<id>:main`, `direct:<peer>`) name none.
 */
export function routeFromSessionKey(sessionKey: string): ConversationRoute | undefined {
  const parsed = parseSessionKey(sessionKey);
  if (!parsed?.channel || !parsed.peerId) return undefined;
  return {
    channel: parsed.channel,
    ...(parsed.accountId ? { accountId: parsed.accountId } : {}),
    to: parsed.peerId,
    ...(parsed.threadId ? { threadId: parsed.threadId } : {}),
  };
}
