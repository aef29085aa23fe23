import { homedir } from "node:os";
import { join, resolve } from "node:path";

/** Where the gateway keeps its state and which file holds its config. Both are absolute. */
export interface ConfigPaths {
  stateDir: string;
  configPath: string;
}

/** The config file's name inside the state directory. */
export const CONFIG_FILE_NAME = "openclaw.json";

function homeOf(env: NodeJS.ProcessEnv): string {
  return env.HOME || env.USERPROFILE || homedir();
}

/** Expands a leading `~` (people write `OPENCLAW_STATE_DIR=~/x` in service files where no shell expands it). */
function absolutePath(path: string, env: NodeJS.ProcessEnv): string {
  if (path === "~") return homeOf(env);
  if (path.startsWith("~/") || path.startsWith("~\\")) return join(homeOf(env), path.slice(2));
  return resolve(path);
}

/**
 * Resolves the state directory and config file. Precedence for each: the explicit option, then the environment
 * (`OPENCLAW_STATE_DIR`, `OPENCLAW_CONFIG_PATH`), then the default (`~/.openclaw`, `<stateDir>/openclaw.json`).
 * Empty environment values count as unset; a leading `~` is expanded.
 */
export function resolveConfigPaths(
  o: { env?: NodeJS.ProcessEnv; stateDir?: string; configPath?: string } = {},
): ConfigPaths {
  const env = o.env ?? process.env;
  const stateDir = absolutePath(o.stateDir || env.OPENCLAW_STATE_DIR || join(homeOf(env), ".openclaw"), env);
  const configPath = absolutePath(
    o.configPath || env.OPENCLAW_CONFIG_PATH || join(stateDir, CONFIG_FILE_NAME),
    env,
  );
  return { stateDir, configPath };
}
