import type { OpenClawConfig } from "../config/config-schema.js";
import { BootstrapFileReader } from "./bootstrap-file-reader.js";
import { ensureWorkspace, skipsBootstrap } from "./ensure-workspace.js";
import { listPromptSkills, type PromptSkill } from "./skills-prompt.js";
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
  /** Clock for the skills listing's reuse window; tests move it. */
  now?: () => number;
}

/** How long one scan of the skill folders is reused. */
const SKILL_LISTING_TTL_MS = 2_000;
const MAX_SKILL_LISTINGS = 64;

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
  const now = options.now ?? Date.now;
  const reader = new BootstrapFileReader();
  // Created once per folder and process; a folder removed later just shows its files as missing.
  const ensured = new Set<string>();
  // Scanning the skill folders (and checking each skill's binaries on PATH) costs more than the rest of a run's
  // preparation, so a listing is reused for a moment: a skill installed or edited shows from the next run after it.
  const skillListings = new Map<string, { at: number; skills: Promise<PromptSkill[]> }>();
  const skillsFor = (config: OpenClawConfig, agentId: string, roots: string[]) => {
    const key = `${agentId}\u0000${roots.join("\u0000")}\u0000${JSON.stringify(config.skills ?? null)}`;
    const cached = skillListings.get(key);
    if (cached && now() - cached.at < SKILL_LISTING_TTL_MS) return cached.skills;
    const skills = listPromptSkills({ config, agentId, roots, env });
    skills.catch(() => skillListings.delete(key));
    if (skillListings.size >= MAX_SKILL_LISTINGS) skillListings.clear();
    skillListings.set(key, { at: now(), skills });
    return skills;
  };
  return {
    async prepare(input) {
      const config = options.getConfig();
      const workspaceDir = resolveAgentWorkspaceDir(config, input.agentId, {
        stateDir: options.stateDir,
        env,
      });
      if (!ensured.has(workspaceDir)) {
        await ensureWorkspace(workspaceDir, { skipBootstrap: skipsBootstrap(config) });
        ensured.add(workspaceDir);
      }
      const skills = await skillsFor(config, input.agentId, [
        workspaceDir,
        options.stateDir,
        ...(options.listSkillRoots?.(input.agentId) ?? []),
      ]);
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
