import { ToolError } from "../tool-error.js";

export interface TextEdit {
  oldText: string;
  newText: string;
}

export interface AppliedEdits {
  text: string;
  changed: boolean;
  /** 1-based line of the first replacement, in the original. */
  firstChangedLine: number;
  /** Each replacement as `@@ line N @@` with its removed and added lines, cut short for large edits. */
  diff: string;
}

interface Located extends TextEdit {
  index: number;
  position: number;
}

const DIFF_LINES_PER_SIDE = 12;
const DIFF_MAX_CHARS = 4000;
const HINT_SCAN_LINES = 20_000;

/**
 * Applies exact replacements, all located in the original text (not one after the other): each `oldText` must occur
 * exactly once and no two may overlap. Nothing is applied unless every edit can be.
 */
export function applyTextEdits(
  original: string,
  edits: readonly TextEdit[],
  shownPath: string,
): AppliedEdits {
  const located = edits.map((edit, position) => locate(original, edit, position, edits.length, shownPath));
  located.sort((a, b) => a.index - b.index);
  for (let i = 1; i < located.length; i += 1) {
    const before = located[i - 1] as Located;
    const current = located[i] as Located;
    if (before.index + before.oldText.length > current.index) {
      throw new ToolError(
        "INVALID_ARGUMENTS",
        `edits[${before.position}] and edits[${current.position}] overlap in ${shownPath}; merge them into one edit`,
      );
    }
  }
  let text = "";
  let from = 0;
  for (const edit of located) {
    text += original.slice(from, edit.index) + edit.newText;
    from = edit.index + edit.oldText.length;
  }
  text += original.slice(from);
  const first = located[0] as Located;
  return {
    text,
    changed: text !== original,
    firstChangedLine: lineAt(original, first.index),
    diff: summarizeDiff(original, located),
  };
}

function locate(
  original: string,
  edit: TextEdit,
  position: number,
  count: number,
  shownPath: string,
): Located {
  const label = count === 1 ? "oldText" : `edits[${position}].oldText`;
  if (edit.oldText === "") {
    throw new ToolError(
      "INVALID_ARGUMENTS",
      `${label} is empty; to create or replace a whole file use write`,
    );
  }
  const matches = occurrences(original, edit.oldText);
  if (matches.length === 0) {
    throw new ToolError(
      "NOT_FOUND",
      `${label} was not found in ${shownPath}; it must match the file exactly, including whitespace and indentation. Read the file again and copy the text.${closestLineHint(original, edit.oldText)}`,
    );
  }
  if (matches.length > 1) {
    const lines = matches.slice(0, 5).map((index) => lineAt(original, index));
    const more = matches.length > lines.length ? ", ..." : "";
    throw new ToolError(
      "NOT_UNIQUE",
      `${label} matches ${matches.length} places in ${shownPath} (lines ${lines.join(", ")}${more}); include more surrounding text so it matches exactly once`,
    );
  }
  return { ...edit, index: matches[0] as number, position };
}

/** Start of every occurrence, overlapping ones included ("aa" occurs twice in "aaa"). */
function occurrences(text: string, needle: string): number[] {
  const found: number[] = [];
  for (let index = text.indexOf(needle); index !== -1; index = text.indexOf(needle, index + 1)) {
    found.push(index);
    if (found.length > 1000) break;
  }
  return found;
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < index; i = text.indexOf("\n", i + 1)) line += 1;
  return line;
}

/** Where the text probably is: the file line most like the first line of `oldText`. Cheap: word overlap only. */
function closestLineHint(original: string, oldText: string): string {
  const wanted = oldText
    .split("\n")
    .find((line) => line.trim() !== "")
    ?.trim();
  if (!wanted) return "";
  const wantedWords = new Set(words(wanted));
  if (wantedWords.size === 0) return "";
  const lines = original.split("\n", HINT_SCAN_LINES);
  let best = { score: 0, line: 0 };
  lines.forEach((line, index) => {
    const trimmed = line.trim();
    if (trimmed === wanted) {
      if (best.score < 2) best = { score: 2, line: index };
      return;
    }
    const lineWords = new Set(words(trimmed));
    let shared = 0;
    for (const word of lineWords) if (wantedWords.has(word)) shared += 1;
    const score = shared / (wantedWords.size + lineWords.size - shared || 1);
    if (score > best.score) best = { score, line: index };
  });
  if (best.score < 0.5) return "";
  const text = (lines[best.line] ?? "").trim().slice(0, 200);
  const why = best.score === 2 ? " (same text, different surroundings or indentation)" : "";
  return `\nClosest line ${best.line + 1}${why}: ${text}`;
}

function words(text: string): string[] {
  return text.split(/[^\p{L}\p{N}_]+/u).filter((word) => word !== "");
}

function summarizeDiff(original: string, edits: readonly Located[]): string {
  const parts: string[] = [];
  for (const edit of edits) {
    if (edit.oldText === edit.newText) continue;
    parts.push(
      `@@ line ${lineAt(original, edit.index)} @@`,
      ...sideOf("-", edit.oldText),
      ...sideOf("+", edit.newText),
    );
  }
  const diff = parts.join("\n");
  if (diff.length <= DIFF_MAX_CHARS) return diff;
  return `${diff.slice(0, DIFF_MAX_CHARS)}\n[diff cut at ${DIFF_MAX_CHARS} characters]`;
}

function sideOf(marker: "-" | "+", text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  const shown = lines.slice(0, DIFF_LINES_PER_SIDE).map((line) => `${marker}${line}`);
  if (lines.length > shown.length) shown.push(`${marker}... (${lines.length - shown.length} more lines)`);
  return shown;
}
