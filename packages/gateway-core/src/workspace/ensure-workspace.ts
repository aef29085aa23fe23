import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { OpenClawConfig } from "../config/config-schema.js";
import { writeFileAtomic } from "../state/atomic-file.js";
import { listWorkspaceAgentIds, resolveAgentWorkspaceDir, type WorkspaceLocation } from "./workspace-dir.js";
import { type BootstrapFileName, SEEDED_FILE_NAMES } from "./workspace-files.js";
import { WORKSPACE_TEMPLATES } from "./workspace-templates.js";

/**
 * Where a workspace records that it was seeded once (OpenClaw's older releases kept the same file), so a template
 * the user deleted on purpose is not brought back at the next start.
 */
const STATE_FILE = join(".openclaw", "workspace-state.json");

export interface EnsureWorkspaceOptions {
  /** `agents.defaults.skipBootstrap`: create the folder but no files (the user manages them). */
  skipBootstrap?: boolean;
  /** Write every missing template even in a workspace seeded before (`openclaw setup` repairs a workspace). */
  restoreMissing?: boolean;
}

export interface EnsuredWorkspace {
  dir: string;
  /** The files this call wrote; empty when nothing was missing, when seeded before or with skipBootstrap. */
  created: BootstrapFileName[];
}

async function wasSeeded(dir: string): Promise<boolean> {
  try {
    const state = JSON.parse(await readFile(join(dir, STATE_FILE), "utf8")) as {
      bootstrapSeededAt?: unknown;
    };
    return typeof state.bootstrapSeededAt === "string";
  } catch {
    return false;
  }
}

/** Writes `text` only when no file is there; an existing file (or one created meanwhile) is never touched. */
async function writeIfMissing(path: string, text: string): Promise<boolean> {
  try {
    await writeFile(path, text, { flag: "wx", mode: 0o600 });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
}

/**
 * Creates the workspace folder (mode 0700) and, unless `skipBootstrap`, the templates that are missing. Existing
 * files are never overwritten; after the first seeding a deleted template stays deleted unless `restoreMissing`.
 */
export async function ensureWorkspace(
  dir: string,
  options: EnsureWorkspaceOptions = {},
): Promise<EnsuredWorkspace> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (options.skipBootstrap) return { dir, created: [] };
  if (!options.restoreMissing && (await wasSeeded(dir))) return { dir, created: [] };
  const created: BootstrapFileName[] = [];
  for (const name of SEEDED_FILE_NAMES) {
    const template = WORKSPACE_TEMPLATES[name];
    if (template !== undefined && (await writeIfMissing(join(dir, name), template))) created.push(name);
  }
  if (!(await wasSeeded(dir))) {
    await writeFileAtomic(
      join(dir, STATE_FILE),
      `${JSON.stringify({ version: 1, bootstrapSeededAt: new Date().toISOString() }, null, 2)}\n`,
    );
  }
  return { dir, created };
}

export function skipsBootstrap(config: OpenClawConfig): boolean {
  return config.agents.defaults.skipBootstrap === true;
}

export interface EnsuredAgentWorkspace extends EnsuredWorkspace {
  agentId: string;
}

/**
 * Creates the workspace of every agent (`main` included) as the gateway starts and as `openclaw setup` runs;
 * templates follow `agents.defaults.skipBootstrap`. Agents sharing one folder are handled once.
 */
export async function ensureAgentWorkspaces(
  config: OpenClawConfig,
  location: WorkspaceLocation,
  options: Pick<EnsureWorkspaceOptions, "restoreMissing"> = {},
): Promise<EnsuredAgentWorkspace[]> {
  const results: EnsuredAgentWorkspace[] = [];
  const done = new Set<string>();
  for (const agentId of listWorkspaceAgentIds(config)) {
    const dir = resolveAgentWorkspaceDir(config, agentId, location);
    if (done.has(dir)) {
      results.push({ agentId, dir, created: [] });
      continue;
    }
    done.add(dir);
    const ensured = await ensureWorkspace(dir, { ...options, skipBootstrap: skipsBootstrap(config) });
    results.push({ agentId, ...ensured });
  }
  return results;
}
