import { type HiddenSessionKind, hiddenSessionKind, type SessionWrite } from "@openclaw/sessions";

/** Joins the searchable fields in `search_text`; never inside a field or a needle (see `indexableText`). */
const SEARCH_SEPARATOR = "\u0001";

/** The indexed columns of a session row, derived in JavaScript so they mean exactly what the port's rules say. */
export interface SessionColumns {
  updatedAt: number;
  pinned: boolean;
  archived: boolean;
  label: string | null;
  hiddenKind: HiddenSessionKind | "";
  sessionId: string;
  channel: string | null;
  searchText: string;
}

export function sessionColumns(write: SessionWrite): SessionColumns {
  const { entry } = write;
  const label = typeof entry.label === "string" ? indexableText(entry.label.trim()) : null;
  const searchable = [write.key, entry.label, entry.displayName, entry.sessionId, entry.channel]
    .filter((value): value is string => typeof value === "string")
    .map((value) => indexableText(value.toLowerCase()));
  return {
    updatedAt: entry.updatedAt,
    pinned: entry.pinnedAt !== undefined,
    archived: entry.archivedAt !== undefined,
    label,
    hiddenKind: hiddenSessionKind(write.key) ?? "",
    sessionId: entry.sessionId,
    channel: typeof entry.channel === "string" ? indexableText(entry.channel) : null,
    searchText: searchable.join(SEARCH_SEPARATOR),
  };
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: U+0000 and U+0001 are exactly the characters replaced
const UNINDEXABLE = /[\u0000\u0001]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A string as a `text` column can hold it and compare it: PostgreSQL text cannot contain U+0000, a lone surrogate
 * has no UTF-8 form, and U+0001 separates search fields. Each becomes U+FFFD, on the stored side and on the query
 * side alike, so a search can never match across two fields and equal strings still compare equal.
 */
export function indexableText(value: string): string {
  return value.replace(UNINDEXABLE, "\uFFFD");
}
