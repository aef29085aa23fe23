import type { SessionsPatchParams, SessionsPreviewResult } from "@openclaw/protocol";
import type { SessionStoreRow } from "./session-entry.js";
import type { SessionQuery, SessionResolution } from "./session-resolver.js";
import type { TranscriptEntry } from "./transcript-file.js";

export const DEFAULT_COMPACT_MAX_LINES = 400;
export const DEFAULT_PREVIEW_LIMIT = 12;
export const DEFAULT_PREVIEW_MAX_CHARS = 240;

/** The patchable fields of `sessions.patch`; `null` clears a field. */
export type SessionPatch = Omit<SessionsPatchParams, "key" | "agentId">;

export interface SessionListOptions {
  limit?: number;
  offset?: number;
  agentId?: string;
  label?: string;
  search?: string;
  /** Only sessions updated within the last N minutes. */
  activeMinutes?: number;
  /** Include the shared `global` session (default false). */
  includeGlobal?: boolean;
  /** Include the `unknown` sentinel session (default false). */
  includeUnknown?: boolean;
  /** Fill `lastMessagePreview` (default false). */
  includeLastMessage?: boolean;
  /** false (default): active sessions only; true: archived only; "all": both. */
  archived?: boolean | "all";
}

export type SessionInit = Partial<
  Pick<SessionStoreRow, "label" | "displayName" | "channel" | "accountId" | "chatType">
>;

export interface SessionResetOptions {
  reason?: "new" | "reset";
}

export interface SessionDeleteOptions {
  /** Archive the transcript as `<sessionId>.jsonl.deleted.<ts>` (default true); false leaves it in place. */
  deleteTranscript?: boolean;
  expectedSessionId?: string;
}

export interface SessionPreviewOptions {
  /** Entries per session, newest last (default 12). */
  limit?: number;
  /** Characters per entry text (default 240). */
  maxChars?: number;
}

export type SessionPreview = SessionsPreviewResult["previews"][number];

/** Structured, leveled, one line per event. Never handed message text or secrets. */
export interface SessionStoreLogger {
  warn(event: string, fields: Record<string, unknown>): void;
}

/**
 * Where sessions live. The file store implements it; a shared store (Redis, PostgreSQL) can implement
 * it too so several gateway instances see the same sessions. Every mutating method resolves only once
 * its change is durable.
 */
export interface SessionStore {
  /** The default agent's `sessions.json` (what `sessions.list` reports as `path`). */
  readonly indexPath: string;
  list(o?: SessionListOptions): Promise<{ rows: SessionStoreRow[]; total: number }>;
  get(key: string): Promise<SessionStoreRow | undefined>;
  ensure(key: string, init?: SessionInit): Promise<SessionStoreRow>;
  /** Creates the session if missing. `expectedSessionId` that does not match fails with SESSION_CONFLICT. */
  patch(key: string, fields: SessionPatch): Promise<SessionStoreRow>;
  /** Keeps the settings, starts a new sessionId with empty history; the old transcript is archived. */
  reset(key: string, o?: SessionResetOptions): Promise<{ row: SessionStoreRow; previousSessionId?: string }>;
  delete(key: string, o?: SessionDeleteOptions): Promise<{ deleted: boolean; archived: string[] }>;
  /** Trims the transcript to its last `maxLines` entries (default 400) behind one summary entry. */
  compact(
    key: string,
    o?: { maxLines?: number },
  ): Promise<{ compacted: boolean; kept: number; removed: number }>;
  /** Creates the session if missing; resolves once the line is fsync'd. */
  appendTranscript(key: string, entry: TranscriptEntry): Promise<void>;
  /**
   * The last `limit` entries (all when omitted), oldest first. With `turnOf`, only the entries of the message sent
   * under that idempotency key (see `TranscriptReadOptions.turnOf`); a store that cannot select them reads all.
   */
  readTranscript(key: string, o?: { limit?: number; turnOf?: string }): Promise<TranscriptEntry[]>;
  preview(keys: string[], o?: SessionPreviewOptions): Promise<SessionPreview[]>;
  /** `key` beats `sessionId` beats `label`; throws SESSION_NOT_FOUND / SESSION_AMBIGUOUS. */
  resolve(q: SessionQuery): Promise<SessionResolution>;
  count(): Promise<number>;
  /** Waits for pending writes; later calls fail with STORE_CLOSED. */
  close(): Promise<void>;
}
