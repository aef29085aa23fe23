import { execFile } from "node:child_process";
import { cp, lstat, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { gunzipSync } from "node:zlib";
import { SkillError } from "./skill-error.js";
import { parseSkillFrontMatter } from "./skill-front-matter.js";
import { readSkillOrigin, type SkillOrigin, writeSkillOrigin } from "./skill-origin.js";
import { isInside } from "./skill-scan.js";
import { readTarEntries } from "./tar-reader.js";

const execFileAsync = promisify(execFile);

export type SkillSourceKind = "local" | "npm";

export type InstallSkillOptions = {
  /** A local skill directory, or an npm package spec (`name`, `name@1.2.0`, `@scope/name`, a `.tgz` path). */
  source: string;
  workspaceDir: string;
  /** Force how `source` is read; by default a path that exists locally is a directory or tarball, else npm. */
  kind?: SkillSourceKind;
  /** Install under this folder name instead of the front matter `name`. */
  as?: string;
  /** Replace a skill already installed under the same name. */
  force?: boolean;
  /** The npm executable; tests and hosts with a custom npm set it. Never taken from a request. */
  npmCommand?: string;
  timeoutMs?: number;
  now?: () => Date;
};

export type InstallSkillResult = {
  ok: true;
  name: string;
  targetDir: string;
  replaced: boolean;
  origin: SkillOrigin;
  message: string;
};

const SKILL_FILE = "SKILL.md";
const SKILL_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/i;
const NPM_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/i;
/** A registry version or range or dist-tag; `:` and `/` would let npm fetch from git or a URL. */
const NPM_VERSION = /^[a-z0-9^~<>=.*|+ _-]+$/i;
const UNSUPPORTED =
  /^(?:[a-z][a-z0-9+.-]*:\/\/|git(?:\+[a-z]+)?:|github:|gitlab:|bitbucket:|gist:|git@|https?:|clawhub:|skills-sh:)/i;
const SUPPORTED_HINT =
  "skills.install supports a local skill directory (containing SKILL.md) or an npm package spec such as `my-skill`, `@scope/my-skill@1.2.0` or a local `.tgz` made by `npm pack`";
const MAX_UNPACKED_BYTES = 64 * 1024 * 1024;

export async function installSkill(options: InstallSkillOptions): Promise<InstallSkillResult> {
  const source = options.source.trim();
  if (source === "")
    throw new SkillError("SKILL_SOURCE_UNSUPPORTED", `the install source is empty: ${SUPPORTED_HINT}`);
  if (UNSUPPORTED.test(source)) {
    throw new SkillError(
      "SKILL_SOURCE_UNSUPPORTED",
      `cannot install ${JSON.stringify(source)}: ${SUPPORTED_HINT}. URLs, git and ClawHub sources are not supported; download or clone the skill and install the local directory`,
    );
  }
  const kind = options.kind ?? (await detectKind(source));
  const skillsDir = path.join(options.workspaceDir, "skills");
  await mkdir(skillsDir, { recursive: true });
  const staging = await mkdtemp(path.join(skillsDir, ".staging-"));
  try {
    const origin =
      kind === "local"
        ? await stageLocal(source, staging, options)
        : await stageNpm(source, staging, options);
    return await commitStaged(staging, skillsDir, origin, options);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

async function detectKind(source: string): Promise<SkillSourceKind> {
  const info = await stat(source).catch(() => undefined);
  if (info?.isDirectory()) return "local";
  if (info?.isFile()) return "npm";
  if (source.startsWith(".") || source.startsWith("/") || source.startsWith("~") || path.isAbsolute(source)) {
    throw new SkillError(
      "SKILL_SOURCE_NOT_FOUND",
      `no skill directory at ${source}: check the path (it is resolved on the gateway host)`,
    );
  }
  return "npm";
}

async function stageLocal(
  source: string,
  staging: string,
  options: InstallSkillOptions,
): Promise<SkillOrigin> {
  const sourceDir = path.resolve(source);
  const info = await stat(sourceDir).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new SkillError(
      "SKILL_SOURCE_NOT_FOUND",
      `no skill directory at ${sourceDir}: check the path (it is resolved on the gateway host)`,
    );
  }
  await cp(sourceDir, staging, {
    recursive: true,
    // Symlinks could point anywhere on the host; VCS metadata and dependencies are not part of a skill.
    filter: async (from) => {
      const base = path.basename(from);
      if (from !== sourceDir && (base === ".git" || base === "node_modules")) return false;
      return !(await lstat(from)).isSymbolicLink();
    },
  });
  return {
    version: 1,
    kind: "local",
    path: sourceDir,
    installedAt: (options.now?.() ?? new Date()).toISOString(),
  };
}

async function stageNpm(source: string, staging: string, options: InstallSkillOptions): Promise<SkillOrigin> {
  const spec = await normalizeNpmSpec(source);
  const packDir = await mkdtemp(path.join(os.tmpdir(), "openclaw-skill-pack-"));
  try {
    let stdout: string;
    try {
      // No shell, no lifecycle scripts: packing must not run code from the package.
      const result = await execFileAsync(
        options.npmCommand ?? "npm",
        ["pack", spec, "--pack-destination", packDir, "--json", "--ignore-scripts"],
        {
          cwd: packDir,
          timeout: options.timeoutMs ?? 120_000,
          maxBuffer: 16 * 1024 * 1024,
          windowsHide: true,
        },
      );
      stdout = result.stdout;
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr?.trim().split("\n").slice(-3).join(" ") ?? "";
      throw new SkillError(
        "SKILL_NPM_PACK_FAILED",
        `npm pack ${spec} failed${stderr ? `: ${stderr}` : ""}; check the package name and that npm can reach its registry`,
        { cause: error },
      );
    }
    const packed = readPackResult(stdout);
    const tarball = path.join(packDir, packed.filename ?? (await onlyTarball(packDir)));
    await extractPackage(await readFile(tarball), staging);
    const origin: SkillOrigin = {
      version: 1,
      kind: "npm",
      spec,
      installedAt: (options.now?.() ?? new Date()).toISOString(),
    };
    if (packed.name) origin.packageName = packed.name;
    if (packed.version) origin.packageVersion = packed.version;
    if (packed.integrity) origin.integrity = packed.integrity;
    return origin;
  } finally {
    await rm(packDir, { recursive: true, force: true });
  }
}

async function normalizeNpmSpec(source: string): Promise<string> {
  if (source.endsWith(".tgz") || source.endsWith(".tar.gz")) {
    const tarball = path.resolve(source);
    if (!(await stat(tarball).catch(() => undefined))?.isFile()) {
      throw new SkillError("SKILL_SOURCE_NOT_FOUND", `no package tarball at ${tarball}: check the path`);
    }
    return tarball;
  }
  const at = source.lastIndexOf("@");
  const [name, version] = at > 0 ? [source.slice(0, at), source.slice(at + 1)] : [source, undefined];
  if (!NPM_NAME.test(name) || (version !== undefined && !NPM_VERSION.test(version))) {
    throw new SkillError(
      "SKILL_SOURCE_UNSUPPORTED",
      `${JSON.stringify(source)} is not an npm package spec or an existing directory: ${SUPPORTED_HINT}`,
    );
  }
  return source;
}

type PackResult = { filename?: string; name?: string; version?: string; integrity?: string };

function readPackResult(stdout: string): PackResult {
  try {
    const parsed: unknown = JSON.parse(stdout);
    const first = Array.isArray(parsed) ? parsed[0] : undefined;
    if (typeof first === "object" && first !== null) return first as PackResult;
  } catch {
    // Older npm versions print the file name instead of JSON; the directory listing covers that case.
  }
  return {};
}

async function onlyTarball(dir: string): Promise<string> {
  const tarballs = (await readdir(dir)).filter((name) => name.endsWith(".tgz"));
  if (tarballs.length !== 1 || tarballs[0] === undefined) {
    throw new SkillError("SKILL_NPM_PACK_FAILED", "npm pack did not produce a single tarball");
  }
  return tarballs[0];
}

/** Writes the `package/` folder of an npm tarball into `target`, refusing any path that leaves it. */
async function extractPackage(tgz: Buffer, target: string): Promise<void> {
  let tar: Buffer;
  try {
    tar = gunzipSync(tgz, { maxOutputLength: MAX_UNPACKED_BYTES });
  } catch (error) {
    throw new SkillError(
      "SKILL_ARCHIVE_INVALID",
      "the npm package is not a gzip tarball or unpacks to more than 64 MiB",
      { cause: error },
    );
  }
  for (const entry of readTarEntries(tar)) {
    const parts = entry.path.split("/").filter((part) => part !== "" && part !== ".");
    if (parts[0] !== "package" || parts.length < 2 || parts.includes("..")) continue;
    const destination = path.join(target, ...parts.slice(1));
    if (!isInside(destination, target)) continue;
    if (entry.type === "directory") {
      await mkdir(destination, { recursive: true });
      continue;
    }
    await mkdir(path.dirname(destination), { recursive: true });
    await writeFile(destination, entry.data, { mode: entry.mode & 0o111 ? 0o755 : 0o644 });
  }
}

async function commitStaged(
  staging: string,
  skillsDir: string,
  origin: SkillOrigin,
  options: InstallSkillOptions,
): Promise<InstallSkillResult> {
  const manifest = await readFile(path.join(staging, SKILL_FILE), "utf8").catch(() => undefined);
  if (manifest === undefined) {
    throw new SkillError(
      "SKILL_MANIFEST_MISSING",
      `${describe(origin)} has no SKILL.md at its root: a skill folder needs SKILL.md with name and description front matter`,
    );
  }
  const front = parseSkillFrontMatter(manifest);
  const name = options.as ?? front.name;
  if (name === undefined) {
    throw new SkillError(
      "SKILL_NAME_INVALID",
      `${describe(origin)}: SKILL.md front matter has no \`name\`; add one or pass \`as\``,
    );
  }
  if (!SKILL_NAME.test(name)) {
    throw new SkillError(
      "SKILL_NAME_INVALID",
      `skill name ${JSON.stringify(name)} cannot be a folder name: use letters, digits, '.', '_' or '-' (max 64)`,
    );
  }
  const targetDir = path.join(skillsDir, name);
  const existing = await lstat(targetDir).catch(() => undefined);
  if (existing && !options.force) {
    throw new SkillError(
      "SKILL_EXISTS",
      `a skill named ${name} is already installed at ${targetDir}: use skills.update to refresh it or pass force to replace it`,
    );
  }
  await writeSkillOrigin(staging, origin);
  // Swap through a side folder so a failed install never leaves a half-copied skill in place.
  const previous = existing ? await mkdtemp(path.join(skillsDir, ".previous-")) : undefined;
  if (previous) await rename(targetDir, path.join(previous, name));
  try {
    await rename(staging, targetDir);
  } catch (error) {
    if (previous) await rename(path.join(previous, name), targetDir);
    throw error;
  } finally {
    if (previous) await rm(previous, { recursive: true, force: true });
  }
  return {
    ok: true,
    name,
    targetDir,
    replaced: existing !== undefined,
    origin,
    message: `${existing ? "Replaced" : "Installed"} skill ${name} from ${describe(origin)}`,
  };
}

function describe(origin: SkillOrigin): string {
  return origin.kind === "local" ? origin.path : `npm ${origin.spec}`;
}

export type UpdateSkillOptions = Omit<InstallSkillOptions, "source" | "kind" | "as" | "force"> & {
  name: string;
};

export type UpdateSkillResult =
  | { name: string; ok: true; targetDir: string; origin: SkillOrigin; message: string }
  | { name: string; ok: false; error: { code: string; message: string } };

/** Re-installs one skill from the source recorded when it was installed. */
export async function updateSkill(options: UpdateSkillOptions): Promise<UpdateSkillResult> {
  const { name } = options;
  try {
    if (!SKILL_NAME.test(name)) {
      throw new SkillError(
        "SKILL_NAME_INVALID",
        `skill name ${JSON.stringify(name)} is not a valid skill folder name`,
      );
    }
    const skillDir = path.join(options.workspaceDir, "skills", name);
    if (!(await stat(skillDir).catch(() => undefined))?.isDirectory()) {
      throw new SkillError(
        "SKILL_NOT_INSTALLED",
        `no skill named ${name} in ${path.join(options.workspaceDir, "skills")}: install it first`,
      );
    }
    const origin = await readSkillOrigin(skillDir);
    if (!origin) {
      throw new SkillError(
        "SKILL_ORIGIN_UNKNOWN",
        `skill ${name} was not installed by skills.install (no ${path.join(name, ".openclaw-skill.json")}): reinstall it with skills.install and force`,
      );
    }
    const result = await installSkill({
      ...options,
      source: origin.kind === "local" ? origin.path : origin.spec,
      kind: origin.kind,
      as: name,
      force: true,
    });
    return {
      name,
      ok: true,
      targetDir: result.targetDir,
      origin: result.origin,
      message: `Updated skill ${name} from ${describe(origin)}`,
    };
  } catch (error) {
    const code = error instanceof SkillError ? error.code : "SKILL_UPDATE_FAILED";
    return {
      name,
      ok: false,
      error: { code, message: error instanceof Error ? error.message : String(error) },
    };
  }
}

/** Re-installs every skill in `<workspace>/skills` that records where it came from. */
export async function updateAllSkills(
  options: Omit<UpdateSkillOptions, "name">,
): Promise<UpdateSkillResult[]> {
  const skillsDir = path.join(options.workspaceDir, "skills");
  const names = await readdir(skillsDir).catch(() => [] as string[]);
  const results: UpdateSkillResult[] = [];
  for (const name of names.sort()) {
    if (name.startsWith(".") || !(await readSkillOrigin(path.join(skillsDir, name)))) continue;
    results.push(await updateSkill({ ...options, name }));
  }
  return results;
}
