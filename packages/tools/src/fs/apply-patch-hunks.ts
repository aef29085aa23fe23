import { ToolError } from "../tool-error.js";
import type { PatchLine, UpdateChunk } from "./apply-patch-parser.js";
import { splitLines } from "./read-text-page.js";

type Replacement = { start: number; removed: number; lines: string[] };
type Search = { kind: "found"; index: number } | { kind: "missing" } | { kind: "ambiguous"; count: number };

const SHOWN_LINES = 20;

/**
 * Lines models copy slightly off: trailing spaces, indentation, typographic quotes and dashes. Each way of comparing is
 * tried only when the stricter ones found nothing.
 */
const COMPARISONS: ((line: string) => string)[] = [
  (line) => line,
  (line) => line.trimEnd(),
  (line) => line.trim(),
  (line) =>
    line
      .trim()
      .replace(/[\u2010-\u2015\u2212]/g, "-")
      .replace(/[\u2018-\u201B]/g, "'")
      .replace(/[\u201C-\u201F]/g, '"')
      .replace(/[\u00A0\u2002-\u200A\u202F\u205F\u3000]/g, " "),
];

/**
 * Applies an Update File's hunks to `text` (with `\n` line ends). Hunks are located in order, each after the previous,
 * in the original text; a hunk's lines must match exactly one place. `where` names the file in errors.
 */
export function applyUpdateChunks(text: string, chunks: readonly UpdateChunk[], where: string): string {
  const lines = splitLines(text);
  const replacements: Replacement[] = [];
  let cursor = 0;
  chunks.forEach((chunk, chunkIndex) => {
    const hunk = `${where}, hunk ${chunkIndex + 1}`;
    if (chunk.context !== undefined) {
      const found = seek(lines, [chunk.context], cursor, false);
      if (found.kind === "missing") fail(hunk, `the @@ context line was not found: ${chunk.context}`);
      if (found.kind === "ambiguous") {
        fail(
          hunk,
          `the @@ context line occurs ${found.count} times: ${chunk.context}. Use a more specific one`,
        );
      }
      cursor = found.index + 1;
    }
    const replacement = locateChunk(lines, chunk, cursor, hunk);
    replacements.push(replacement);
    cursor = replacement.start + replacement.removed;
  });
  for (const { start, removed, lines: added } of replacements.toReversed())
    lines.splice(start, removed, ...added);
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

function locateChunk(lines: string[], chunk: UpdateChunk, cursor: number, hunk: string): Replacement {
  let patchLines = chunk.lines;
  if (!patchLines.some((line) => line.kind !== "+")) {
    const start = chunk.context !== undefined && !chunk.endOfFile ? cursor : lines.length;
    return { start, removed: 0, lines: patchLines.map((line) => line.text) };
  }
  let found = seek(lines, oldSide(patchLines), cursor, chunk.endOfFile);
  // A blank context line after the last line of a file is a common copy slip: retry without it.
  const last = patchLines.at(-1);
  if (found.kind === "missing" && last?.kind === " " && last.text === "") {
    patchLines = patchLines.slice(0, -1);
    found = seek(lines, oldSide(patchLines), cursor, chunk.endOfFile);
  }
  const expected = oldSide(chunk.lines);
  if (found.kind === "missing") fail(hunk, `these lines were not found in the file:\n${excerpt(expected)}`);
  if (found.kind === "ambiguous") {
    fail(
      hunk,
      `these lines occur ${found.count} times; add context lines so the hunk matches once:\n${excerpt(expected)}`,
    );
  }
  return {
    start: found.index,
    removed: oldSide(patchLines).length,
    lines: newSide(lines, found.index, patchLines),
  };
}

/** The hunk's new lines; context lines keep the file's own text, which may differ in whitespace from the patch's. */
function newSide(lines: readonly string[], start: number, patchLines: readonly PatchLine[]): string[] {
  const result: string[] = [];
  let old = start;
  for (const line of patchLines) {
    if (line.kind === "+") result.push(line.text);
    else if (line.kind === " ") result.push(lines[old++] ?? line.text);
    else old += 1;
  }
  return result;
}

function oldSide(patchLines: readonly PatchLine[]): string[] {
  return patchLines.filter((line) => line.kind !== "+").map((line) => line.text);
}

function seek(lines: readonly string[], pattern: readonly string[], from: number, atEnd: boolean): Search {
  const last = lines.length - pattern.length;
  const first = atEnd ? Math.max(from, last) : from;
  if (pattern.length === 0 || first > last) return { kind: "missing" };
  for (const compare of COMPARISONS) {
    const wanted = pattern.map(compare);
    const matches: number[] = [];
    for (let index = first; index <= last; index += 1) {
      if (wanted.every((line, offset) => compare(lines[index + offset] ?? "") === line)) matches.push(index);
    }
    if (matches.length === 1) return { kind: "found", index: matches[0] as number };
    if (matches.length > 1) return { kind: "ambiguous", count: matches.length };
  }
  return { kind: "missing" };
}

function excerpt(lines: readonly string[]): string {
  const shown = lines.slice(0, SHOWN_LINES).join("\n");
  return lines.length > SHOWN_LINES ? `${shown}\n... (${lines.length - SHOWN_LINES} more lines)` : shown;
}

function fail(hunk: string, problem: string): never {
  throw new ToolError("PATCH_FAILED", `${hunk}: ${problem}. Nothing was changed.`);
}
