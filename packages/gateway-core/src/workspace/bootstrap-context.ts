import { join } from "node:path";
import type { BootstrapFileRead, BootstrapFileReader } from "./bootstrap-file-reader.js";
import type { PromptSessionKind } from "./prompt-session.js";
import {
  BOOTSTRAP_FILE_NAMES,
  CRON_FILE_NAMES,
  isRequiredBootstrapFile,
  MEMORY_FILE_NAME,
  SUBAGENT_FILE_NAMES,
} from "./workspace-files.js";

/** OpenClaw's defaults for `agents.defaults.bootstrapMaxChars` and `bootstrapTotalMaxChars`. */
export const DEFAULT_BOOTSTRAP_MAX_CHARS = 20_000;
export const DEFAULT_BOOTSTRAP_TOTAL_MAX_CHARS = 60_000;

/** Below this many characters of budget left, a file is left out rather than cut to a useless stub. */
const MIN_FILE_BUDGET_CHARS = 64;
/** A cut file keeps its beginning and, smaller, its end, where recent notes usually are. */
const HEAD_SHARE = 0.7;
const TAIL_SHARE = 0.2;

export interface BootstrapLimits {
  maxChars: number;
  totalMaxChars: number;
}

export interface InjectedFile {
  name: string;
  path: string;
  content: string;
  truncated: boolean;
}

export interface BootstrapContext {
  files: InjectedFile[];
  /** Files cut to their cap; the prompt says so and tells the agent to read them. */
  truncated: string[];
  /** Files left out because the total budget was spent. */
  omitted: string[];
}

/**
 * The bootstrap files a session of this kind sees, in prompt order. MEMORY.md only when `includeMemory` (the main
 * or a direct session); sub-agents and scheduled runs never get it.
 */
export function bootstrapFilesFor(kind: PromptSessionKind, includeMemory: boolean): string[] {
  if (kind === "subagent") return BOOTSTRAP_FILE_NAMES.filter((name) => SUBAGENT_FILE_NAMES.has(name));
  if (kind === "cron") return BOOTSTRAP_FILE_NAMES.filter((name) => CRON_FILE_NAMES.has(name));
  return BOOTSTRAP_FILE_NAMES.filter((name) => includeMemory || name !== MEMORY_FILE_NAME);
}

/** Cuts `content` to `budget` characters, head and tail kept, with a note in the cut the model cannot miss. */
export function truncateForPrompt(content: string, budget: number, path: string): string {
  const head = Math.floor(budget * HEAD_SHARE);
  const tail = Math.floor(budget * TAIL_SHARE);
  const note = `[... cut: this file has ${content.length} characters and only ${head + tail} fit in the prompt; read ${path} for the part left out ...]`;
  return `${content.slice(0, head)}\n\n${note}\n\n${content.slice(content.length - tail)}`;
}

/**
 * Reads the session's bootstrap files from the workspace and fits them into the per-file and total caps. A
 * missing required file becomes a short marker (so the agent knows to create it); optional ones are skipped.
 */
export async function loadBootstrapContext(o: {
  workspaceDir: string;
  /** In prompt order; see {@link bootstrapFilesFor}. */
  names: readonly string[];
  limits: BootstrapLimits;
  reader: BootstrapFileReader;
}): Promise<BootstrapContext> {
  const context: BootstrapContext = { files: [], truncated: [], omitted: [] };
  let remaining = o.limits.totalMaxChars;
  // Read together (each is a cached lstat when unchanged), then fitted in prompt order.
  const reads = await Promise.all(
    o.names.map((name) => o.reader.read(join(o.workspaceDir, name), o.workspaceDir)),
  );
  for (const [index, name] of o.names.entries()) {
    const path = join(o.workspaceDir, name);
    const read = reads[index] as BootstrapFileRead;
    let content: string;
    if (read.kind === "file") content = read.content;
    else if (read.kind === "unreadable") content = `[not loaded: ${read.reason}]`;
    else if (isRequiredBootstrapFile(name)) content = `[missing: create ${path} to fill this in]`;
    else continue;
    const budget = Math.min(o.limits.maxChars, remaining);
    if (budget < MIN_FILE_BUDGET_CHARS) {
      context.omitted.push(name);
      continue;
    }
    const truncated = content.length > budget;
    const injected = truncated ? truncateForPrompt(content, budget, path) : content;
    if (truncated) context.truncated.push(name);
    remaining -= Math.min(content.length, budget);
    context.files.push({ name, path, content: injected, truncated });
  }
  return context;
}
