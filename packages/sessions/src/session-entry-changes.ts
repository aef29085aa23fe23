import { randomUUID } from "node:crypto";
import { SessionsPatchParamsSchema } from "@openclaw/protocol";
import { z } from "zod";
import type { StoredSessionEntry } from "./session-entry.js";
import { SessionError } from "./session-error.js";
import { parseSessionKey } from "./session-key.js";
import type { TranscriptEntry } from "./transcript-file.js";

const LAST_MESSAGE_PREVIEW_CHARS = 200;

// Lazy like the protocol schemas it derives from: built on the first patch, not at start-up.
export const PatchSchema = z.lazy(() =>
  SessionsPatchParamsSchema.unwrap().omit({ key: true, agentId: true }),
);
export const InitSchema = z.object({
  label: z.string().max(512).optional(),
  displayName: z.string().optional(),
  channel: z.string().optional(),
  accountId: z.string().optional(),
  chatType: z.enum(["direct", "group", "channel"]).optional(),
});
const CLEARABLE_FIELDS = [
  "label",
  "icon",
  "color",
  "category",
  "model",
  "thinkingLevel",
  "verboseLevel",
  "sendPolicy",
  "groupActivation",
] as const;

export function parseOrThrow<T extends z.ZodType>(
  schema: T,
  value: unknown,
  code: "INVALID_SESSION_PATCH",
  what: string,
): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? issue.path.join(".") : "value";
  throw new SessionError(
    code,
    `${what}: ${where} ${issue?.message ?? "is invalid"}; fix that field and retry`,
    {
      details: { issues: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })) },
    },
  );
}

export function applyPatch(entry: StoredSessionEntry, patch: z.infer<typeof PatchSchema>, at: number): void {
  for (const field of CLEARABLE_FIELDS) {
    const raw = patch[field];
    const value = field === "label" && typeof raw === "string" ? raw.trim() : raw;
    if (value === undefined) continue;
    if (value === null || value === "") delete entry[field];
    else entry[field] = value;
  }
  if (patch.pinned === true) entry.pinnedAt ??= at;
  if (patch.pinned === false) delete entry.pinnedAt;
  if (patch.archived === true) {
    entry.archivedAt ??= at;
    // OpenClaw: archiving a session clears its pin.
    delete entry.pinnedAt;
  }
  if (patch.archived === false) delete entry.archivedAt;
  if (patch.unread === true) entry.markedUnreadAt = at;
  if (patch.unread === false) {
    delete entry.markedUnreadAt;
    entry.lastReadAt = at;
  }
  entry.updatedAt = at;
}
/** A new session's entry: a fresh sessionId, with channel, account and chat type from `init` or else the key. */
export function createSessionEntry(
  canonicalKey: string,
  init: z.infer<typeof InitSchema>,
  at: number,
): StoredSessionEntry {
  const parsed = parseSessionKey(canonicalKey);
  const entry: StoredSessionEntry = {
    sessionId: randomUUID(),
    createdAt: at,
    updatedAt: at,
    sessionStartedAt: at,
    messageCount: 0,
    lastActiveAt: null,
  };
  const derived = {
    channel: init.channel ?? parsed?.channel,
    accountId: init.accountId ?? parsed?.accountId,
    chatType: init.chatType ?? parsed?.chatType,
    label: init.label?.trim() || undefined,
    displayName: init.displayName,
  };
  for (const [field, value] of Object.entries(derived)) {
    if (value !== undefined) entry[field] = value;
  }
  return entry;
}

/** `sessions.reset`: the settings stay, the history starts over under a new sessionId. */
export function resetSessionEntry(entry: StoredSessionEntry, at: number): void {
  entry.sessionId = randomUUID();
  entry.sessionStartedAt = at;
  entry.updatedAt = at;
  entry.messageCount = 0;
  entry.lastActiveAt = null;
  for (const field of [
    "lastMessagePreview",
    "inputTokens",
    "outputTokens",
    "totalTokens",
    "compactionCount",
  ]) {
    delete entry[field];
  }
}

/** What one transcript append changes on its session's row: counts, preview, activity and usage. */
export function recordAppend(stored: StoredSessionEntry, entry: TranscriptEntry, now: number): void {
  if (entry.role !== "summary") stored.messageCount = (stored.messageCount ?? 0) + 1;
  if (entry.role === "user" || entry.role === "assistant") {
    stored.lastMessagePreview = truncate(entry.text, LAST_MESSAGE_PREVIEW_CHARS);
  }
  stored.lastActiveAt = entry.ts;
  addUsage(stored, entry.usage);
  stored.updatedAt = now;
}

export function truncate(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : `${text.slice(0, Math.max(0, maxChars - 1))}…`;
}

/** Fails with SESSION_CONFLICT when the caller expected another sessionId (it saw the session before a reset). */
export function checkExpectedSessionId(
  key: string,
  actual: string | undefined,
  expected: string | undefined,
): void {
  if (expected === undefined || actual === expected) return;
  throw new SessionError(
    "SESSION_CONFLICT",
    actual !== undefined
      ? `session "${key}" is now at sessionId ${actual}, not ${expected}; reload it and retry`
      : `session "${key}" does not exist, so it cannot be at sessionId ${expected}; reload and retry`,
    { details: { key, expectedSessionId: expected, actualSessionId: actual } },
  );
}

export function assertCompactMaxLines(maxLines: number): void {
  if (Number.isInteger(maxLines) && maxLines >= 1) return;
  throw new SessionError("INVALID_SESSION_QUERY", `maxLines must be a positive integer, got ${maxLines}`);
}

export type CompactionPlan =
  | { compacted: false }
  | { compacted: true; entries: TranscriptEntry[]; kept: number; removed: number; messageCount: number };

/** Keeps the last `maxLines` entries behind one summary of the rest (nothing to do when it is short enough). */
export function planCompaction(
  entries: readonly TranscriptEntry[],
  maxLines: number,
  at: number,
): CompactionPlan {
  if (entries.length <= maxLines) return { compacted: false };
  const removed = entries.slice(0, entries.length - maxLines);
  const kept = entries.slice(entries.length - maxLines);
  return {
    compacted: true,
    entries: [compactionSummary(removed, at), ...kept],
    kept: kept.length,
    removed: removed.length,
    messageCount: kept.filter((e) => e.role !== "summary").length,
  };
}

export function compactionSummary(removed: TranscriptEntry[], at: number): TranscriptEntry {
  const counts = new Map<string, number>();
  let messages = 0;
  let earlier = 0;
  for (const entry of removed) {
    if (entry.role === "summary") {
      if (typeof entry.removed === "number") earlier += entry.removed;
      continue;
    }
    messages += 1;
    counts.set(entry.role, (counts.get(entry.role) ?? 0) + 1);
  }
  const byRole = [...counts].map(([role, count]) => `${count} ${role}`).join(", ");
  const first = removed.find((entry) => entry.role !== "summary")?.ts;
  const last = removed.findLast((entry) => entry.role !== "summary")?.ts;
  const span =
    first !== undefined && last !== undefined
      ? ` from ${new Date(first).toISOString()} to ${new Date(last).toISOString()}`
      : "";
  const before = earlier > 0 ? ` (plus ${earlier} removed by earlier compactions)` : "";
  return {
    role: "summary",
    text: `Compacted: removed ${messages} earlier entries (${byRole})${span}${before}.`,
    ts: at,
    removed: messages + earlier,
  };
}

/** Token usage recorded on a transcript entry is added up on the session row, so usage is known per session. */
function addUsage(stored: StoredSessionEntry, usage: unknown): void {
  if (usage === null || typeof usage !== "object") return;
  const { inputTokens, outputTokens } = usage as { inputTokens?: unknown; outputTokens?: unknown };
  const input = typeof inputTokens === "number" && Number.isFinite(inputTokens) ? inputTokens : 0;
  const output = typeof outputTokens === "number" && Number.isFinite(outputTokens) ? outputTokens : 0;
  if (input === 0 && output === 0) return;
  stored.inputTokens = (stored.inputTokens ?? 0) + input;
  stored.outputTokens = (stored.outputTokens ?? 0) + output;
  stored.totalTokens = (stored.totalTokens ?? 0) + input + output;
}
