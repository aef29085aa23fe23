import { entryToRow, type SessionStoreRow, type StoredSessionEntry } from "./session-entry.js";
import { normalizeAgentId } from "./session-key.js";
import type { SessionListOptions } from "./session-store.js";

/** `sessions.list`: filters, orders and pages the rows of every agent's index. */
export function listRows(
  entries: Iterable<{ key: string; index: { agentId: string }; entry: StoredSessionEntry }>,
  o: SessionListOptions,
  now: number,
): { rows: SessionStoreRow[]; total: number } {
  const agentFilter = o.agentId?.trim() ? normalizeAgentId(o.agentId) : undefined;
  const label = o.label?.trim();
  const search = o.search?.trim().toLowerCase();
  const archived = o.archived ?? false;
  const activeSince = o.activeMinutes === undefined ? undefined : now - o.activeMinutes * 60_000;
  const rows: SessionStoreRow[] = [];
  for (const { key, index, entry } of entries) {
    if (agentFilter !== undefined && index.agentId !== agentFilter) continue;
    const isArchived = entry.archivedAt !== undefined;
    if (archived !== "all" && archived !== isArchived) continue;
    if (label && entry.label?.trim() !== label) continue;
    if (activeSince !== undefined && entry.updatedAt < activeSince) continue;
    const row = entryToRow(key, index.agentId, entry, {
      includeLastMessage: o.includeLastMessage ?? false,
    });
    if (row.kind === "global" && !o.includeGlobal) continue;
    if (row.kind === "unknown" && !o.includeUnknown) continue;
    if (search && !matchesSearch(row, search)) continue;
    rows.push(row);
  }
  rows.sort(compareRows);
  const offset = Math.max(0, o.offset ?? 0);
  const end = o.limit === undefined ? undefined : offset + Math.max(0, o.limit);
  return { rows: rows.slice(offset, end), total: rows.length };
}

function matchesSearch(row: SessionStoreRow, needle: string): boolean {
  return [row.key, row.label, row.displayName, row.sessionId, row.channel].some((value) =>
    value?.toLowerCase().includes(needle),
  );
}

// Pinned active sessions first, then most recently updated, then by key for a stable order.
function compareRows(a: SessionStoreRow, b: SessionStoreRow): number {
  const pinned = Number(b.pinned === true && !b.archived) - Number(a.pinned === true && !a.archived);
  if (pinned !== 0) return pinned;
  const updated = (b.updatedAt ?? 0) - (a.updatedAt ?? 0);
  if (updated !== 0) return updated;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}
