import type { OpenClawConfig } from "../config/index.js";
import type { Logger } from "../logging/logger.js";
import { ensureAgentWorkspaces } from "../workspace/index.js";

/**
 * Each agent's workspace (with its templates, unless skipBootstrap) is created in the background: the start does
 * not wait for its fsyncs, and a run that comes first creates its own workspace before it reads it. The promise
 * never rejects; stop awaits it, so nothing writes after a stop.
 */
export function createWorkspacesInBackground(
  config: OpenClawConfig,
  o: { stateDir: string; env: NodeJS.ProcessEnv; logger: Logger },
): Promise<void> {
  return ensureAgentWorkspaces(config, { stateDir: o.stateDir, env: o.env }).then(
    (ensured) => {
      for (const workspace of ensured.filter((each) => each.created.length > 0)) {
        o.logger.info("agent workspace created", { agentId: workspace.agentId, dir: workspace.dir });
      }
    },
    (error: unknown) => o.logger.error("agent workspace not created", { error: (error as Error).message }),
  );
}
