import { constants } from "node:fs";
import { access, stat } from "node:fs/promises";
import path from "node:path";

export type BinaryLookup = (bin: string) => Promise<boolean>;

/**
 * Answers "is `bin` on PATH?" by stat-ing PATH entries. Nothing is executed: a requirement comes from a
 * SKILL.md someone else wrote, and running it (even `--version`) would let a skill run code at scan time.
 */
export function createPathBinaryLookup(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): BinaryLookup {
  const windows = platform === "win32";
  const pathValue = env.PATH ?? env.Path ?? "";
  const dirs = pathValue.split(windows ? ";" : ":").filter((dir) => dir !== "");
  const extensions = windows
    ? ["", ...(env.PATHEXT ?? ".COM;.EXE;.BAT;.CMD").split(";").filter((ext) => ext !== "")]
    : [""];
  const cache = new Map<string, Promise<boolean>>();
  return (bin) => {
    let found = cache.get(bin);
    if (found === undefined) {
      found = isPlainCommandName(bin) ? searchDirs(dirs, bin, extensions, windows) : Promise.resolve(false);
      cache.set(bin, found);
    }
    return found;
  };
}

/** Requirements name commands, not paths: a `/` or `..` would probe arbitrary files. */
function isPlainCommandName(bin: string): boolean {
  return bin !== "" && bin !== "." && bin !== ".." && !/[/\\\0]/.test(bin);
}

async function searchDirs(
  dirs: string[],
  bin: string,
  extensions: string[],
  windows: boolean,
): Promise<boolean> {
  for (const dir of dirs) {
    for (const ext of extensions) {
      if (await isExecutableFile(path.join(dir, bin + ext), windows)) return true;
    }
  }
  return false;
}

async function isExecutableFile(candidate: string, windows: boolean): Promise<boolean> {
  try {
    const info = await stat(candidate);
    if (!info.isFile()) return false;
    if (!windows) await access(candidate, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
