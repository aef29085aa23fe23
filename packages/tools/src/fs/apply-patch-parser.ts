import { ToolError } from "../tool-error.js";

export const BEGIN_PATCH = "*** Begin Patch";
export const END_PATCH = "*** End Patch";
const ADD_FILE = "*** Add File: ";
const DELETE_FILE = "*** Delete File: ";
const UPDATE_FILE = "*** Update File: ";
const MOVE_TO = "*** Move to: ";
const END_OF_FILE = "*** End of File";
const HEREDOC_OPENERS = new Set(["<<EOF", "<<'EOF'", '<<"EOF"']);

/** One line of an update hunk: kept context (' '), removed ('-') or added ('+'). */
export interface PatchLine {
  kind: " " | "-" | "+";
  text: string;
}

export interface UpdateChunk {
  /** The `@@ text` line: the chunk's lines are searched after the first line equal to it. */
  context?: string;
  lines: PatchLine[];
  /** `*** End of File`: the chunk's lines end the file. */
  endOfFile: boolean;
}

export type PatchOperation =
  | { kind: "add"; path: string; contents: string }
  | { kind: "delete"; path: string }
  | { kind: "update"; path: string; moveTo?: string; chunks: UpdateChunk[] };

/** Parses OpenClaw's (Codex's) patch envelope into file operations; a malformed patch fails naming the line. */
export function parsePatch(input: string): PatchOperation[] {
  const lines = envelopeBody(input.trim().split(/\r?\n/));
  const operations: PatchOperation[] = [];
  let index = 0;
  while (index < lines.length) {
    const line = lines[index] ?? "";
    if (line.trim() === "") {
      index += 1;
      continue;
    }
    const parsed = parseOperation(lines, index);
    operations.push(parsed.operation);
    index = parsed.next;
  }
  if (operations.length === 0) invalid(2, "the patch holds no file operations");
  return operations;
}

/** The lines between the markers; a copy wrapped in a shell heredoc (`<<EOF ... EOF`) is accepted too. */
function envelopeBody(lines: string[]): string[] {
  const first = lines[0]?.trim();
  const last = lines.at(-1)?.trim();
  if (first && last && HEREDOC_OPENERS.has(first) && last.endsWith("EOF"))
    return envelopeBody(lines.slice(1, -1));
  if (first !== BEGIN_PATCH) invalid(1, `the first line must be '${BEGIN_PATCH}'`);
  if (lines.length < 2 || last !== END_PATCH) invalid(lines.length, `the last line must be '${END_PATCH}'`);
  return lines.slice(1, -1);
}

/** `lines` is the body; line numbers in messages count from the patch's first line. */
function parseOperation(lines: string[], start: number): { operation: PatchOperation; next: number } {
  const header = (lines[start] ?? "").trim();
  const lineNumber = start + 2;
  if (header.startsWith(ADD_FILE)) {
    const path = pathOf(header, ADD_FILE, lineNumber);
    let contents = "";
    let index = start + 1;
    for (; index < lines.length && (lines[index] ?? "").startsWith("+"); index += 1) {
      contents += `${(lines[index] ?? "").slice(1)}\n`;
    }
    return { operation: { kind: "add", path, contents }, next: index };
  }
  if (header.startsWith(DELETE_FILE)) {
    return { operation: { kind: "delete", path: pathOf(header, DELETE_FILE, lineNumber) }, next: start + 1 };
  }
  if (header.startsWith(UPDATE_FILE)) return parseUpdate(lines, start);
  return invalid(
    lineNumber,
    `'${header}' is not a file operation; expected '${ADD_FILE}<path>', '${UPDATE_FILE}<path>' or '${DELETE_FILE}<path>'`,
  );
}

function parseUpdate(lines: string[], start: number): { operation: PatchOperation; next: number } {
  const path = pathOf((lines[start] ?? "").trim(), UPDATE_FILE, start + 2);
  let index = start + 1;
  let moveTo: string | undefined;
  const moveLine = (lines[index] ?? "").trim();
  if (moveLine.startsWith(MOVE_TO)) {
    moveTo = pathOf(moveLine, MOVE_TO, index + 2);
    index += 1;
  }
  const chunks: UpdateChunk[] = [];
  while (index < lines.length) {
    const line = lines[index] ?? "";
    if (line.trim() === "") {
      index += 1;
      continue;
    }
    if (line.startsWith("***")) break;
    const parsed = parseChunk(lines, index, chunks.length === 0);
    chunks.push(parsed.chunk);
    index = parsed.next;
  }
  if (chunks.length === 0) invalid(start + 2, `'${UPDATE_FILE}${path}' has no @@ hunk`);
  return { operation: { kind: "update", path, moveTo, chunks }, next: index };
}

function parseChunk(
  lines: string[],
  start: number,
  firstOfFile: boolean,
): { chunk: UpdateChunk; next: number } {
  const header = lines[start] ?? "";
  let index = start;
  let context: string | undefined;
  if (header === "@@" || isUnifiedDiffHeader(header)) {
    index += 1;
  } else if (header.startsWith("@@ ")) {
    context = header.slice(3);
    index += 1;
  } else if (!firstOfFile) {
    invalid(start + 2, `expected a hunk to start with '@@', got '${header}'`);
  }
  const chunk: UpdateChunk = { context, lines: [], endOfFile: false };
  for (; index < lines.length; index += 1) {
    const line = lines[index] ?? "";
    if (line === END_OF_FILE) {
      chunk.endOfFile = true;
      index += 1;
      break;
    }
    const marker = line[0];
    if (marker === undefined) chunk.lines.push({ kind: " ", text: "" });
    else if (marker === " " || marker === "-" || marker === "+")
      chunk.lines.push({ kind: marker, text: line.slice(1) });
    else if (line.startsWith("@@") || line.startsWith("***") || chunk.lines.length > 0) break;
    else
      invalid(
        index + 2,
        `unexpected line '${line}' in a hunk: every line starts with ' ' (context), '-' or '+'`,
      );
  }
  if (chunk.lines.length === 0) invalid(start + 2, "a hunk without lines");
  return { chunk, next: index };
}

/** `@@ -12,4 +12,5 @@` from a unified diff carries no context line; treat it as a bare `@@`. */
function isUnifiedDiffHeader(line: string): boolean {
  return /^@@ -\d+(,\d+)? \+\d+(,\d+)? @@/.test(line);
}

function pathOf(header: string, marker: string, lineNumber: number): string {
  const path = header.slice(marker.length).trim();
  if (path === "") invalid(lineNumber, `'${marker.trim()}' names no path`);
  return path;
}

function invalid(lineNumber: number, problem: string): never {
  throw new ToolError(
    "PATCH_FAILED",
    `Invalid patch at line ${lineNumber}: ${problem}. Nothing was changed.`,
  );
}
