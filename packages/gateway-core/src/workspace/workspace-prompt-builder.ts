import type { OpenClawConfig } from "../config/config-schema.js";
import { BootstrapFileReader } from "./bootstrap-file-reader.js";
import { ensureWorkspace, skipsBootstrap } from "./ensure-workspace.js";
import { listPromptSkills } from "./skills-prompt.js";
import { buildSystemPrompt, type PromptTool } from "./system-prompt.js";
import { resolveAgentWorkspaceDir } from "./workspace-dir.js";

export interface WorkspacePromptBuilderOptions {
  getConfig: () => OpenClawConfig;
  stateDir: string;
  env?: NodeJS.ProcessEnv;
  /**
   * More folders to find skills in, after the workspace and the managed skills of `<stateDir>/skills`: each is laid
   * out like a workspace (its skills are in `<root>/skills/<name>/SKILL.md`), e.g. a plugin's bundled skills.
   */
  listSkillRoots?: (agentId: string) => string[];
}

export interface PrepareRunInput {
  agentId: string;
  sessionKey: string;
  /** The tools the run offers, after policy. */
  tools: readonly PromptTool[];
  model?: string;
}

export interface PreparedPrompt {
  systemPrompt: string;
  workspaceDir: string;
}

export interface WorkspacePromptBuilder {
  prepare(input: PrepareRunInput): Promise<PreparedPrompt>;
}

/**
 * What the agent runtime's `prepareRun` hook calls once per run: makes sure the agent's workspace exists (seeded
 * unless `agents.defaults.skipBootstrap`), lists the eligible skills and builds the system prompt from the current
 * config. Workspace files are cached by (path, mtime, size), so an unchanged workspace costs a few `lstat` calls.
 */
export function createWorkspacePromptBuilder(options: WorkspacePromptBuilderOptions): WorkspacePromptBuilder {
  const env = options.env ?? process.env;
  const reader = new BootstrapFileReader();
  return {
    async prepare(input) {
      const config = options.getConfig();
      const workspaceDir = resolveAgentWorkspaceDir(config, input.agentId, {
        stateDir: options.stateDir,
        env,
      });
      await ensureWorkspace(workspaceDir, { skipBootstrap: skipsBootstrap(config) });
      const skills = await listPromptSkills({
        config,
        agentId: input.agentId,
        roots: [workspaceDir, options.stateDir, ...(options.listSkillRoots?.(input.agentId) ?? [])],
        env,
      });
      const systemPrompt = await buildSystemPrompt(
        {
          config,
          agentId: input.agentId,
          sessionKey: input.sessionKey,
          workspaceDir,
          tools: input.tools,
          skills,
          ...(input.model ? { runtime: { model: input.model } } : {}),
        },
        reader,
      );
      return { systemPrompt, workspaceDir };
    },
  };
}
