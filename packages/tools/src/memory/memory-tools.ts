import { realpath } from "node:fs/promises";
import type { AgentTool } from "@openclaw/agent";
import { z } from "zod";
import { parseToolArgs } from "../fs/fs-tool-context.js";
import { isMissing } from "../fs/workspace-path.js";
import { ToolError } from "../tool-error.js";
import {
  type MemorySearchConfig,
  MemorySearchConfigSchema,
  type MemorySearchSettings,
  resolveMemorySearchSettings,
} from "./memory-config.js";
import { type MemoryReadResult, readMemoryFile } from "./memory-read.js";
import { type MemorySearchOutcome, searchMemory } from "./memory-search.js";
import { DEFAULT_MAX_WORKSPACES, WorkspaceMemoryCache } from "./workspace-memory-cache.js";

const MAX_QUERY_CHARS = 2000;
const MAX_RESULTS = 50;

export const MemorySearchArgsSchema = z.strictObject({
  query: z.string().trim().min(1).max(MAX_QUERY_CHARS),
  maxResults: z.number().int().min(1).max(MAX_RESULTS).optional(),
  minScore: z.number().min(0).max(1).optional(),
  corpus: z.enum(["memory", "wiki", "all", "sessions"]).optional(),
});

export const MemoryGetArgsSchema = z.strictObject({
  path: z.string().min(1).max(4096),
  from: z.number().int().min(1).max(100_000_000).optional(),
  lines: z.number().int().min(1).max(10_000).optional(),
  corpus: z.enum(["memory", "wiki", "all"]).optional(),
});

export interface MemoryToolsOptions {
  /** The agent's workspace folder (absolute). */
  workspaceFor(agentId: string): string;
  /** `agents.defaults.memorySearch` merged with the agent's own (see `mergeMemorySearchConfig`); read every call. */
  config(agentId: string): MemorySearchConfig;
  /** Where `OPENAI_API_KEY` is looked up for `provider: "openai"`; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Workspaces whose index stays in memory; the least recently searched is dropped past this. Default 16. */
  maxWorkspaces?: number;
  /** Clock for the pause after an embeddings failure; tests move it. */
  now?: () => number;
}

export type MemorySearchToolResult =
  | MemorySearchOutcome
  | { results: []; unavailable: true; warning: string };

export type MemoryGetToolResult =
  | MemoryReadResult
  | { status: "not_found"; path: string; text: ""; warning: string };

const NO_WIKI =
  "No wiki corpus is registered on this gateway; memory_search and memory_get cover memory files only.";

/** OpenClaw's `memory_search` and `memory_get` over each agent's workspace memory files. */
export function createMemoryTools(options: MemoryToolsOptions): AgentTool[] {
  const workspaces = new WorkspaceMemoryCache(options.maxWorkspaces ?? DEFAULT_MAX_WORKSPACES, options.now);
  const settingsFor = (agentId: string): MemorySearchSettings => {
    const parsed = MemorySearchConfigSchema.safeParse(options.config(agentId) ?? {});
    if (!parsed.success) {
      throw new ToolError(
        "NOT_CONFIGURED",
        `memorySearch config is invalid: ${z.prettifyError(parsed.error)}`,
      );
    }
    const settings = resolveMemorySearchSettings(parsed.data, options.env ?? process.env);
    if (!settings.enabled) {
      throw new ToolError(
        "NOT_CONFIGURED",
        `Memory search is turned off for agent "${agentId}" (memorySearch.enabled is false in agents.defaults or the agent's entry): enable it, then retry.`,
      );
    }
    return settings;
  };

  const memorySearch: AgentTool = {
    name: "memory_search",
    description:
      "Search the agent's memory notes (MEMORY.md, USER.md and memory/**/*.md in the workspace) before answering " +
      "anything about earlier work, decisions, dates, people, preferences or todos. Matches words (prefixes and small " +
      "typos too) and, when embeddings are configured, meaning. Each result has path, startLine, endLine, score and a " +
      "snippet; use memory_get with from/lines to read more. If the answer carries a warning, tell the user the " +
      "recall may be incomplete.",
    parameters: MemorySearchArgsSchema,
    async execute(rawArgs, ctx): Promise<MemorySearchToolResult> {
      const args = parseToolArgs("memory_search", MemorySearchArgsSchema, rawArgs);
      const settings = settingsFor(ctx.agentId);
      if (args.corpus === "wiki") return { results: [], unavailable: true, warning: NO_WIKI };
      if (args.corpus === "sessions") {
        return {
          results: [],
          unavailable: true,
          warning:
            "Session transcript search is unavailable: memory_search indexes memory files only. Use sessions_history for earlier conversations.",
        };
      }
      const workspaceDir = options.workspaceFor(ctx.agentId);
      const realWorkspace = await realWorkspaceOf(workspaceDir);
      const request = {
        query: args.query,
        maxResults: args.maxResults ?? settings.maxResults,
        minScore: args.minScore ?? settings.minScore,
      };
      const outcome =
        realWorkspace === undefined
          ? emptyOutcome(
              settings,
              `The workspace ${workspaceDir} does not exist yet, so no memory files were found.`,
            )
          : await searchWorkspace(realWorkspace, settings, request, ctx.signal);
      if (args.corpus !== "all") return outcome;
      return { ...outcome, warning: outcome.warning ? `${outcome.warning} ${NO_WIKI}` : NO_WIKI };
    },
  };

  const searchWorkspace = async (
    realWorkspace: string,
    settings: MemorySearchSettings,
    request: { query: string; maxResults: number; minScore: number },
    signal: AbortSignal,
  ) => {
    const memory = await workspaces.get(realWorkspace);
    return searchMemory(memory.index, memory.vectors, settings, request, signal);
  };

  const memoryGet: AgentTool = {
    name: "memory_get",
    description:
      "Read lines of a memory file: MEMORY.md, USER.md, DREAMS.md or memory/**/*.md, path relative to the " +
      "workspace (as memory_search returns it). `from` is the first line (1-based), `lines` how many (default 120). " +
      "A cut excerpt says so and gives nextFrom to continue; status not_found means the file does not exist.",
    parameters: MemoryGetArgsSchema,
    async execute(rawArgs, ctx): Promise<MemoryGetToolResult> {
      const args = parseToolArgs("memory_get", MemoryGetArgsSchema, rawArgs);
      settingsFor(ctx.agentId);
      if (args.corpus === "wiki") return { status: "not_found", path: args.path, text: "", warning: NO_WIKI };
      return readMemoryFile(options.workspaceFor(ctx.agentId), args);
    },
  };

  return [memorySearch, memoryGet];
}

async function realWorkspaceOf(workspaceDir: string): Promise<string | undefined> {
  try {
    return await realpath(workspaceDir);
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

function emptyOutcome(settings: MemorySearchSettings, warning: string): MemorySearchOutcome {
  return {
    results: [],
    provider: settings.provider,
    ...(settings.embeddings ? { model: settings.embeddings.model } : {}),
    mode: settings.embeddings ? "hybrid" : "fts-only",
    warning: [...settings.notes, warning].join(" "),
    debug: { files: 0, chunks: 0, filesReindexed: 0, filesRemoved: 0 },
  };
}
