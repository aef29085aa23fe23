import type { SessionRow } from "@openclaw/protocol";
import { z } from "zod";
import { parseSessionKey } from "./session-key.js";

/** Session ids we generate are UUIDs; ids read from disk must at least be safe as a file name. */
export const SESSION_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * One value of `sessions.json` (a map `sessionKey -> entry`, as OpenClaw's file store wrote it).
 * Loose: fields another writer added (OpenClaw has many) survive a rewrite untouched.
 */
export const StoredSessionEntrySchema = z.looseObject({
  sessionId: z.string().regex(SESSION_ID_PATTERN),
  updatedAt: z.number(),
  createdAt: z.number().optional(),
  sessionStartedAt: z.number().optional(),
  label: z.string().optional(),
  icon: z.string().optional(),
  color: z.string().optional(),
  category: z.string().optional(),
  displayName: z.string().optional(),
  channel: z.string().optional(),
  accountId: z.string().optional(),
  chatType: z.string().optional(),
  archivedAt: z.number().optional(),
  pinnedAt: z.number().optional(),
  markedUnreadAt: z.number().optional(),
  lastReadAt: z.number().optional(),
  model: z.string().optional(),
  thinkingLevel: z.string().optional(),
  verboseLevel: z.string().optional(),
  sendPolicy: z.string().optional(),
  groupActivation: z.string().optional(),
  inputTokens: z.number().optional(),
  outputTokens: z.number().optional(),
  totalTokens: z.number().optional(),
  messageCount: z.int().min(0).optional(),
  lastActiveAt: z.number().nullable().optional(),
  lastMessagePreview: z.string().optional(),
  compactionCount: z.int().min(0).optional(),
});
export type StoredSessionEntry = z.infer<typeof StoredSessionEntrySchema>;

/** Per-session settings the store keeps that `SessionRow` has no field for. */
export interface SessionRuntimeSettings {
  verboseLevel?: string;
  sendPolicy?: string;
  groupActivation?: string;
}

/** A `sessions.list` row plus the runtime settings a gateway needs to run the session. */
export type SessionStoreRow = SessionRow & SessionRuntimeSettings;

type ChatType = NonNullable<SessionRow["chatType"]>;

function toChatType(value: string | undefined): ChatType | undefined {
  if (value === "direct" || value === "group" || value === "channel") return value;
  if (value === "room") return "channel";
  if (value === "dm") return "direct";
  return undefined;
}

// OpenClaw's classification: sentinels first, then group/channel by chat type or key shape.
function classifyKind(key: string, chatType: ChatType | undefined): SessionRow["kind"] {
  const parsed = parseSessionKey(key);
  const rest = parsed ? parsed.rest.toLowerCase() : key.toLowerCase();
  if (rest === "global") return "global";
  if (rest === "unknown") return "unknown";
  if (chatType === "group" || chatType === "channel") return "group";
  if (parsed) return parsed.kind;
  return key.includes(":group:") || key.includes(":channel:") ? "group" : "direct";
}

const COPIED_FIELDS = [
  "label",
  "icon",
  "color",
  "category",
  "displayName",
  "channel",
  "accountId",
  "model",
  "thinkingLevel",
  "verboseLevel",
  "sendPolicy",
  "groupActivation",
  "inputTokens",
  "outputTokens",
  "totalTokens",
] as const;

export function entryToRow(
  key: string,
  agentId: string,
  entry: StoredSessionEntry,
  o: { includeLastMessage?: boolean } = {},
): SessionStoreRow {
  const chatType = toChatType(entry.chatType);
  const row: SessionStoreRow = {
    key,
    kind: classifyKind(key, chatType),
    sessionId: entry.sessionId,
    agentId,
    isMain: parseSessionKey(key)?.isMain ?? false,
    updatedAt: entry.updatedAt,
    createdAt: entry.createdAt ?? entry.sessionStartedAt ?? entry.updatedAt,
    archived: entry.archivedAt !== undefined,
    pinned: entry.pinnedAt !== undefined,
    unread: entry.markedUnreadAt !== undefined,
    messageCount: entry.messageCount ?? 0,
    lastActiveAt: entry.lastActiveAt ?? null,
  };
  if (chatType !== undefined) row.chatType = chatType;
  if (entry.archivedAt !== undefined) row.archivedAt = entry.archivedAt;
  if (entry.pinnedAt !== undefined) row.pinnedAt = entry.pinnedAt;
  for (const field of COPIED_FIELDS) {
    const value = entry[field];
    if (value !== undefined) Object.assign(row, { [field]: value });
  }
  if (o.includeLastMessage && entry.lastMessagePreview !== undefined) {
    row.lastMessagePreview = entry.lastMessagePreview;
  }
  return row;
}

/** The name a person would recognise: the custom label first, as OpenClaw ranks them. */
export function entryDisplayName(entry: StoredSessionEntry): string | undefined {
  return entry.label ?? entry.displayName;
}
