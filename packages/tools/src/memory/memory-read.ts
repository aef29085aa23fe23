import { constants } from "node:fs";
import { open, realpath } from "node:fs/promises";
import path from "node:path";
import { isMissing, resolveWorkspacePath } from "../fs/workspace-path.js";
import { ToolError } from "../tool-error.js";
import { isReadableMemoryPath } from "./memory-corpus.js";

/** Lines returned when `lines` is not given (OpenClaw's default). */
export const DEFAULT_READ_LINES = 120;
/** Characters of one answer; a longer excerpt ends early with a note saying where to continue. */
export const MAX_READ_CHARS = 12_000;
/** A memory file larger than this is not a note: `read` with an offset is the tool for it. */
const MAX_READ_FILE_BYTES = 16 * 1024 * 1024;

export type MemoryReadResult =
  | {
      status: "ok";
      path: string;
      text: string;
      /** 1-based first line returned. */
      from: number;
      /** How many lines `text` holds. */
      lines: number;
      truncated?: true;
      /** Where the next excerpt starts, when more of the file remains. */
      nextFrom?: number;
    }
  | { status: "not_found"; path: string; text: "" };

export interface MemoryReadRequest {
  path: string;
  from?: number;
  lines?: number;
}

/**
 * Reads a line range of a memory file. The path must stay inside the workspace once symlinks are followed, and the
 * file it really names must be `MEMORY.md`, `USER.md`, `DREAMS.md` or a Markdown file under `memory/`.
 */
export async function readMemoryFile(
  workspaceDir: string,
  request: MemoryReadRequest,
): Promise<MemoryReadResult> {
  const realWorkspace = await realpath(workspaceDir).catch((error: unknown) => {
    if (isMissing(error)) return undefined;
    throw error;
  });
  const requestedPath = request.path.trim().replaceAll("\\", "/");
  if (realWorkspace === undefined) return { status: "not_found", path: requestedPath, text: "" };
  const real = await confine(workspaceDir, requestedPath);
  const relPath = path.relative(realWorkspace, real).split(path.sep).join("/");
  if (!isReadableMemoryPath(relPath)) {
    throw new ToolError(
      "MEMORY_PATH_NOT_ALLOWED",
      `"${request.path}" is not a memory file: memory_get reads MEMORY.md, USER.md, DREAMS.md and Markdown files under memory/ of the workspace. Use read for other files.`,
    );
  }
  const content = await readWhole(real);
  if (content === undefined) return { status: "not_found", path: relPath, text: "" };
  return sliceLines(content, relPath, request.from ?? 1, request.lines ?? DEFAULT_READ_LINES);
}

async function confine(workspaceDir: string, requestedPath: string): Promise<string> {
  try {
    return await resolveWorkspacePath(workspaceDir, requestedPath, { workspaceOnly: true });
  } catch (error) {
    if (!(error instanceof ToolError) || error.code !== "PATH_OUTSIDE_WORKSPACE") throw error;
    // The file tools' message suggests tools.fs.workspaceOnly, which never widens memory_get.
    throw new ToolError(
      "PATH_OUTSIDE_WORKSPACE",
      `"${requestedPath}" leads outside the agent workspace (symbolic links included); memory_get reads only memory files inside it, e.g. MEMORY.md or memory/2026-01-31.md.`,
    );
  }
}

async function readWhole(realPath: string): Promise<string | undefined> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    // O_NOFOLLOW: the checked real path is the one read, even if it is swapped for a symlink meanwhile.
    handle = await open(realPath, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  } catch (error) {
    if (isMissing(error)) return undefined;
    if ((error as NodeJS.ErrnoException).code === "ELOOP") {
      throw new ToolError(
        "PATH_OUTSIDE_WORKSPACE",
        "the memory file was replaced by a symbolic link while reading",
      );
    }
    throw error;
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) return undefined;
    if (stat.size > MAX_READ_FILE_BYTES) {
      throw new ToolError(
        "TOO_LARGE",
        `the memory file is ${Math.ceil(stat.size / 1024 / 1024)} MiB, over memory_get's ${MAX_READ_FILE_BYTES / 1024 / 1024} MiB limit: use read with an offset`,
      );
    }
    return (await handle.readFile()).toString("utf8");
  } finally {
    await handle.close();
  }
}

function sliceLines(content: string, relPath: string, from: number, count: number): MemoryReadResult {
  const fileLines = content.split(/\r?\n/);
  if (fileLines.at(-1) === "") fileLines.pop();
  const wanted = fileLines.slice(from - 1, from - 1 + count);
  let included = 0;
  let chars = 0;
  for (const line of wanted) {
    const next = chars + line.length + (included > 0 ? 1 : 0);
    if (included > 0 && next > MAX_READ_CHARS) break;
    included += 1;
    chars = next;
  }
  let text = wanted.slice(0, included).join("\n");
  const overlongLine = text.length > MAX_READ_CHARS;
  if (overlongLine) text = text.slice(0, MAX_READ_CHARS);
  const sourceRemains = from - 1 + wanted.length < fileLines.length;
  const truncated = overlongLine || included < wanted.length || sourceRemains;
  const nextFrom = truncated && !overlongLine ? from + included : undefined;
  if (truncated && text !== "") {
    text +=
      nextFrom !== undefined
        ? `\n\n[More content available. Use from=${nextFrom} to continue.]`
        : `\n\n[Line ${from} is longer than ${MAX_READ_CHARS} characters and was cut; use read on ${relPath} for all of it.]`;
  }
  return {
    status: "ok",
    path: relPath,
    text,
    from,
    lines: included,
    ...(truncated ? { truncated: true as const } : {}),
    ...(nextFrom !== undefined ? { nextFrom } : {}),
  };
}
