import { realpathSync, statSync } from "node:fs";
import { delimiter, join, relative, sep } from "node:path";

/** The name of this repository's root package.json, whose `openclaw` script runs the built CLI. */
const MONOREPO_ROOT_PACKAGE = "openclaw-gateway-monorepo";

/**
 * How the user can run this CLI again from where they are, for the hints we print ("run `<cmd> config get ...`").
 * A hint that names a command the user does not have (`openclaw` when they ran `pnpm openclaw` in a clone) is worse
 * than none, so it follows the way this process was started:
 * - `pnpm openclaw ...` / `npm run openclaw -- ...` when started by a script of this repository's root package
 *   (`pnpm openclaw`, `pnpm start`), which has the `openclaw` script; `npx -y pnpm@10 openclaw ...` when the only
 *   pnpm around is the one npx fetched for this run;
 * - `npx openclaw ...` (npm exec sets npm_command=exec);
 * - `openclaw ...` when the `openclaw` found on PATH is this very file;
 * - otherwise `node <path to bin.js>`, relative to the working directory when that is shorter.
 */
export function cliCommand(
  env: NodeJS.ProcessEnv = process.env,
  argv1: string | undefined = process.argv[1],
  cwd: string = process.cwd(),
): string {
  const agent = env.npm_config_user_agent ?? "";
  if (env.npm_lifecycle_event === "openclaw" || env.npm_package_name === MONOREPO_ROOT_PACKAGE) {
    if (!agent.startsWith("pnpm")) return "npm run openclaw --";
    // `npx -y pnpm@10 start` (the README's way, no global pnpm) puts npx's own pnpm on PATH for the script only.
    return hasGlobalPnpm(env.PATH) ? "pnpm openclaw" : "npx -y pnpm@10 openclaw";
  }
  if (env.npm_command === "exec" || env.npm_lifecycle_event === "npx") return "npx openclaw";
  if (!argv1) return "openclaw";
  const self = realPath(argv1);
  if (self && onPathAs("openclaw", self, env.PATH)) return "openclaw";
  const rel = relative(cwd, argv1);
  const shown = rel.length < argv1.length && !rel.startsWith("..") ? rel : argv1;
  return `node ${shown.includes(" ") ? JSON.stringify(shown) : shown}`;
}

function hasGlobalPnpm(pathEnv: string | undefined): boolean {
  return (pathEnv ?? "").split(delimiter).some((dir) => {
    if (!dir || dir.includes(`${sep}_npx${sep}`)) return false;
    try {
      return statSync(join(dir, "pnpm")).isFile();
    } catch {
      return false;
    }
  });
}

function realPath(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

function onPathAs(name: string, target: string, pathEnv: string | undefined): boolean {
  for (const dir of (pathEnv ?? "").split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      if (!statSync(candidate).isFile()) continue;
    } catch {
      continue;
    }
    if (realPath(candidate) === target) return true;
  }
  return false;
}
