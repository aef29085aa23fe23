/** A fenced code block (``` or ~~~) as found in the text, by UTF-16 index. */
interface CodeFence {
  /** Index of the opening marker (after any indentation). */
  start: number;
  /** Index of the first character of the body (after the opening line's newline). */
  bodyStart: number;
  /** Index where the closing line begins, or the text's length when the fence is never closed. */
  closeLineStart: number;
  /** Index just after the closing marker line's content, or the text's length when never closed. */
  end: number;
  /** The opening line without trailing whitespace, e.g. "```ts": reopened at the start of a continuation chunk. */
  openLine: string;
  /** Appended to a chunk that ends inside the fence, e.g. "\n```". */
  closeSuffix: string;
}

type BreakKind = "paragraph" | "line" | "sentence" | "word";
const BREAK_PRIORITY: readonly BreakKind[] = ["paragraph", "line", "sentence", "word"];

interface WhitespaceBreak {
  /** The chunk ends here (the whitespace is dropped)… */
  cut: number;
  /** …and the next one starts here. */
  next: number;
  kind: BreakKind;
}

const FENCE_OPEN = /^( {0,3})(`{3,}|~{3,})([^\n]*)$/;
const SENTENCE_END = /[.!?…。！？]["'”’)\]]*$/;
const MIN_FENCE_BODY = 2;

function lineEndAt(text: string, from: number): number {
  const index = text.indexOf("\n", from);
  return index === -1 ? text.length : index;
}

function findCodeFences(text: string): CodeFence[] {
  const fences: CodeFence[] = [];
  let lineStart = 0;
  while (lineStart < text.length) {
    const lineEnd = lineEndAt(text, lineStart);
    const open = FENCE_OPEN.exec(text.slice(lineStart, lineEnd).replace(/\r$/, ""));
    const marker = open?.[2];
    // A backtick fence's info string may not contain a backtick (CommonMark), so "```a```" is inline code.
    if (open === null || marker === undefined || (marker[0] === "`" && open[3]?.includes("`"))) {
      lineStart = lineEnd + 1;
      continue;
    }
    const start = lineStart + (open[1]?.length ?? 0);
    const openLine = text.slice(start, lineEnd).trimEnd();
    const closing = new RegExp(`^ {0,3}${marker[0] === "`" ? "`" : "~"}{${marker.length},}[ \\t\\r]*$`);
    let closeLineStart = text.length;
    let end = text.length;
    let cursor = lineEnd + 1;
    while (cursor < text.length) {
      const cursorEnd = lineEndAt(text, cursor);
      if (closing.test(text.slice(cursor, cursorEnd))) {
        closeLineStart = cursor;
        end = cursorEnd;
        break;
      }
      cursor = cursorEnd + 1;
    }
    fences.push({
      start,
      bodyStart: Math.min(lineEnd + 1, text.length),
      closeLineStart,
      end,
      openLine,
      closeSuffix: `\n${marker}`,
    });
    lineStart = end + 1;
  }
  return fences;
}

/**
 * Whether a chunk can hold the opening line, some body and the closing marker. A fence that cannot (a tiny limit)
 * is chunked like prose: keeping it intact is impossible anyway.
 */
function fenceFits(fence: CodeFence, maxLength: number): boolean {
  const hasBody = fence.closeLineStart - fence.bodyStart >= MIN_FENCE_BODY;
  return hasBody && fence.bodyStart - fence.start + MIN_FENCE_BODY + fence.closeSuffix.length <= maxLength;
}

function isWhitespace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13 || code === 12 || code === 11;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** Moves a hard cut back by one when it would separate the two halves of a surrogate pair. */
function keepSurrogatePair(text: string, cut: number): number {
  return isHighSurrogate(text.charCodeAt(cut - 1)) && isLowSurrogate(text.charCodeAt(cut)) ? cut - 1 : cut;
}

function classifyBreak(text: string, cut: number, next: number): BreakKind {
  let newlines = 0;
  for (let index = cut; index < next; index += 1) if (text.charCodeAt(index) === 10) newlines += 1;
  if (newlines >= 2) return "paragraph";
  if (newlines === 1) return "line";
  return SENTENCE_END.test(text.slice(Math.max(0, cut - 8), cut)) ? "sentence" : "word";
}

/** Whitespace runs in `(from, limit]` (by cut) that lie outside every fence. */
function whitespaceBreaks(text: string, from: number, limit: number, fences: CodeFence[]): WhitespaceBreak[] {
  const breaks: WhitespaceBreak[] = [];
  let index = from + 1;
  while (index <= limit && index < text.length) {
    if (!isWhitespace(text.charCodeAt(index))) {
      index += 1;
      continue;
    }
    const cut = index;
    while (index < text.length && isWhitespace(text.charCodeAt(index))) index += 1;
    const insideFence = fences.some((fence) => cut > fence.start && cut < fence.end);
    if (!insideFence) breaks.push({ cut, next: index, kind: classifyBreak(text, cut, index) });
  }
  return breaks;
}

/**
 * The best break: the highest-priority kind that still fills at least half the window, else the highest-priority
 * kind at all (a short chunk before a code block beats splitting the block).
 */
function chooseBreak(breaks: WhitespaceBreak[], halfWindow: number): WhitespaceBreak | undefined {
  const lastOf = (kind: BreakKind) => breaks.findLast((candidate) => candidate.kind === kind);
  for (const kind of BREAK_PRIORITY) {
    const candidate = lastOf(kind);
    if (candidate !== undefined && candidate.cut >= halfWindow) return candidate;
  }
  for (const kind of BREAK_PRIORITY) {
    const candidate = lastOf(kind);
    if (candidate !== undefined) return candidate;
  }
  return undefined;
}

function skipWhitespace(text: string, from: number): number {
  let index = from;
  while (index < text.length && isWhitespace(text.charCodeAt(index))) index += 1;
  return index;
}

/**
 * Splits inside `fence`: at the last line break that fits, else the last space, else a hard cut. Each side keeps
 * some of the body. Undefined when no such split exists (e.g. an oversized closing line).
 */
function splitInsideFence(
  text: string,
  fence: CodeFence,
  position: number,
  budget: number,
): { cut: number; next: number } | undefined {
  const lowest = Math.max(position + 1, fence.bodyStart + 1);
  const highest = Math.min(position + budget, fence.closeLineStart - 1);
  if (highest < lowest) return undefined;
  const newline = text.lastIndexOf("\n", highest);
  if (newline >= lowest && newline <= fence.closeLineStart - 2) return { cut: newline, next: newline + 1 };
  for (let index = highest - 1; index >= lowest; index -= 1) {
    const code = text.charCodeAt(index);
    if (code === 32 || code === 9) return { cut: index, next: index + 1 };
  }
  const cut = keepSurrogatePair(text, highest);
  return cut >= lowest ? { cut, next: cut } : undefined;
}

function assertMaxLength(maxLength: number): void {
  if (!Number.isInteger(maxLength) || maxLength < 2) {
    throw new RangeError(
      `chunkText maxLength must be an integer of at least 2 (a surrogate pair needs two), got ${maxLength}: pass the platform's capabilities.maxTextLength`,
    );
  }
}

/**
 * Splits `text` into chunks of at most `maxLength` UTF-16 code units, for platforms that cap a message's length.
 *
 * A fenced code block is never split when it fits in a chunk; when it must be split, each part is closed with the
 * fence marker and the next part reopens it with the same language, so every chunk renders on its own. Breaks are
 * preferred at a paragraph, then a line, a sentence, a word, and only then mid-word; whitespace at a break is dropped.
 * A surrogate pair is never split and no chunk is empty. A text that already fits is returned unchanged.
 */
export function chunkText(text: string, maxLength: number): string[] {
  assertMaxLength(maxLength);
  if (text.trim() === "") return [];
  if (text.length <= maxLength) return [text];

  const fences = findCodeFences(text).filter((fence) => fenceFits(fence, maxLength));
  const fenceAt = (position: number) =>
    fences.find((fence) => position >= fence.start && position < fence.closeLineStart);
  const chunks: string[] = [];
  const textEnd = text.trimEnd().length;
  let position = skipWhitespace(text, 0);
  // The fence a chunk continues in, when the previous chunk ended inside its body.
  let continued: CodeFence | undefined;

  while (position < text.length) {
    const reopen = continued === undefined ? "" : `${continued.openLine}\n`;
    if (reopen.length + textEnd - position <= maxLength) {
      const rest = text.slice(position, textEnd);
      if (rest.trim() !== "") chunks.push(reopen + rest);
      break;
    }
    const budget = maxLength - reopen.length;
    const chosen = chooseBreak(
      whitespaceBreaks(text, position, position + budget, fences),
      position + Math.floor(budget / 2),
    );
    if (chosen !== undefined) {
      chunks.push(reopen + text.slice(position, chosen.cut));
      position = skipWhitespace(text, chosen.next);
      continued = undefined;
      continue;
    }
    const fence = continued ?? fenceAt(position);
    const split = fence && splitInsideFence(text, fence, position, budget - fence.closeSuffix.length);
    if (fence !== undefined && split !== undefined) {
      chunks.push(reopen + text.slice(position, split.cut) + fence.closeSuffix);
      position = split.next;
      continued = fence;
      continue;
    }
    const cut = keepSurrogatePair(text, position + budget);
    const piece = reopen + text.slice(position, cut);
    if (piece.trim() !== "") chunks.push(piece);
    position = cut;
    continued = undefined;
  }
  return chunks;
}
