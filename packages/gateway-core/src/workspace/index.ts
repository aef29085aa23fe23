export {
  type BootstrapContext,
  DEFAULT_BOOTSTRAP_MAX_CHARS,
  DEFAULT_BOOTSTRAP_TOTAL_MAX_CHARS,
  type InjectedFile,
} from "./bootstrap-context.js";
export {
  type EnsuredAgentWorkspace,
  type EnsuredWorkspace,
  type EnsureWorkspaceOptions,
  ensureAgentWorkspaces,
  ensureWorkspace,
} from "./ensure-workspace.js";
export { isMainSession, type PromptSessionKind, promptSessionKind } from "./prompt-session.js";
export type { PromptSkill } from "./skills-prompt.js";
export {
  buildSystemPrompt,
  type PromptRuntimeInfo,
  type PromptTool,
  type SystemPromptInput,
} from "./system-prompt.js";
export {
  expandUserPath,
  MAIN_AGENT_ID,
  resolveAgentWorkspaceDir,
  resolveDefaultWorkspaceDir,
  type WorkspaceLocation,
} from "./workspace-dir.js";
export { BOOTSTRAP_FILE_NAMES, type BootstrapFileName, isBootstrapFileName } from "./workspace-files.js";
export {
  createWorkspacePromptBuilder,
  type PreparedPrompt,
  type PrepareRunInput,
  type WorkspacePromptBuilder,
  type WorkspacePromptBuilderOptions,
} from "./workspace-prompt-builder.js";
