import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { isNotFound } from "./durable-file.js";
import { SESSION_ID_PATTERN, type StoredSessionEntry } from "./session-entry.js";
import { recordAppend } from "./session-entry-changes.js";
import { assertValidSessionKey, isValidSessionKey } from "./session-key.js";
import { parseTranscriptEntries, parseTranscriptHeader } from "./transcript-file.js";

/** The part of an agent's session index the rebuild touches (kept structural, so the index can import this file). */
interface RebuildableIndex {
  readonly agentId: string;
  readonly sessionsDir: string;
  readonly entries: Map<string, StoredSessionEntry>;
  touch(): void;
}

/** Where an adopted transcript's session key came from. */
export type RecoveredKeySource = "header" | "index-copy" | "none";

export interface AdoptedTranscript {
  key: string;
  sessionId: string;
  source: RecoveredKeySource;
}

/** The live transcripts of a sessions directory (archived `.jsonl.reset.*` / `.jsonl.deleted.*` are not). */
export async function listTranscriptIds(sessionsDir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(sessionsDir);
  } catch (error) {
    if (isNotFound(error)) return [];
    throw error;
  }
  return names
    .filter((name) => name.endsWith(".jsonl"))
    .map((name) => name.slice(0, -".jsonl".length))
    .filter((id) => SESSION_ID_PATTERN.test(id));
}

/**
 * Session keys by session id, from what is left of a damaged index: a truncated `sessions.json` still holds most
 * of its `"<key>":{..."sessionId":"<id>"` pairs as text.
 */
export function salvageKeys(text: string): Map<string, string> {
  const keys = new Map<string, string>();
  for (const match of text.matchAll(/"((?:[^"\\]|\\.){1,600})":\{[^{}]*?"sessionId":"([^"\\]{1,128})"/g)) {
    const [, rawKey, sessionId] = match;
    if (rawKey === undefined || sessionId === undefined) continue;
    try {
      const key = JSON.parse(`"${rawKey}"`) as string;
      assertValidSessionKey(key);
      keys.set(sessionId, key);
    } catch {
      // not a key: part of some other value
    }
  }
  return keys;
}

/**
 * Adds to `index` every transcript in its directory that no entry names, with the row rebuilt from the transcript
 * (counts, preview, usage, times). The key comes from the transcript header, else from `salvaged`; a transcript
 * whose key is lost is kept as `agent:<agentId>:recovered-<sessionId>` and reported with source "none", never
 * dropped. Keys already owned elsewhere (`isTaken`) are skipped.
 */
export async function adoptOrphanTranscripts(
  index: RebuildableIndex,
  o: { salvaged?: Map<string, string>; isTaken?: (key: string) => boolean; now: number },
): Promise<AdoptedTranscript[]> {
  const named = new Set([...index.entries.values()].map((entry) => entry.sessionId));
  const adopted: AdoptedTranscript[] = [];
  for (const sessionId of await listTranscriptIds(index.sessionsDir)) {
    if (named.has(sessionId)) continue;
    const path = join(index.sessionsDir, `${sessionId}.jsonl`);
    const [text, info] = await Promise.all([readFile(path, "utf8"), stat(path)]);
    const header = parseTranscriptHeader(text);
    const fromHeader = header?.key !== undefined && isValidSessionKey(header.key) ? header.key : undefined;
    const fromCopy = o.salvaged?.get(sessionId);
    const key = fromHeader ?? fromCopy ?? `agent:${index.agentId}:recovered-${sessionId.toLowerCase()}`;
    if (index.entries.has(key) || o.isTaken?.(key)) continue;
    const source: RecoveredKeySource = fromHeader ? "header" : fromCopy ? "index-copy" : "none";
    const startedAt = Date.parse(header?.timestamp ?? "");
    const createdAt = Number.isFinite(startedAt) ? startedAt : info.birthtimeMs || info.mtimeMs;
    const entry: StoredSessionEntry = {
      sessionId,
      createdAt,
      sessionStartedAt: createdAt,
      updatedAt: info.mtimeMs,
      messageCount: 0,
      lastActiveAt: null,
    };
    for (const line of parseTranscriptEntries(text)) recordAppend(entry, line, info.mtimeMs);
    index.entries.set(key, entry);
    adopted.push({ key, sessionId, source });
  }
  if (adopted.length > 0) index.touch();
  return adopted;
}
