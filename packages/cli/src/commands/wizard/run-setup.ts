import { resolve } from "node:path";
import { type Output, printJson } from "../../output.js";
import { loadStoredConfig, saveConfigDocument } from "./config-store.js";
import { describeWorkspaces, ensureWorkspacesFromConfig } from "./workspace-setup.js";

export interface SetupOptions {
  workspace?: string;
  skipBootstrap?: boolean;
  json?: boolean;
}

/** A `~` path is kept as written (the gateway expands it for whoever runs it); anything else becomes absolute. */
function workspaceSetting(dir: string): string {
  return dir === "~" || dir.startsWith("~/") ? dir : resolve(dir);
}

/**
 * `openclaw setup`: creates (or repairs) the agents' workspaces with their templates, without the wizard.
 * `--workspace` and `--skip-bootstrap` are saved to the config first. Running it again changes nothing that exists.
 */
export async function runSetup(options: SetupOptions, output: Output): Promise<number> {
  const { configPath, draft } = await loadStoredConfig();
  if (options.workspace !== undefined)
    draft.set("agents.defaults.workspace", workspaceSetting(options.workspace));
  if (options.skipBootstrap) draft.set("agents.defaults.skipBootstrap", true);
  const changed = JSON.stringify(draft.document) !== JSON.stringify(draft.original);
  if (changed) await saveConfigDocument(configPath, draft.document);
  const prepared = await ensureWorkspacesFromConfig(configPath);
  if (options.json) {
    printJson(output, { configPath, configSaved: changed, ...prepared });
    return 0;
  }
  if (changed) output.out(`Saved ${configPath}`);
  for (const line of describeWorkspaces(prepared)) output.out(line);
  return 0;
}
