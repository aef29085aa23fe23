import { normalizeAgentId, parseSessionKey } from "../session-key.js";
import type { SessionListOptions } from "../session-store.js";
import type { HiddenSessionKind, SessionRowQuery, StoredSession } from "./storage-port.js";

/**
 * The reference meaning of a `SessionRowQuery`, shared by the memory storage and by any driver that wants to check
 * itself against it. A driver indexes the same rules; it never has to call these.
 */

/** `global` / `unknown` for OpenClaw's sentinel sessions (what `excludeKinds` filters), else undefined. */
export function hiddenSessionKind(key: string): HiddenSessionKind | undefined {
  const parsed = parseSessionKey(key);
  const rest = parsed ? parsed.rest.toLowerCase() : key.toLowerCase();
  if (rest === "global" || rest === "unknown") return rest;
  return undefined;
}

/** True when `session` is pinned and not archived: such sessions head every list. */
export function isPinnedActive(session: StoredSession): boolean {
  return session.entry.pinnedAt !== undefined && session.entry.archivedAt === undefined;
}

/** The text `search` looks into: key, label, displayName, sessionId and channel. */
export function sessionSearchText(session: StoredSession): string[] {
  const { entry } = session;
  return [session.key, entry.label, entry.displayName, entry.sessionId, entry.channel].filter(
    (value): value is string => typeof value === "string",
  );
}

/** Whether a session passes every filter of `q` (paging aside). */
export function matchesSessionRowQuery(session: StoredSession, q: SessionRowQuery): boolean {
  const { entry } = session;
  if (q.agentId !== undefined && session.agentId !== q.agentId) return false;
  const archived = entry.archivedAt !== undefined;
  if (q.archived !== "all" && q.archived !== archived) return false;
  if (q.label !== undefined && entry.label?.trim() !== q.label) return false;
  if (q.updatedSince !== undefined && entry.updatedAt < q.updatedSince) return false;
  const kind = hiddenSessionKind(session.key);
  if (kind !== undefined && q.excludeKinds.includes(kind)) return false;
  if (q.search !== undefined && q.search !== "") {
    const needle = q.search;
    if (!sessionSearchText(session).some((value) => value.toLowerCase().includes(needle))) return false;
  }
  return true;
}

/** The fixed list order: pinned active sessions first, then `updatedAt` descending, then key ascending. */
export function compareStoredSessions(a: StoredSession, b: StoredSession): number {
  const pinned = Number(isPinnedActive(b)) - Number(isPinnedActive(a));
  if (pinned !== 0) return pinned;
  const updated = b.entry.updatedAt - a.entry.updatedAt;
  if (updated !== 0) return updated;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/** The page `offset`/`limit` select of an already ordered list. */
export function pageOf<T>(rows: readonly T[], q: Pick<SessionRowQuery, "limit" | "offset">): T[] {
  const offset = Math.max(0, q.offset);
  const end = q.limit === undefined ? undefined : offset + Math.max(0, q.limit);
  return rows.slice(offset, end);
}

/** `sessions.list` options as a port query: every filter goes to the storage, so no call loads all rows. */
export function toSessionRowQuery(o: SessionListOptions, now: number): SessionRowQuery {
  const query: SessionRowQuery = {
    archived: o.archived ?? false,
    excludeKinds: [
      ...(o.includeGlobal ? [] : ["global" as const]),
      ...(o.includeUnknown ? [] : ["unknown" as const]),
    ],
    offset: Math.max(0, o.offset ?? 0),
  };
  if (o.agentId?.trim()) query.agentId = normalizeAgentId(o.agentId);
  const label = o.label?.trim();
  if (label) query.label = label;
  const search = o.search?.trim().toLowerCase();
  if (search) query.search = search;
  if (o.activeMinutes !== undefined) query.updatedSince = now - o.activeMinutes * 60_000;
  if (o.limit !== undefined) query.limit = Math.max(0, o.limit);
  return query;
}
