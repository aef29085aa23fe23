/** Strings longer than this in a tool result are kept in events and the transcript as a note, not verbatim. */
export const MAX_RECORDED_STRING_CHARS = 16 * 1024;
const MAX_DEPTH = 8;

/**
 * The copy of a tool result that events and the transcript keep. The model gets the result itself (an image's
 * base64, a long page); what is stored and broadcast replaces each oversized string with a note saying what was left
 * out, so one screenshot does not cost megabytes per transcript line and per subscribed client.
 */
export function recordedToolValue(value: unknown, depth = 0): unknown {
  if (typeof value === "string") {
    if (value.length <= MAX_RECORDED_STRING_CHARS) return value;
    return `${value.slice(0, 200)}… [${value.length} characters not recorded; the model received them in full]`;
  }
  if (value === null || typeof value !== "object") return value;
  if (depth >= MAX_DEPTH) return "[nested too deeply to record]";
  if (Array.isArray(value)) return value.map((item) => recordedToolValue(item, depth + 1));
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) copy[key] = recordedToolValue(item, depth + 1);
  return copy;
}
