import { homedir } from "node:os";
import { join, resolve } from "node:path";
import type { OpenClawConfig } from "../config/config-schema.js";
import { listConfiguredAgents, MAIN_AGENT_ID } from "../config/configured-agents.js";

export { MAIN_AGENT_ID };

export interface WorkspaceLocation {
  /** The gateway's state directory (`<stateDir>/workspace` is the default workspace). */
  stateDir: string;
  /** Read for `OPENCLAW_WORKSPACE_DIR` and `HOME`. */
  env?: NodeJS.ProcessEnv;
}

/** Expands a leading `~` (config files are written by hand and by OpenClaw with `~/...` paths) and resolves. */
export function expandUserPath(path: string, env: NodeJS.ProcessEnv = process.env): string {
  const home = env.HOME || env.USERPROFILE || homedir();
  if (path === "~") return home;
  if (path.startsWith("~/") || path.startsWith("~\\")) return join(home, path.slice(2));
  return resolve(path);
}

function nonBlank(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

/**
 * The workspace of the default agent: `agents.defaults.workspace`, else `OPENCLAW_WORKSPACE_DIR`, else
 * `<stateDir>/workspace`.
 */
export function resolveDefaultWorkspaceDir(config: OpenClawConfig, location: WorkspaceLocation): string {
  const env = location.env ?? process.env;
  const configured = nonBlank(config.agents.defaults.workspace);
  if (configured) return expandUserPath(configured, env);
  const fromEnv = nonBlank(env.OPENCLAW_WORKSPACE_DIR);
  if (fromEnv) return expandUserPath(fromEnv, env);
  return join(location.stateDir, "workspace");
}

/** The agent that inherits the default workspace: the one marked `default: true`, else `main`. */
function inheritingAgentId(config: OpenClawConfig): string {
  return listConfiguredAgents(config).find((entry) => entry.default === true)?.id ?? MAIN_AGENT_ID;
}

/**
 * Where an agent's workspace is, as OpenClaw resolves it: the agent's own `workspace`; for the default agent the
 * default workspace; for any other agent `<agents.defaults.workspace>/<id>` when that root is set, else
 * `<stateDir>/workspace-<id>`.
 */
export function resolveAgentWorkspaceDir(
  config: OpenClawConfig,
  agentId: string,
  location: WorkspaceLocation,
): string {
  const env = location.env ?? process.env;
  const entry = listConfiguredAgents(config).find((candidate) => candidate.id === agentId);
  const own = nonBlank(entry?.workspace);
  if (own) return expandUserPath(own, env);
  if (agentId === inheritingAgentId(config)) return resolveDefaultWorkspaceDir(config, location);
  const root = nonBlank(config.agents.defaults.workspace);
  if (root) return join(expandUserPath(root, env), agentId);
  return join(location.stateDir, `workspace-${agentId}`);
}

/** Every agent that has a workspace: the configured ones, with `main` always present. */
export function listWorkspaceAgentIds(config: OpenClawConfig): string[] {
  const ids = listConfiguredAgents(config).map((entry) => entry.id);
  return ids.includes(MAIN_AGENT_ID) ? ids : [MAIN_AGENT_ID, ...ids];
}
