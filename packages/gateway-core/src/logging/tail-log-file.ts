import { open, stat } from "node:fs/promises";
import type { LogsTailResult } from "@openclaw/protocol";

/**
 * Reads the log file from byte `cursor` (or its last `maxBytes` when no cursor is given), returning whole lines
 * and the cursor to pass next time. A cursor beyond the end (the file was rotated or truncated) starts over.
 */
export async function tailLogFile(
  file: string,
  options: { cursor?: number; limit?: number; maxBytes?: number },
): Promise<LogsTailResult> {
  const limit = options.limit ?? 200;
  const maxBytes = options.maxBytes ?? 250_000;
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch {
    return { file, cursor: 0, size: 0, lines: [] };
  }
  let start = options.cursor ?? Math.max(0, size - maxBytes);
  let reset = false;
  if (start > size) {
    start = 0;
    reset = true;
  }
  const length = Math.min(size - start, maxBytes);
  if (length <= 0) return { file, cursor: start, size, lines: [], reset };
  const handle = await open(file, "r");
  try {
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, start);
    const lastNewline = buffer.lastIndexOf(10);
    // Without a cursor we may have started mid-line: skip to the first whole line.
    const firstLine = options.cursor === undefined && start > 0 ? buffer.indexOf(10) + 1 : 0;
    const complete = lastNewline < firstLine ? "" : buffer.subarray(firstLine, lastNewline).toString("utf8");
    const consumed = lastNewline === -1 ? 0 : lastNewline + 1;
    let lines = complete === "" ? [] : complete.split("\n");
    const truncated = lines.length > limit || start + length < size;
    if (lines.length > limit) lines = lines.slice(lines.length - limit);
    return { file, cursor: start + consumed, size, lines, truncated, reset };
  } finally {
    await handle.close();
  }
}
