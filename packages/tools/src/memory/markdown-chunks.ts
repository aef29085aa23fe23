/** About 400 tokens, OpenClaw's chunk size. */
export const MAX_CHUNK_CHARS = 1600;

export interface MarkdownChunk {
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  text: string;
  /** The nearest heading above the chunk (or its own first heading), without the `#`s. */
  heading: string;
}

interface Block {
  start: number;
  end: number;
  chars: number;
  isHeading: boolean;
  heading: string;
}

const HEADING = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/**
 * Splits a note into search chunks along its structure: a heading starts a new chunk, paragraphs (blank-line
 * separated blocks, fenced code kept whole) are gathered until a chunk would pass {@link MAX_CHUNK_CHARS}, and a block
 * longer than that is cut between lines. Each chunk keeps the 1-based line range it came from.
 */
export function chunkMarkdown(content: string, maxChars = MAX_CHUNK_CHARS): MarkdownChunk[] {
  const lines = content.split(/\r?\n/);
  if (lines.at(-1) === "") lines.pop();
  const chunks: MarkdownChunk[] = [];
  let current:
    | { start: number; end: number; chars: number; heading: string; onlyHeadings: boolean }
    | undefined;

  const flush = () => {
    if (current === undefined) return;
    const text = lines.slice(current.start, current.end + 1).join("\n");
    if (text.trim() !== "") {
      chunks.push({ startLine: current.start + 1, endLine: current.end + 1, text, heading: current.heading });
    }
    current = undefined;
  };

  for (const block of splitBlocks(lines, maxChars)) {
    // A heading opens a new chunk unless the open chunk holds only headings (a title right above a section).
    const opensChunk = block.isHeading && current !== undefined && !current.onlyHeadings;
    if (current !== undefined && (opensChunk || current.chars + block.chars > maxChars)) flush();
    if (current === undefined) {
      current = { start: block.start, end: block.end, chars: 0, heading: block.heading, onlyHeadings: true };
    }
    current.end = block.end;
    current.chars += block.chars;
    if (block.isHeading) current.heading = block.heading;
    else current.onlyHeadings = false;
  }
  flush();
  return chunks;
}

function splitBlocks(lines: string[], maxChars: number): Block[] {
  const blocks: Block[] = [];
  let heading = "";
  let start = -1;
  let chars = 0;
  let fence: string | undefined;

  const close = (end: number) => {
    if (start >= 0) blocks.push({ start, end, chars, isHeading: false, heading });
    start = -1;
    chars = 0;
  };

  for (const [index, line] of lines.entries()) {
    const fenceMarker = FENCE.exec(line)?.[1];
    if (fence !== undefined) {
      if (fenceMarker?.startsWith(fence)) fence = undefined;
    } else if (fenceMarker !== undefined) {
      fence = fenceMarker;
    } else {
      const headingMatch = HEADING.exec(line);
      if (headingMatch) {
        close(index - 1);
        heading = (headingMatch[2] ?? "").slice(0, 200);
        blocks.push({ start: index, end: index, chars: line.length + 1, isHeading: true, heading });
        continue;
      }
      if (line.trim() === "") {
        close(index - 1);
        continue;
      }
    }
    // An overlong block (a long list, a huge code fence) is cut between lines so one chunk stays searchable.
    if (start >= 0 && chars + line.length + 1 > maxChars) close(index - 1);
    if (start < 0) start = index;
    chars += line.length + 1;
  }
  close(lines.length - 1);
  return blocks;
}
