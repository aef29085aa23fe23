import type { SQLInputValue } from "node:sqlite";
import {
  hiddenSessionKind,
  SessionError,
  type SessionLookup,
  type SessionWrite,
  type StoredSession,
} from "@openclaw/sessions";
import type { SqliteConnection } from "./sqlite-connection.js";
import type { SessionRowWrite } from "./sqlite-writer.js";

/** Separates the fields of `search_text`, so a needle never matches across two of them. */
const SEARCH_FIELD_SEPARATOR = "\u001f";

export const SESSION_COLUMNS = "key, agent_id, entry, version";

export function toStoredSession(row: Record<string, unknown>): StoredSession {
  return {
    key: String(row.key),
    agentId: String(row.agent_id),
    entry: JSON.parse(String(row.entry)),
    version: Number(row.version),
  };
}

export function assertExpectedVersion(version: number | undefined): void {
  if (version === undefined || (Number.isInteger(version) && version >= 0)) return;
  throw new SessionError(
    "INVALID_STORAGE_REQUEST",
    `expectedVersion must be a non-negative integer (0 = must not exist), got ${String(version)}`,
  );
}

export function toJson(value: unknown, what: string): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (cause) {
    throw new SessionError(
      "INVALID_STORAGE_REQUEST",
      `${what} is not JSON-serialisable; drop cyclic or BigInt fields`,
      {
        cause,
      },
    );
  }
  if (json === undefined) {
    throw new SessionError("INVALID_STORAGE_REQUEST", `${what} is not a JSON value (got ${typeof value})`);
  }
  return json;
}

/** The list columns derived from a write: what the indexes order and filter by. */
function indexedColumns(write: SessionWrite): Record<string, SQLInputValue> {
  const { entry } = write;
  const archived = entry.archivedAt !== undefined;
  const label = typeof entry.label === "string" ? entry.label.trim() : null;
  const searchText = [write.key, entry.label, entry.displayName, entry.sessionId, entry.channel]
    .filter((value): value is string => typeof value === "string")
    .map((value) => value.toLowerCase())
    .join(SEARCH_FIELD_SEPARATOR);
  return {
    $key: write.key,
    $agent_id: write.agentId,
    $session_id: entry.sessionId,
    $updated_at: entry.updatedAt,
    $pinned_active: entry.pinnedAt !== undefined && !archived ? 1 : 0,
    $archived: archived ? 1 : 0,
    $label: label,
    $kind: hiddenSessionKind(write.key) ?? "",
    $channel: typeof entry.channel === "string" ? entry.channel : null,
    $search_text: searchText,
    $entry: toJson(entry, `session "${write.key}" entry`),
  };
}

/** A session write ready for the writer thread, and the row it stores once committed. */
export interface PreparedSessionWrite {
  row: SessionRowWrite;
  stored(): StoredSession;
}

/** Session rows: point reads on this thread; writes are prepared here and run on the writer thread. */
export class SessionRows {
  constructor(private readonly connection: SqliteConnection) {}

  get(key: string): StoredSession | undefined {
    const row = this.connection.statement(`SELECT ${SESSION_COLUMNS} FROM sessions WHERE key = ?`).get(key);
    return row ? toStoredSession(row) : undefined;
  }

  /** Validates and serialises on this thread, so the writer thread only runs SQL. */
  prepareWrite(write: SessionWrite): PreparedSessionWrite {
    assertExpectedVersion(write.expectedVersion);
    const columns = indexedColumns(write);
    return {
      row: { key: write.key, expectedVersion: write.expectedVersion, columns },
      stored: () => ({
        key: write.key,
        agentId: write.agentId,
        entry: JSON.parse(String(columns.$entry)),
        version: write.expectedVersion + 1,
      }),
    };
  }

  find(by: SessionLookup, o: { agentId?: string; limit: number }): StoredSession[] {
    const [column, value] = "sessionId" in by ? ["session_id", by.sessionId] : ["label", by.label];
    const agentFilter = o.agentId === undefined ? "" : " AND agent_id = ?";
    const params: SQLInputValue[] = [value];
    if (o.agentId !== undefined) params.push(o.agentId);
    params.push(Math.max(0, o.limit));
    return this.connection
      .statement(
        `SELECT ${SESSION_COLUMNS} FROM sessions WHERE ${column} = ?${agentFilter} ORDER BY key LIMIT ?`,
      )
      .all(...params)
      .map(toStoredSession);
  }

  count(): number {
    return Number(
      this.connection.statement("SELECT COALESCE(SUM(n), 0) AS n FROM session_counts").get()?.n ?? 0,
    );
  }
}
