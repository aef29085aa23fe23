/** Lines `process log` shows when the model names neither offset nor limit: the newest ones, as OpenClaw does. */
export const DEFAULT_LOG_TAIL_LINES = 200;

export interface LogPage {
  text: string;
  /** The 0-based line the page starts at. */
  offset: number;
  totalLines: number;
  /** Says what is not shown and how to page to it; absent when the page is the whole answer. */
  note?: string;
}

function splitLines(text: string): string[] {
  if (!text) return [];
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines;
}

/** Whole lines from one end of `lines` that fit in `maxChars` (at least part of one line), and whether any is cut. */
function fitLines(lines: string[], maxChars: number, fromEnd: boolean): { kept: string[]; cut: boolean } {
  const kept: string[] = [];
  let used = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[fromEnd ? lines.length - 1 - i : i] as string;
    if (used + line.length + 1 > maxChars) {
      if (kept.length === 0)
        kept.push(fromEnd ? line.slice(line.length - maxChars) : line.slice(0, maxChars));
      return { kept: fromEnd ? kept.reverse() : kept, cut: true };
    }
    kept.push(line);
    used += line.length + 1;
  }
  return { kept: fromEnd ? kept.reverse() : kept, cut: false };
}

/**
 * A page of lines in OpenClaw's `process log` terms: `offset` + `limit` select lines; `limit` alone the last ones;
 * `offset` alone from there to the end; neither the last 200. A page longer than `maxChars` keeps whole lines from
 * the end it is anchored to and says how to see the rest.
 */
export function sliceLogLines(
  text: string,
  offset: number | undefined,
  limit: number | undefined,
  maxChars: number,
): LogPage {
  const lines = splitLines(text);
  const totalLines = lines.length;
  const tailView = offset === undefined;
  const count = limit !== undefined ? Math.floor(limit) : tailView ? DEFAULT_LOG_TAIL_LINES : undefined;
  const start = tailView ? Math.max(0, totalLines - (count ?? 0)) : Math.min(Math.floor(offset), totalLines);
  const end = count === undefined ? totalLines : Math.min(totalLines, start + count);
  const selected = lines.slice(start, end);
  const { kept, cut } = fitLines(selected, maxChars, tailView);
  const keptStart = tailView ? end - kept.length : start;
  const notes: string[] = [];
  if (cut) {
    notes.push(
      tailView
        ? `page cut to its last ${kept.length} lines (${maxChars} characters at most): pass offset and a smaller limit to see lines ${start}-${keptStart - 1}`
        : `page cut after ${kept.length} lines (${maxChars} characters at most): continue with offset ${start + kept.length}`,
    );
  } else if (offset === undefined && limit === undefined && totalLines > DEFAULT_LOG_TAIL_LINES) {
    notes.push(
      `showing the last ${DEFAULT_LOG_TAIL_LINES} of ${totalLines} lines: pass offset/limit to page`,
    );
  }
  return {
    text: kept.join("\n"),
    offset: keptStart,
    totalLines,
    ...(notes.length ? { note: notes.join("; ") } : {}),
  };
}
