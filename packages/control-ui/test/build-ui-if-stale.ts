import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const sourceDir = join(packageDir, "ui");
const builtIndex = join(packageDir, "dist", "ui", "index.html");

async function newestMtime(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const time = entry.isDirectory() ? await newestMtime(path) : (await stat(path)).mtimeMs;
    newest = Math.max(newest, time);
  }
  return newest;
}

async function builtAt(): Promise<number | undefined> {
  try {
    return (await stat(builtIndex)).mtimeMs;
  } catch {
    return undefined;
  }
}

/**
 * The browser tests load the built UI from dist/ui, as the gateway serves it. `turbo test` builds first; a plain
 * `vitest run` after editing ui/ would test stale assets, so this rebuilds them when any source is newer.
 */
export default async function setup(): Promise<void> {
  const built = await builtAt();
  const sources = Math.max(
    await newestMtime(sourceDir),
    (await stat(join(packageDir, "vite.config.ts"))).mtimeMs,
  );
  if (built !== undefined && built >= sources) return;
  const { build } = await import("vite");
  await build({ configFile: join(packageDir, "vite.config.ts"), logLevel: "warn" });
}
