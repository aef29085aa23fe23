import { z } from "zod";
import {
  exportedLineEntries,
  GATEWAY_ENTRIES_FIELD,
  type TranscriptEntry,
  TranscriptEntrySchema,
  type TranscriptRole,
} from "../transcript-file.js";

/** On an exported line that OpenClaw wrote first (and we imported): read back, it is kept as the original again. */
export const GATEWAY_ORIGINAL_FIELD = "gatewayOriginal";
/** Kept on the first entry made from an OpenClaw line: the line itself, so the export can write it back unchanged. */
export const OPENCLAW_ORIGINAL_FIELD = "openclaw";
/** Marks the later entries made from the same OpenClaw line (one assistant message with several tool calls). */
export const OPENCLAW_PART_FIELD = "openclawPart";

/**
 * One line of a legacy transcript as entries of ours. The shapes that arrive:
 * - our own `{role, text, ts}` lines (the file store's), kept as they are;
 * - a line our export wrote (`gatewayEntries`), which gives back the entries it was written from (and, when it
 *   was OpenClaw's line to begin with, keeps that line as the original again);
 * - OpenClaw's `{type: "message", timestamp, message: {role, content}}`: user and system messages become one entry;
 *   an assistant message becomes its text (if any) plus one `role: "tool"` call entry per `toolCall` block, and a
 *   `toolResult` message becomes a `role: "tool"` result entry, in the shape our agent writes tool calls, so the
 *   history and the next model turn see them; the original line is kept under `openclaw` on the first entry;
 * - OpenClaw's `{type: "compaction", summary}`, kept as a summary entry.
 * The `{type: "session"}` header and OpenClaw's bookkeeping lines (model changes, custom state) give no entry.
 */
export function legacyTranscriptEntries(value: unknown): TranscriptEntry[] {
  const ours = TranscriptEntrySchema.safeParse(value);
  if (ours.success) return [ours.data as TranscriptEntry];
  const exported = exportedLineEntries(value);
  if (exported.length > 0) return markOriginal(exported, value as Record<string, unknown>);
  const line = OpenClawLineSchema.safeParse(value);
  if (!line.success) return [];
  const original = value as Record<string, unknown>;
  const ts = lineTime(line.data);
  if (line.data.type === "compaction") {
    const summary = typeof line.data.summary === "string" ? line.data.summary : "";
    return [{ role: "summary", text: summary, ts, [OPENCLAW_ORIGINAL_FIELD]: original }];
  }
  const message = line.data.type === "message" ? line.data.message : undefined;
  if (!message) return [];
  return withOriginal(messageEntries(message, ts), original);
}

function withOriginal(entries: TranscriptEntry[], original: Record<string, unknown>): TranscriptEntry[] {
  const [first] = entries;
  if (first) first[OPENCLAW_ORIGINAL_FIELD] = original;
  for (const later of entries.slice(1)) later[OPENCLAW_PART_FIELD] = true;
  return entries;
}

function markOriginal(entries: TranscriptEntry[], line: Record<string, unknown>): TranscriptEntry[] {
  if (line[GATEWAY_ORIGINAL_FIELD] !== true) return entries;
  const { [GATEWAY_ENTRIES_FIELD]: _entries, [GATEWAY_ORIGINAL_FIELD]: _flag, ...original } = line;
  return withOriginal(entries, original);
}

const PLAIN_ROLES: Record<string, TranscriptRole | undefined> = {
  user: "user",
  system: "system",
};

const ContentPartSchema = z.looseObject({
  type: z.string(),
  text: z.string().optional(),
  id: z.string().optional(),
  name: z.string().optional(),
  arguments: z.unknown().optional(),
});
type ContentPart = z.infer<typeof ContentPartSchema>;

const MessageSchema = z.looseObject({
  role: z.string(),
  content: z.union([z.string(), z.array(ContentPartSchema)]).optional(),
  timestamp: z.number().optional(),
  toolCallId: z.string().optional(),
  toolName: z.string().optional(),
  isError: z.boolean().optional(),
  provider: z.string().optional(),
  model: z.string().optional(),
  stopReason: z.string().optional(),
  idempotencyKey: z.string().optional(),
  usage: z.looseObject({ input: z.number().optional(), output: z.number().optional() }).optional(),
});
type OpenClawMessage = z.infer<typeof MessageSchema>;

const OpenClawLineSchema = z.looseObject({
  type: z.string(),
  timestamp: z.union([z.string(), z.number()]).optional(),
  summary: z.unknown().optional(),
  message: MessageSchema.optional(),
});
type OpenClawLine = z.infer<typeof OpenClawLineSchema>;

function messageEntries(message: OpenClawMessage, ts: number): TranscriptEntry[] {
  if (message.role === "assistant") return assistantEntries(message, ts);
  if (message.role === "toolResult" || message.role === "tool") {
    const toolName = message.toolName ?? "tool";
    const entry: TranscriptEntry = {
      role: "tool",
      text: `${message.isError ? "error" : "result"} ${toolName}`,
      ts,
      toolCallId: message.toolCallId ?? "",
      toolName,
      result: messageText(message.content),
    };
    if (message.isError) entry.isError = true;
    return [entry];
  }
  const role = PLAIN_ROLES[message.role];
  if (role === undefined) return [];
  const entry: TranscriptEntry = { role, text: messageText(message.content), ts };
  if (message.idempotencyKey !== undefined) entry.idempotencyKey = message.idempotencyKey;
  return [entry];
}

/** The assistant's text as one entry (when it said something or called nothing), then one entry per tool call. */
function assistantEntries(message: OpenClawMessage, ts: number): TranscriptEntry[] {
  const parts = Array.isArray(message.content) ? message.content : [];
  const calls = parts.filter((part) => part.type === "toolCall" && typeof part.id === "string");
  const text = messageText(message.content);
  const entries: TranscriptEntry[] = [];
  if (text !== "" || calls.length === 0) {
    const entry: TranscriptEntry = { role: "assistant", text, ts };
    if (message.model !== undefined) {
      entry.model = message.provider ? `${message.provider}/${message.model}` : message.model;
    }
    const { input, output } = message.usage ?? {};
    if (input !== undefined && output !== undefined) {
      entry.usage = { inputTokens: input, outputTokens: output };
    }
    if (message.stopReason === "error") entry.isError = true;
    entries.push(entry);
  }
  for (const call of calls) {
    const toolName = call.name ?? "tool";
    entries.push({
      role: "tool",
      text: `call ${toolName}`,
      ts,
      toolCallId: call.id as string,
      toolName,
      args: call.arguments ?? {},
    });
  }
  return entries;
}

/** The text parts joined; thinking and images are in the kept original only. */
function messageText(content: string | ContentPart[] | undefined): string {
  if (typeof content === "string") return content;
  if (!content) return "";
  return content
    .filter((part) => part.type === "text" && typeof part.text === "string")
    .map((part) => part.text)
    .join("\n");
}

function lineTime(line: OpenClawLine): number {
  if (typeof line.message?.timestamp === "number" && Number.isFinite(line.message.timestamp)) {
    return line.message.timestamp;
  }
  if (typeof line.timestamp === "number" && Number.isFinite(line.timestamp)) return line.timestamp;
  const parsed = typeof line.timestamp === "string" ? Date.parse(line.timestamp) : Number.NaN;
  return Number.isFinite(parsed) ? parsed : 0;
}
