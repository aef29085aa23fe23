import { GATEWAY_ENTRIES_FIELD, type TranscriptEntry } from "../transcript-file.js";
import {
  GATEWAY_ORIGINAL_FIELD,
  OPENCLAW_ORIGINAL_FIELD,
  OPENCLAW_PART_FIELD,
} from "./legacy-transcript-line.js";

/** The transcript format version OpenClaw 2026.9 writes in its session header (and its doctor imports). */
export const OPENCLAW_TRANSCRIPT_VERSION = 4;

export interface OpenClawTranscriptHeader {
  sessionId: string;
  /** The session key (our field; OpenClaw's readers ignore it, our import uses it to rebuild a lost index). */
  key: string;
  startedAt: number;
}

type Line = Record<string, unknown>;

/**
 * A transcript as OpenClaw's JSONL lines: the `{type: "session"}` header, then one `{type: "message", id, parentId,
 * timestamp, message}` line per message, chained by `parentId` in order. A line imported from OpenClaw is written
 * back as it came (only re-chained, since its bookkeeping neighbours were not imported). Every line carries the
 * entries of ours it stands for under `gatewayEntries`, so our import and file store read the export back exactly.
 */
export function openClawTranscriptLines(
  header: OpenClawTranscriptHeader,
  entries: readonly TranscriptEntry[],
): Line[] {
  const lines: Line[] = [
    {
      type: "session",
      version: OPENCLAW_TRANSCRIPT_VERSION,
      id: header.sessionId,
      key: header.key,
      timestamp: new Date(header.startedAt).toISOString(),
    },
  ];
  let parentId: string | null = null;
  const push = (line: Line) => {
    const id =
      typeof line.id === "string" && line.id !== "" ? line.id : `${header.sessionId}-${lines.length}`;
    lines.push({ ...line, id, parentId });
    parentId = id;
  };
  for (let index = 0; index < entries.length; index += 1) {
    const entry = entries[index] as TranscriptEntry;
    const original = entry[OPENCLAW_ORIGINAL_FIELD];
    if (isLine(original)) {
      const from = [entry];
      while (index + 1 < entries.length && entries[index + 1]?.[OPENCLAW_PART_FIELD] === true) {
        from.push(entries[index + 1] as TranscriptEntry);
        index += 1;
      }
      push({
        ...original,
        [GATEWAY_ENTRIES_FIELD]: from.map(withoutImportMarks),
        [GATEWAY_ORIGINAL_FIELD]: true,
      });
      continue;
    }
    if (entry[OPENCLAW_PART_FIELD] === true) continue;
    if (isToolCall(entry)) {
      // Calls written back to back are one assistant message asking for several tools, as OpenClaw writes them.
      const calls = [entry];
      while (index + 1 < entries.length && isToolCall(entries[index + 1] as TranscriptEntry)) {
        calls.push(entries[index + 1] as TranscriptEntry);
        index += 1;
      }
      push(messageLine(toolCallMessage(calls), calls));
      continue;
    }
    push(entry.role === "summary" ? compactionLine(entry) : messageLine(entryMessage(entry), [entry]));
  }
  // OpenClaw's compaction names the first line kept after it: here, the line that follows the summary.
  lines.forEach((line, index) => {
    if (line.type === "compaction" && line.firstKeptEntryId === undefined) {
      line.firstKeptEntryId = lines[index + 1]?.id ?? line.id;
    }
  });
  return lines;
}

function isLine(value: unknown): value is Line {
  return typeof value === "object" && value !== null && typeof (value as Line).type === "string";
}

function isToolCall(entry: TranscriptEntry): boolean {
  return entry.role === "tool" && "args" in entry && !("result" in entry);
}

function messageLine(message: Line, from: TranscriptEntry[]): Line {
  return {
    type: "message",
    timestamp: isoTime(from[0]?.ts ?? 0),
    message,
    [GATEWAY_ENTRIES_FIELD]: from.map(withoutImportMarks),
  };
}

function compactionLine(entry: TranscriptEntry): Line {
  return {
    type: "compaction",
    timestamp: isoTime(entry.ts),
    summary: entry.text,
    tokensBefore: 0,
    [GATEWAY_ENTRIES_FIELD]: [withoutImportMarks(entry)],
  };
}

function entryMessage(entry: TranscriptEntry): Line {
  switch (entry.role) {
    case "assistant":
      return assistantMessage(entry, entry.text === "" ? [] : [{ type: "text", text: entry.text }], "stop");
    case "tool":
      return {
        role: "toolResult",
        toolCallId: stringOr(entry.toolCallId, ""),
        toolName: stringOr(entry.toolName, "tool"),
        content: [{ type: "text", text: resultText(entry) }],
        isError: entry.isError === true,
        timestamp: entry.ts,
      };
    default: {
      // OpenClaw's transcripts know user, assistant and tool results; a system note is kept as user-visible text.
      const message: Line = { role: "user", content: entry.text, timestamp: entry.ts };
      if (typeof entry.idempotencyKey === "string") message.idempotencyKey = entry.idempotencyKey;
      return message;
    }
  }
}

function toolCallMessage(calls: TranscriptEntry[]): Line {
  const content = calls.map((call) => ({
    type: "toolCall",
    id: stringOr(call.toolCallId, ""),
    name: stringOr(call.toolName, "tool"),
    arguments: call.args ?? {},
  }));
  return assistantMessage(calls[0] as TranscriptEntry, content, "toolUse");
}

function assistantMessage(entry: TranscriptEntry, content: unknown[], stopReason: string): Line {
  const ref = typeof entry.model === "string" ? entry.model : "";
  const slash = ref.indexOf("/");
  const usage = tokenUsage(entry.usage);
  return {
    role: "assistant",
    content,
    provider: slash > 0 ? ref.slice(0, slash) : "unknown",
    model: slash > 0 ? ref.slice(slash + 1) : ref || "unknown",
    usage: {
      input: usage.input,
      output: usage.output,
      cacheRead: 0,
      cacheWrite: 0,
      totalTokens: usage.input + usage.output,
      cost: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, total: 0 },
    },
    stopReason: entry.isError === true ? "error" : stopReason,
    timestamp: entry.ts,
  };
}

function tokenUsage(value: unknown): { input: number; output: number } {
  if (typeof value !== "object" || value === null) return { input: 0, output: 0 };
  const { inputTokens, outputTokens } = value as { inputTokens?: unknown; outputTokens?: unknown };
  return {
    input: typeof inputTokens === "number" ? inputTokens : 0,
    output: typeof outputTokens === "number" ? outputTokens : 0,
  };
}

function resultText(entry: TranscriptEntry): string {
  if (entry.result === undefined) return entry.text;
  return typeof entry.result === "string" ? entry.result : (JSON.stringify(entry.result) ?? entry.text);
}

function withoutImportMarks(entry: TranscriptEntry): TranscriptEntry {
  const { [OPENCLAW_ORIGINAL_FIELD]: _original, [OPENCLAW_PART_FIELD]: _part, ...rest } = entry;
  return rest as TranscriptEntry;
}

function isoTime(ts: number): string {
  const date = new Date(ts);
  return Number.isFinite(date.getTime()) ? date.toISOString() : new Date(0).toISOString();
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === "string" ? value : fallback;
}
