import { z } from "zod";
import { type TranscriptEntry, TranscriptEntrySchema, type TranscriptRole } from "../transcript-file.js";

/**
 * One line of a legacy transcript as an entry of ours. Three shapes arrive:
 * - our own `{role, text, ts}` lines (the file store's), kept as they are;
 * - OpenClaw's `{type: "message", timestamp, message: {role, content}}`, converted, with the original line kept
 *   under `openclaw` so tool calls, thinking and usage are not lost;
 * - OpenClaw's `{type: "compaction", summary}`, kept as a summary entry.
 * The `{type: "session"}` header and OpenClaw's bookkeeping lines (model changes, custom state) give undefined.
 */
export function legacyTranscriptEntry(value: unknown): TranscriptEntry | undefined {
  const ours = TranscriptEntrySchema.safeParse(value);
  if (ours.success) return ours.data as TranscriptEntry;
  const line = OpenClawLineSchema.safeParse(value);
  if (!line.success) return undefined;
  const original = value as Record<string, unknown>;
  if (line.data.type === "compaction") {
    const summary = typeof line.data.summary === "string" ? line.data.summary : "";
    return { role: "summary", text: summary, ts: lineTime(line.data), openclaw: original };
  }
  if (line.data.type !== "message" || !line.data.message) return undefined;
  const role = OPENCLAW_ROLES[line.data.message.role];
  if (role === undefined) return undefined;
  return { role, text: messageText(line.data.message.content), ts: lineTime(line.data), openclaw: original };
}

const OPENCLAW_ROLES: Record<string, TranscriptRole | undefined> = {
  user: "user",
  assistant: "assistant",
  system: "system",
  toolResult: "tool",
  tool: "tool",
};

const ContentPartSchema = z.looseObject({ type: z.string(), text: z.string().optional() });

const OpenClawLineSchema = z.looseObject({
  type: z.string(),
  timestamp: z.union([z.string(), z.number()]).optional(),
  summary: z.unknown().optional(),
  message: z
    .looseObject({
      role: z.string(),
      content: z.union([z.string(), z.array(ContentPartSchema)]).optional(),
      timestamp: z.number().optional(),
    })
    .optional(),
});

type OpenClawLine = z.infer<typeof OpenClawLineSchema>;

/** The text parts joined; thinking, tool calls and images are in the kept original only. */
function messageText(content: string | Array<z.infer<typeof ContentPartSchema>> | undefined): string {
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
