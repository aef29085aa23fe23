export interface BlockChunkerOptions {
  /** A block shorter than this waits for more text (unless it ends at a paragraph in `newline` mode). */
  minChars: number;
  /** A block is cut before this many characters, at the best break found. */
  maxChars: number;
  /** `newline`: every completed paragraph is its own block. `length`: blocks are cut only when they are full. */
  chunkMode: "length" | "newline";
}

interface Cut {
  /** The block ends here… */
  end: number;
  /** …and the next one starts here (whitespace at the break is dropped). */
  next: number;
}

const FENCE_LINE = /^ {0,3}(`{3,}|~{3,})([^\n]*)$/;

/** Where each fenced code block opens, by index, with the line that reopens it and the marker that closes it. */
interface FenceSpan {
  start: number;
  end: number;
  openLine: string;
  marker: string;
}

function fenceSpans(text: string): FenceSpan[] {
  const spans: FenceSpan[] = [];
  let open: { start: number; openLine: string; marker: string } | undefined;
  let lineStart = 0;
  while (lineStart <= text.length) {
    const newline = text.indexOf("\n", lineStart);
    const lineEnd = newline === -1 ? text.length : newline;
    const match = FENCE_LINE.exec(text.slice(lineStart, lineEnd));
    if (match?.[1] !== undefined) {
      if (open === undefined) {
        open = { start: lineStart, openLine: text.slice(lineStart, lineEnd).trim(), marker: match[1] };
      } else if (
        match[1][0] === open.marker[0] &&
        match[1].length >= open.marker.length &&
        !match[2]?.trim()
      ) {
        spans.push({ ...open, end: lineEnd });
        open = undefined;
      }
    }
    if (newline === -1) break;
    lineStart = newline + 1;
  }
  if (open !== undefined) spans.push({ ...open, end: Number.POSITIVE_INFINITY });
  return spans;
}

/**
 * Cuts a reply that is still being written into blocks that are complete, for block replies (a platform that cannot
 * edit gets one message per block as the model finishes it). Blocks end at paragraphs where possible, then lines,
 * sentences, words; a code block cut in two is closed and reopened so each message renders. What was taken is
 * never taken again: {@link rest} is what the final delivery still has to send.
 */
export class BlockChunker {
  readonly #o: BlockChunkerOptions;
  #position = 0;
  /** The fence opening line the next block must start with, when the last cut fell inside a code block. */
  #carry = "";

  constructor(options: BlockChunkerOptions) {
    this.#o = { ...options, minChars: Math.min(options.minChars, options.maxChars) };
  }

  /**
   * The blocks of `text` (the whole reply so far) that are complete now. `idle`: the model paused, so completed
   * paragraphs go out even below `minChars`.
   */
  take(text: string, o: { idle?: boolean } = {}): string[] {
    const blocks: string[] = [];
    const fences = fenceSpans(text);
    for (;;) {
      const cut = this.#findCut(text, fences, o.idle === true);
      if (cut === undefined) return blocks;
      const fence = fences.find((span) => cut.end > span.start && cut.end < span.end);
      let block = this.#carry + text.slice(this.#position, cut.end).trim();
      this.#carry = "";
      if (fence !== undefined) {
        block += `\n${fence.marker}`;
        this.#carry = `${fence.openLine}\n`;
      }
      if (block.trim() !== "") blocks.push(block);
      this.#position = cut.next;
    }
  }

  /** How much of the text the blocks taken so far cover. */
  get taken(): number {
    return this.#position;
  }

  /** What of the final `text` was not taken as a block yet. */
  rest(text: string): string {
    return this.#carry + text.slice(this.#position).trimStart();
  }

  #findCut(text: string, fences: FenceSpan[], idle: boolean): Cut | undefined {
    const from = this.#position;
    const outsideFence = (index: number) => !fences.some((span) => index > span.start && index < span.end);
    const paragraphs = [...text.slice(from).matchAll(/\n[ \t]*\n\s*/g)]
      .map((match) => ({ end: from + match.index, next: from + match.index + match[0].length }))
      .filter((cut) => outsideFence(cut.end) && cut.end - from + this.#carry.length <= this.#o.maxChars);
    const room = this.#o.maxChars - this.#carry.length;
    if (this.#o.chunkMode === "newline" && paragraphs[0] !== undefined) return paragraphs[0];
    const full = text.length - from > room;
    const longEnough = paragraphs.filter((cut) => cut.end - from >= this.#o.minChars);
    if ((full || idle) && longEnough.length > 0) return longEnough.at(-1);
    if (idle && paragraphs.length > 0) return paragraphs.at(-1);
    if (!full) return undefined;
    return forcedCut(text, from, Math.max(1, room - 4));
  }
}

/** A cut inside `[from, from + budget]` when no paragraph fits: the last line break, else space, else a hard cut. */
function forcedCut(text: string, from: number, budget: number): Cut {
  const window = text.slice(from, from + budget);
  const line = window.lastIndexOf("\n");
  if (line > budget / 2) return { end: from + line, next: from + line + 1 };
  const sentence = Math.max(window.lastIndexOf(". "), window.lastIndexOf("! "), window.lastIndexOf("? "));
  if (sentence > budget / 2) return { end: from + sentence + 1, next: from + sentence + 2 };
  const space = window.lastIndexOf(" ");
  if (space > budget / 2) return { end: from + space, next: from + space + 1 };
  let end = from + budget;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return { end, next: end };
}
