import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

async function newestSourceMtime(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "integration" && entry.name !== "__fixtures__") {
        newest = Math.max(newest, await newestSourceMtime(path));
      }
    } else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts")) {
      newest = Math.max(newest, (await stat(path)).mtimeMs);
    }
  }
  return newest;
}

/** Tests that run a gateway in its own process use gateway-core's build: rebuild it when a source file is newer. */
export async function buildIfStale(): Promise<void> {
  const built = await stat(join(packageDir, "dist", "index.js")).then(
    (info) => info.mtimeMs,
    () => 0,
  );
  if (built >= (await newestSourceMtime(join(packageDir, "src")))) return;
  const require = createRequire(import.meta.url);
  const tsupPackage = require.resolve("tsup/package.json");
  const bin =
    (JSON.parse(readFileSync(tsupPackage, "utf8")) as { bin: Record<string, string> }).bin.tsup ?? "";
  execFileSync(process.execPath, [join(dirname(tsupPackage), bin)], { cwd: packageDir, stdio: "pipe" });
}
