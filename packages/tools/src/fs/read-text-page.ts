import { ToolError } from "../tool-error.js";
import { formatBytes, READ_MAX_BYTES, READ_MAX_LINES } from "./fs-limits.js";

export interface PageRequest {
  /** 1-based first line. */
  offset?: number;
  /** Lines wanted; the caps may cut it shorter. */
  limit?: number;
  /** 0-based character position within the first line (continuing a line longer than the byte cap). */
  cursor?: number;
}

/** Where the next `read` call continues. */
export interface ReadContinuation {
  offset: number;
  cursor?: number;
  limit?: number;
}

export type TextPage =
  | { kind: "text"; content: string }
  | {
      kind: "truncated";
      content: string;
      /** Appended to the content for the model: what was shown and how to go on. */
      notice: string;
      continuation: ReadContinuation;
      truncatedBy: "lines" | "bytes" | "limit";
      totalLines: number;
    };

export function splitLines(text: string): string[] {
  if (text === "") return [];
  const body = text.endsWith("\n") ? text.slice(0, -1) : text;
  return body.split("\n");
}

/** One page of a text file: at most READ_MAX_LINES lines and READ_MAX_BYTES bytes, with a note when more is left. */
export function pageText(text: string, request: PageRequest): TextPage {
  const lines = splitLines(text);
  const total = lines.length;
  const start = (request.offset ?? 1) - 1;
  if (start >= total) {
    throw new ToolError(
      "INVALID_ARGUMENTS",
      `offset ${request.offset} is beyond the end of the file (${total} lines); retry with offset <= ${total}`,
    );
  }
  const cursor = request.cursor ?? 0;
  const firstLine = lines[start] ?? "";
  if (cursor > 0) assertCursorFits(firstLine, cursor, start + 1);

  const wanted =
    request.limit === undefined ? Number.POSITIVE_INFINITY : Math.max(1, Math.floor(request.limit));
  const lineCap = Math.min(wanted, READ_MAX_LINES);
  const shown: string[] = [];
  let bytes = 0;
  let cutByBytes = false;
  for (let index = start; index < total && shown.length < lineCap; index += 1) {
    const line = index === start ? firstLine.slice(cursor) : (lines[index] ?? "");
    const lineBytes = Buffer.byteLength(line, "utf8") + (shown.length > 0 ? 1 : 0);
    if (bytes + lineBytes > READ_MAX_BYTES) {
      if (shown.length === 0) return partialLine(line, start + 1, cursor, request.limit, total);
      cutByBytes = true;
      break;
    }
    shown.push(line);
    bytes += lineBytes;
  }

  const end = start + shown.length;
  const content = shown.join("\n");
  if (end >= total) return { kind: "text", content };

  const next = end + 1;
  const range = `lines ${start + 1}-${end} of ${total}`;
  if (!cutByBytes && shown.length === wanted) {
    const left = total - end;
    return {
      kind: "truncated",
      content,
      notice: `[${left} more line${left === 1 ? "" : "s"} in the file. Use offset=${next} to continue.]`,
      continuation: { offset: next, limit: request.limit },
      truncatedBy: "limit",
      totalLines: total,
    };
  }
  const cap = cutByBytes ? `${formatBytes(READ_MAX_BYTES)} limit` : `${READ_MAX_LINES}-line limit`;
  const remaining = wanted === Number.POSITIVE_INFINITY ? undefined : wanted - shown.length;
  const limitHint = remaining === undefined ? "" : `, limit=${remaining}`;
  return {
    kind: "truncated",
    content,
    notice: `[Showing ${range} (${cap}). Use offset=${next}${limitHint} to continue.]`,
    continuation: { offset: next, limit: remaining },
    truncatedBy: cutByBytes ? "bytes" : "lines",
    totalLines: total,
  };
}

function assertCursorFits(line: string, cursor: number, lineNumber: number): void {
  if (cursor >= line.length) {
    throw new ToolError(
      "INVALID_ARGUMENTS",
      `cursor ${cursor} is at or beyond the end of line ${lineNumber} (${line.length} characters)`,
    );
  }
  if (isLowSurrogate(line.charCodeAt(cursor))) {
    throw new ToolError(
      "INVALID_ARGUMENTS",
      `cursor ${cursor} splits a character in two; retry with cursor=${cursor - 1} or cursor=${cursor + 1}`,
    );
  }
}

/** A single line longer than the byte cap: show its head and continue within the line. */
function partialLine(
  line: string,
  lineNumber: number,
  cursor: number,
  limit: number | undefined,
  total: number,
): TextPage {
  const content = utf8Prefix(line, READ_MAX_BYTES);
  const nextCursor = cursor + content.length;
  const limitHint = limit === undefined ? "" : `, limit=${limit}`;
  return {
    kind: "truncated",
    content,
    notice: `[Showing part of line ${lineNumber} (${formatBytes(READ_MAX_BYTES)} limit). Use offset=${lineNumber}, cursor=${nextCursor}${limitHint} to continue.]`,
    continuation: { offset: lineNumber, cursor: nextCursor, limit },
    truncatedBy: "bytes",
    totalLines: total,
  };
}

/** The longest prefix of `text` within `maxBytes` UTF-8 bytes that does not split a character. */
export function utf8Prefix(text: string, maxBytes: number): string {
  let bytes = 0;
  let index = 0;
  while (index < text.length) {
    const code = text.codePointAt(index) ?? 0;
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    if (bytes + size > maxBytes) break;
    bytes += size;
    index += code >= 0x10000 ? 2 : 1;
  }
  return text.slice(0, index);
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
