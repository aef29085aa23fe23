import type { EnsuredAgentWorkspace } from "@openclaw/gateway";
import { CliError } from "../../cli-error.js";
import type { Output } from "../../output.js";

export interface PreparedWorkspaces {
  workspaces: EnsuredAgentWorkspace[];
  skipBootstrap: boolean;
}

/**
 * Creates the workspace of every configured agent (`main` included) from the config file on disk: missing templates
 * are written, existing files are never touched, `agents.defaults.skipBootstrap` writes none. Safe to run again.
 */
export async function ensureWorkspacesFromConfig(configPath: string): Promise<PreparedWorkspaces> {
  const gateway = await import("@openclaw/gateway");
  const loaded = await gateway.loadConfig(configPath).catch((error: Error) => {
    throw new CliError(`${error.message} (fix it, then run \`openclaw setup\` again)`);
  });
  const { stateDir } = gateway.resolveConfigPaths();
  const workspaces = await gateway.ensureAgentWorkspaces(
    loaded.config,
    { stateDir },
    { restoreMissing: true },
  );
  return { workspaces, skipBootstrap: loaded.config.agents.defaults.skipBootstrap === true };
}

/** One line per workspace: where it is and what this run wrote there. */
export function describeWorkspaces({ workspaces, skipBootstrap }: PreparedWorkspaces): string[] {
  return workspaces.map(({ agentId, dir, created }) => {
    const what = skipBootstrap
      ? "no templates: agents.defaults.skipBootstrap is true"
      : created.length > 0
        ? `created ${created.join(", ")}`
        : "ready; existing files left as they are";
    return `Workspace of agent "${agentId}": ${dir} (${what})`;
  });
}

/** After onboarding saved the config: set up the workspaces and say where they are. */
export async function finishWorkspaces(configPath: string, output: Output): Promise<void> {
  for (const line of describeWorkspaces(await ensureWorkspacesFromConfig(configPath))) output.out(line);
}
