import { mkdir, mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { toolContext, toolErrorOf, toolNamed } from "../fs/fs-test-workspace.js";
import type { ToolError } from "../tool-error.js";
import type { MemorySearchConfig } from "./memory-config.js";
import type { MemorySearchOutcome } from "./memory-search.js";
import { createMemoryTools, type MemoryToolsOptions } from "./memory-tools.js";

/** A real temp folder with `workspace/` (the agent's) and `outside/` beside it, plus the two memory tools. Test-only. */
export interface MemoryTestWorkspace {
  workspace: string;
  outside: string;
  /** Replaced freely by a test; read on every call, as the gateway's config is. */
  config: MemorySearchConfig;
  /** Writes a file relative to the workspace, creating its folders. */
  write(relPath: string, content: string): Promise<string>;
  search(args: Record<string, unknown>): Promise<MemorySearchOutcome>;
  get(args: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** The ToolError a call fails with (fails the test if it succeeds). */
  errorOf(call: Promise<unknown>): Promise<ToolError>;
  cleanup(): Promise<void>;
}

export async function createMemoryTestWorkspace(
  extra: Partial<Pick<MemoryToolsOptions, "env" | "maxWorkspaces" | "now" | "workspaceFor">> = {},
): Promise<MemoryTestWorkspace> {
  const root = await realpath(await mkdtemp(path.join(tmpdir(), "openclaw-memory-")));
  const workspace = path.join(root, "workspace");
  const outside = path.join(root, "outside");
  await mkdir(workspace);
  await mkdir(outside);
  const state: MemoryTestWorkspace = {
    workspace,
    outside,
    config: {},
    write: async (relPath, content) => {
      const file = path.join(workspace, relPath);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, content);
      return file;
    },
    search: (args) => tools.search.execute(args, toolContext()) as Promise<MemorySearchOutcome>,
    get: (args) => tools.get.execute(args, toolContext()) as Promise<Record<string, unknown>>,
    errorOf: toolErrorOf,
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
  const created = createMemoryTools({
    workspaceFor: () => workspace,
    config: () => state.config,
    env: {},
    ...extra,
  });
  const tools = { search: toolNamed(created, "memory_search"), get: toolNamed(created, "memory_get") };
  return state;
}
