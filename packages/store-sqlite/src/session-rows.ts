import type { SQLInputValue } from "node:sqlite";
import {
  hiddenSessionKind,
  SessionError,
  type SessionLookup,
  type SessionWrite,
  type StoredSession,
  sessionVersionConflict,
} from "@openclaw/sessions";
import type { SqliteConnection } from "./sqlite-connection.js";

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

/** Session rows: point reads and optimistic writes. Writes must run inside a `WriteBatcher` transaction. */
export class SessionRows {
  constructor(private readonly connection: SqliteConnection) {}

  get(key: string): StoredSession | undefined {
    const row = this.connection.statement(`SELECT ${SESSION_COLUMNS} FROM sessions WHERE key = ?`).get(key);
    return row ? toStoredSession(row) : undefined;
  }

  /** Validates and serialises outside the transaction, so the commit only runs SQL. */
  prepareWrite(write: SessionWrite): () => StoredSession {
    assertExpectedVersion(write.expectedVersion);
    const columns = indexedColumns(write);
    return () => this.write(write, columns);
  }

  private write(write: SessionWrite, columns: Record<string, SQLInputValue>): StoredSession {
    const changed =
      write.expectedVersion === 0
        ? this.connection
            .statement(
              `INSERT INTO sessions (key, agent_id, session_id, updated_at, pinned_active, archived, label, kind, channel, search_text, entry, version)
               VALUES ($key, $agent_id, $session_id, $updated_at, $pinned_active, $archived, $label, $kind, $channel, $search_text, $entry, 1)
               ON CONFLICT (key) DO NOTHING`,
            )
            .run(columns).changes
        : this.connection
            .statement(
              `UPDATE sessions SET agent_id = $agent_id, session_id = $session_id, updated_at = $updated_at,
                 pinned_active = $pinned_active, archived = $archived, label = $label, kind = $kind, channel = $channel,
                 search_text = $search_text, entry = $entry, version = version + 1
               WHERE key = $key AND version = $expected`,
            )
            .run({ ...columns, $expected: write.expectedVersion }).changes;
    if (Number(changed) !== 1) {
      throw sessionVersionConflict(write.key, write.expectedVersion, this.version(write.key));
    }
    return {
      key: write.key,
      agentId: write.agentId,
      entry: JSON.parse(String(columns.$entry)),
      version: write.expectedVersion + 1,
    };
  }

  /** Deletes a row; returns its sessionId (for its transcript) or undefined when there was none. */
  delete(key: string, expectedVersion: number | undefined): string | undefined {
    const row = this.connection.statement("SELECT session_id, version FROM sessions WHERE key = ?").get(key);
    const actual = row ? Number(row.version) : 0;
    if (expectedVersion !== undefined && expectedVersion !== actual) {
      throw sessionVersionConflict(key, expectedVersion, actual);
    }
    if (!row) return undefined;
    this.connection.statement("DELETE FROM sessions WHERE key = ?").run(key);
    return String(row.session_id);
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

  private version(key: string): number {
    const row = this.connection.statement("SELECT version FROM sessions WHERE key = ?").get(key);
    return row ? Number(row.version) : 0;
  }
}
