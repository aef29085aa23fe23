import { type FileHandle, open, readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { z } from "zod";
import { fsyncDirectory, isNotFound, writeFileAtomic } from "./durable-file.js";
import { GroupCommit } from "./group-commit.js";
import { SessionError } from "./session-error.js";

export const TRANSCRIPT_ROLES = ["user", "assistant", "system", "tool", "summary"] as const;
export type TranscriptRole = (typeof TRANSCRIPT_ROLES)[number];

/** One line of a transcript. Extra fields (tool call ids, usage, ...) are kept as written. */
export interface TranscriptEntry {
  role: TranscriptRole;
  text: string;
  ts: number;
  [k: string]: unknown;
}

export const TranscriptEntrySchema = z.looseObject({
  role: z.enum(TRANSCRIPT_ROLES),
  text: z.string(),
  ts: z.number(),
});

/**
 * The first line of every transcript file, in the shape OpenClaw's JSONL transcripts start with, plus the session
 * key: with it the session index can be rebuilt from the transcripts alone.
 */
export function transcriptHeaderLine(sessionId: string, now: number, key: string): string {
  return `${JSON.stringify({ type: "session", version: 1, id: sessionId, key, timestamp: new Date(now).toISOString() })}\n`;
}

export interface TranscriptHeader {
  id?: string;
  /** Missing in transcripts written before the key was recorded (and in OpenClaw's own). */
  key?: string;
  timestamp?: string;
}

/** The header of a transcript's text, or undefined when its first line is not one. */
export function parseTranscriptHeader(text: string): TranscriptHeader | undefined {
  const newline = text.indexOf("\n");
  try {
    const value = JSON.parse(newline === -1 ? text : text.slice(0, newline)) as Record<string, unknown>;
    if (value?.type !== "session") return undefined;
    const header: TranscriptHeader = {};
    for (const field of ["id", "key", "timestamp"] as const) {
      if (typeof value[field] === "string") header[field] = value[field];
    }
    return header;
  } catch {
    return undefined;
  }
}

/** Validates and serialises one entry as a single JSONL line. */
export function transcriptLine(entry: unknown): { entry: TranscriptEntry; line: string } {
  const parsed = TranscriptEntrySchema.safeParse(entry);
  if (!parsed.success) {
    throw new SessionError(
      "INVALID_TRANSCRIPT_ENTRY",
      `transcript entry needs role (${TRANSCRIPT_ROLES.join(" | ")}), text (string) and ts (finite number): ${parsed.error.issues[0]?.message ?? "invalid"}`,
    );
  }
  let line: string;
  try {
    line = JSON.stringify(parsed.data);
  } catch (cause) {
    throw new SessionError(
      "INVALID_TRANSCRIPT_ENTRY",
      "transcript entry is not JSON-serialisable; drop cyclic or BigInt fields",
      {
        cause,
      },
    );
  }
  return { entry: parsed.data as TranscriptEntry, line: `${line}\n` };
}

/**
 * Appends lines to one transcript file with group commit: lines queued while a write is in flight go
 * out together in the next single write + fdatasync. Before the first write (or after a failed one)
 * it checks the file's last byte, so a line torn by a crash is closed off and the next entry starts
 * on a fresh line.
 */
export class TranscriptWriter {
  readonly path: string;
  private pending: string[] = [];
  private endsCleanly = false;
  private readonly headerLine: () => string;
  private readonly prepare: () => Promise<void>;
  private readonly commit = new GroupCommit(() => this.flush());

  /** `prepare` runs before each write (e.g. to create the directory). */
  constructor(path: string, headerLine: () => string, prepare: () => Promise<void> = async () => {}) {
    this.path = path;
    this.headerLine = headerLine;
    this.prepare = prepare;
  }

  /** Resolves once the line is on disk (fdatasync'd). */
  append(line: string): Promise<void> {
    this.pending.push(line);
    return this.commit.request();
  }

  /** Resolves once every line appended before this call is on disk (or failed). */
  drain(): Promise<void> {
    return this.commit.request();
  }

  private async flush(): Promise<void> {
    const lines = this.pending;
    this.pending = [];
    if (lines.length === 0) return;
    await this.prepare();
    // "a+": appends always land at the end, and the last byte can still be read for repair.
    const handle = await open(this.path, "a+", 0o600);
    try {
      const { prefix, created } = this.endsCleanly
        ? { prefix: "", created: false }
        : await this.repair(handle);
      this.endsCleanly = false;
      await writeAll(handle, Buffer.from(prefix + lines.join("")));
      await handle.datasync();
      if (created) await fsyncDirectory(dirname(this.path));
      this.endsCleanly = true;
    } finally {
      await handle.close();
    }
  }

  private async repair(handle: FileHandle): Promise<{ prefix: string; created: boolean }> {
    const { size } = await handle.stat();
    if (size === 0) return { prefix: this.headerLine(), created: true };
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, size - 1);
    return { prefix: last[0] === 0x0a ? "" : "\n", created: false };
  }
}

async function writeAll(handle: FileHandle, buffer: Buffer): Promise<void> {
  let offset = 0;
  while (offset < buffer.length) {
    const { bytesWritten } = await handle.write(buffer, offset, buffer.length - offset);
    offset += bytesWritten;
  }
}

/**
 * Reads every entry of a transcript. Lines that do not parse (a tail torn by a crash, or such a line
 * closed off by a later append) and the session header are skipped; a missing file reads as empty.
 */
export async function readTranscriptFile(path: string): Promise<TranscriptEntry[]> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if (isNotFound(error)) return [];
    throw error;
  }
  return parseTranscriptEntries(text);
}

/** The entries of a transcript's text; the header and lines that do not parse are skipped. */
export function parseTranscriptEntries(text: string): TranscriptEntry[] {
  const entries: TranscriptEntry[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      continue;
    }
    const parsed = TranscriptEntrySchema.safeParse(value);
    if (parsed.success) entries.push(parsed.data as TranscriptEntry);
    else entries.push(...exportedLineEntries(value));
  }
  return entries;
}

/**
 * The field of a line in OpenClaw's format (written by `exportOpenClawLayout`) that carries the entries of ours it
 * was written from; OpenClaw's readers ignore it, ours read the entries back exactly.
 */
export const GATEWAY_ENTRIES_FIELD = "gatewayEntries";

/** The entries an exported OpenClaw-format line carries, or none. */
export function exportedLineEntries(value: unknown): TranscriptEntry[] {
  if (typeof value !== "object" || value === null) return [];
  const carried = (value as Record<string, unknown>)[GATEWAY_ENTRIES_FIELD];
  if (!Array.isArray(carried)) return [];
  const entries: TranscriptEntry[] = [];
  for (const item of carried) {
    const parsed = TranscriptEntrySchema.safeParse(item);
    if (parsed.success) entries.push(parsed.data as TranscriptEntry);
  }
  return entries;
}

/** Replaces a transcript atomically (used by compaction). */
export async function rewriteTranscriptFile(
  path: string,
  headerLine: string,
  entries: TranscriptEntry[],
): Promise<void> {
  const body = entries.map((entry) => `${JSON.stringify(entry)}\n`).join("");
  await writeFileAtomic(path, headerLine + body);
}
