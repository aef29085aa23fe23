import type { TranscriptEntry } from "@openclaw/sessions";

/** What OpenClaw caps a history text at; tool args and results get the same cap unless the caller asks for another. */
export const HISTORY_TOOL_PAYLOAD_MAX_CHARS = 8_000;

export interface ChatHistoryRowOptions {
  /** `chat.history`'s `maxChars`: caps texts, and tool args and results instead of the default. */
  maxChars?: number;
}

type HistoryRow = TranscriptEntry & { toolCallId?: string; toolName?: string };

/**
 * Transcript entries as `chat.history` rows. A tool call is written twice (the call with its args, then its result);
 * the two become one `role: "tool"` row at the call's place, with `args`, `result` and `isError`, so a client can show
 * one card per call. A result whose call fell outside the window stands alone. Args and results longer than the cap
 * are replaced by their JSON text cut at the cap, with a note saying so.
 */
export function chatHistoryRows(
  entries: readonly TranscriptEntry[],
  options: ChatHistoryRowOptions = {},
): HistoryRow[] {
  const rows: HistoryRow[] = [];
  const callRows = new Map<string, HistoryRow>();
  const payloadCap = options.maxChars ?? HISTORY_TOOL_PAYLOAD_MAX_CHARS;
  for (const entry of entries) {
    const text = capText(entry.text, options.maxChars);
    if (entry.role !== "tool" || typeof entry.toolCallId !== "string") {
      rows.push({ ...entry, text });
      continue;
    }
    const call = callRows.get(entry.toolCallId);
    if (call !== undefined && "result" in entry) {
      call.result = capPayload(entry.result, payloadCap);
      if (entry.isError === true) call.isError = true;
      continue;
    }
    const row: HistoryRow = { ...entry, text };
    if ("args" in entry) row.args = capPayload(entry.args, payloadCap);
    if ("result" in entry) row.result = capPayload(entry.result, payloadCap);
    rows.push(row);
    if (!("result" in entry)) callRows.set(entry.toolCallId, row);
  }
  return rows;
}

function capText(text: string, maxChars: number | undefined): string {
  return maxChars !== undefined && text.length > maxChars ? `${text.slice(0, maxChars)}…` : text;
}

/** A value as is when its JSON fits the cap; otherwise its JSON cut at the cap, with the note a reader needs. */
export function capPayload(value: unknown, maxChars: number): unknown {
  if (value === undefined) return value;
  const json = typeof value === "string" ? value : JSON.stringify(value);
  if (json === undefined || json.length <= maxChars) return value;
  return `${json.slice(0, maxChars)}\n…[truncated in history: ${maxChars} of ${json.length} characters shown]`;
}
