import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { isNotFound } from "../durable-file.js";
import type { StoredSessionEntry } from "../session-entry.js";
import { recordAppend } from "../session-entry-changes.js";
import type { TranscriptEntry } from "../transcript-file.js";
import { legacyTranscriptEntries } from "./legacy-transcript-line.js";
import type { SessionStorage } from "./storage-port.js";

export interface StreamedTranscript {
  found: boolean;
  entries: number;
  /** Lines that were neither the header nor an entry (torn, bookkeeping, unknown types). */
  ignoredLines: number;
  /** The first line's `{type: "session"}` header, if it had one. */
  header?: { key?: string; timestamp?: string };
  /** What the entries add up to on a session row: counts, preview, last activity, usage. */
  counters: StoredSessionEntry;
}

/**
 * Streams a JSONL transcript into the storage in batches of `batchSize`, so a transcript of any size costs one
 * batch of memory. Whatever the storage held under `sessionId` before (an interrupted earlier import) is replaced.
 */
export async function streamTranscriptInto(
  storage: SessionStorage,
  path: string,
  sessionId: string,
  batchSize: number,
): Promise<StreamedTranscript> {
  const result = emptyStreamedTranscript(sessionId);
  const input = createReadStream(path, { encoding: "utf8" });
  const opened = new Promise<boolean>((resolve, reject) => {
    input.once("open", () => resolve(true));
    input.once("error", (error) => (isNotFound(error) ? resolve(false) : reject(error)));
  });
  if (!(await opened)) return result;
  result.found = true;
  await writeTranscriptValues(storage, sessionId, parsedLines(input), batchSize, result);
  return result;
}

/**
 * Writes parsed transcript lines (JSON values, a header first if there is one) into the storage under `sessionId`,
 * replacing what it held there, in batches of `batchSize`; adds the counts to `result`. Used for JSONL files and
 * for the transcript rows of OpenClaw's SQLite layout alike.
 */
export async function writeTranscriptValues(
  storage: SessionStorage,
  sessionId: string,
  values: AsyncIterable<unknown> | Iterable<unknown>,
  batchSize: number,
  result: StreamedTranscript,
): Promise<void> {
  await storage.deleteTranscript(sessionId);
  let batch: TranscriptEntry[] = [];
  let first = true;
  for await (const value of values) {
    if (first) {
      first = false;
      const header = asHeader(value);
      if (header) {
        result.header = header;
        continue;
      }
    }
    const entries = legacyTranscriptEntries(value);
    if (entries.length === 0) {
      result.ignoredLines += 1;
      continue;
    }
    for (const entry of entries) recordAppend(result.counters, entry, 0);
    batch.push(...entries);
    result.entries += entries.length;
    if (batch.length >= batchSize) {
      await storage.appendTranscript(sessionId, batch);
      batch = [];
    }
  }
  if (batch.length > 0) await storage.appendTranscript(sessionId, batch);
}

/** An empty result for `sessionId`, to add a transcript's counts to. */
export function emptyStreamedTranscript(sessionId: string): StreamedTranscript {
  const counters: StoredSessionEntry = { sessionId, updatedAt: 0, messageCount: 0, lastActiveAt: null };
  return { found: false, entries: 0, ignoredLines: 0, counters };
}

/**
 * The file's lines, parsed. The line reader is created only when iteration starts: one created earlier reads (and
 * drops) lines while the storage call before the loop is still pending, and can end before the loop begins.
 */
async function* parsedLines(input: NodeJS.ReadableStream): AsyncIterable<unknown> {
  for await (const line of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
    if (line.trim() !== "") yield parseLine(line);
  }
}

function parseLine(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

function asHeader(value: unknown): StreamedTranscript["header"] {
  if (typeof value !== "object" || value === null) return undefined;
  const record = value as Record<string, unknown>;
  if (record.type !== "session") return undefined;
  const header: NonNullable<StreamedTranscript["header"]> = {};
  if (typeof record.key === "string") header.key = record.key;
  if (typeof record.timestamp === "string") header.timestamp = record.timestamp;
  return header;
}
