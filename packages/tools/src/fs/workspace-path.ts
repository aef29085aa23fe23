import { lstat, readlink, realpath } from "node:fs/promises";
import { homedir } from "node:os";
import path from "node:path";
import { ToolError } from "../tool-error.js";

/** Longest path a tool accepts; a model-written path longer than this is a mistake, not a file. */
export const PATH_MAX_CHARS = 4096;
const MAX_LINK_HOPS = 40;

export interface WorkspacePathOptions {
  /** `tools.fs.workspaceOnly`: refuse every path whose real location is outside the workspace. */
  workspaceOnly: boolean;
  /** Folders besides the workspace that may be reached while confined (e.g. skill folders `read` may open). */
  extraRoots?: readonly string[];
  /** Resolve a final symlink's parent only, so the link itself is addressed (deleting a link, not its target). */
  keepFinalSymlink?: boolean;
}

/**
 * Resolves a tool's `path` against the agent's workspace. Relative paths resolve against the workspace. While
 * `workspaceOnly` holds, the answer is the path's real location (symlinks followed, for a new file those of its
 * nearest existing folder), and it must lie inside the workspace: `../`, absolute paths elsewhere, `~`, and symlinks
 * that lead out are refused with PATH_OUTSIDE_WORKSPACE. Callers then operate on the returned path, so the checked
 * location is the one touched.
 */
export async function resolveWorkspacePath(
  workspaceDir: string,
  input: string,
  options: WorkspacePathOptions,
): Promise<string> {
  assertUsablePath(input);
  const workspace = path.resolve(workspaceDir);
  const requested = path.resolve(workspace, expandHome(input, options.workspaceOnly, workspace));
  if (!options.workspaceOnly) return requested;

  const [real, workspaceReal] = await Promise.all([
    realLocation(requested, options.keepFinalSymlink === true),
    realLocation(workspace, false),
  ]);
  if (isInside(workspaceReal, real)) return real;
  // The read-only roots (skills) are resolved only for a path the workspace does not hold: most calls never need them.
  const extraRoots = await Promise.all((options.extraRoots ?? []).map((root) => realLocation(root, false)));
  if (extraRoots.some((root) => isInside(root, real))) return real;
  const viaLink = isInside(workspace, requested) || isInside(workspaceReal, requested);
  throw outsideWorkspace(input, workspace, viaLink);
}

function assertUsablePath(input: string): void {
  if (input.trim() === "")
    throw new ToolError("INVALID_ARGUMENTS", "path is empty: name a file, e.g. notes/todo.md");
  if (input.length > PATH_MAX_CHARS) {
    throw new ToolError("INVALID_ARGUMENTS", `path is longer than ${PATH_MAX_CHARS} characters`);
  }
  if (input.includes("\0")) throw new ToolError("INVALID_ARGUMENTS", "path contains a NUL character");
}

function expandHome(input: string, workspaceOnly: boolean, workspace: string): string {
  if (input !== "~" && !input.startsWith("~/")) return input;
  if (workspaceOnly) {
    throw new ToolError(
      "PATH_OUTSIDE_WORKSPACE",
      `"${input}" points into the home directory, outside the agent workspace (${workspace}); tools.fs.workspaceOnly is true. Use a path relative to the workspace (./~/name for a folder literally called ~).`,
    );
  }
  return path.join(homedir(), input.slice(1));
}

function outsideWorkspace(input: string, workspace: string, viaLink: boolean): ToolError {
  const how = viaLink ? " through a symbolic link" : "";
  return new ToolError(
    "PATH_OUTSIDE_WORKSPACE",
    `"${input}" leads outside the agent workspace (${workspace})${how}; file tools stay inside it while tools.fs.workspaceOnly is true. Use a path inside the workspace, or set tools.fs.workspaceOnly to false to allow other paths.`,
  );
}

export function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  if (relative === "") return true;
  if (path.isAbsolute(relative)) return false;
  return relative !== ".." && !relative.startsWith(`..${path.sep}`);
}

/**
 * Where `target` really is: the realpath of its nearest existing ancestor with the missing rest appended. A dangling
 * symlink on the way is followed by hand, since the file a write creates through it lands at the link's target.
 */
async function realLocation(target: string, keepFinalSymlink: boolean): Promise<string> {
  if (keepFinalSymlink) {
    const parent = path.dirname(target);
    if (parent === target) return target;
    return path.join(await realLocation(parent, false), path.basename(target));
  }
  // Most paths exist: one realpath settles them; only a missing or dangling one walks up to its nearest parent.
  try {
    return await realpath(target);
  } catch (error) {
    if (!isMissing(error)) throw error;
  }
  let current = target;
  for (let hop = 0; hop < MAX_LINK_HOPS; hop += 1) {
    const { existing, rest } = await nearestExisting(current);
    try {
      return path.join(await realpath(existing), ...rest);
    } catch (error) {
      if (!isMissing(error)) throw error;
      // `existing` is a symlink whose target does not exist (yet): continue from where it points.
      const link = await readlink(existing);
      const linkDir = await realpath(path.dirname(existing));
      current = path.resolve(linkDir, link, ...rest);
    }
  }
  throw new ToolError("INVALID_ARGUMENTS", `too many symbolic links while resolving ${target}`);
}

async function nearestExisting(target: string): Promise<{ existing: string; rest: string[] }> {
  const rest: string[] = [];
  let current = target;
  for (;;) {
    try {
      await lstat(current);
      return { existing: current, rest };
    } catch (error) {
      if (!isMissing(error)) throw error;
      const parent = path.dirname(current);
      if (parent === current) return { existing: current, rest };
      rest.unshift(path.basename(current));
      current = parent;
    }
  }
}

export function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}
