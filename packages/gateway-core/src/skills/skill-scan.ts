import type { Dirent } from "node:fs";
import { readdir, readFile, realpath } from "node:fs/promises";
import path from "node:path";
import { type BinaryLookup, createPathBinaryLookup } from "./find-binary.js";
import { evaluateSkillEligibility, type SkillConfigEntry } from "./skill-eligibility.js";
import {
  parseSkillFrontMatter,
  type SkillInstallOption,
  type SkillRequirements,
} from "./skill-front-matter.js";
import { readSkillOrigin, type SkillOrigin } from "./skill-origin.js";

export type SkillSource = "openclaw-workspace" | "agents-project";

export type SkillStatusEntry = {
  name: string;
  description: string;
  source: SkillSource;
  filePath: string;
  baseDir: string;
  skillKey: string;
  primaryEnv?: string;
  emoji?: string;
  homepage?: string;
  always: boolean;
  disabled: boolean;
  blockedByAllowlist: boolean;
  eligible: boolean;
  requirements: SkillRequirements;
  missing: SkillRequirements;
  configChecks: { path: string; satisfied: boolean }[];
  install: SkillInstallOption[];
  /** Set when SKILL.md could not be read; such a skill is listed so the operator sees it, never eligible. */
  error?: string;
  reason?: string;
  origin?: SkillOrigin;
};

export type ScanSkillsOptions = {
  workspaceDirs: string[];
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  /** Injected binary lookup (tests, remote hosts); defaults to stat-ing the PATH from `env`. */
  which?: BinaryLookup;
  /** The parsed `openclaw.json`, for `skills.entries` and `requires.config` checks. */
  config?: unknown;
  /** Effective agent allowlist; `undefined` leaves every skill visible. */
  allowlist?: string[];
};

/** Skill roots inside a workspace, highest precedence first, as OpenClaw loads them. */
const ROOTS: { dir: string; source: SkillSource }[] = [
  { dir: "skills", source: "openclaw-workspace" },
  { dir: path.join(".agents", "skills"), source: "agents-project" },
];
const MAX_DEPTH = 6;
const SKILL_FILE = "SKILL.md";

/** Finds every `SKILL.md` under the workspaces' skill roots; the first skill of a name wins. */
export async function scanSkills(options: ScanSkillsOptions): Promise<SkillStatusEntry[]> {
  const hasBinary = options.which ?? createPathBinaryLookup(options.env, options.platform);
  const seen = new Set<string>();
  const skills: SkillStatusEntry[] = [];
  for (const workspaceDir of options.workspaceDirs) {
    for (const root of ROOTS) {
      const rootDir = path.join(workspaceDir, root.dir);
      const realRoot = await realpath(rootDir).catch(() => undefined);
      if (realRoot === undefined) continue;
      for (const baseDir of await findSkillDirs(realRoot, realRoot, 1)) {
        const entry = await readSkill(baseDir, root.source, { ...options, hasBinary });
        if (seen.has(entry.name)) continue;
        seen.add(entry.name);
        skills.push(entry);
      }
    }
  }
  return skills;
}

async function findSkillDirs(dir: string, realRoot: string, depth: number): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const found: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
    if (!entry.isDirectory() && !entry.isSymbolicLink()) continue;
    // A symlinked skill folder must still resolve inside the root; anything else is a path escape.
    const real = await realpath(path.join(dir, entry.name)).catch(() => undefined);
    if (real === undefined || !isInside(real, realRoot)) continue;
    const hasManifest = await readdir(real)
      .then((names) => names.includes(SKILL_FILE))
      .catch(() => false);
    if (hasManifest) {
      found.push(real);
    } else if (depth < MAX_DEPTH) {
      found.push(...(await findSkillDirs(real, realRoot, depth + 1)));
    }
  }
  return found;
}

async function readSkill(
  baseDir: string,
  source: SkillSource,
  options: ScanSkillsOptions & { hasBinary: BinaryLookup },
): Promise<SkillStatusEntry> {
  const filePath = path.join(baseDir, SKILL_FILE);
  const fallbackName = path.basename(baseDir);
  const origin = await readSkillOrigin(baseDir);
  let front: ReturnType<typeof parseSkillFrontMatter>;
  try {
    front = parseSkillFrontMatter(await readFile(filePath, "utf8"));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const empty: SkillRequirements = { bins: [], anyBins: [], env: [], config: [], os: [] };
    return {
      name: fallbackName,
      description: "",
      source,
      filePath,
      baseDir,
      skillKey: fallbackName,
      always: false,
      disabled: false,
      blockedByAllowlist: false,
      eligible: false,
      requirements: empty,
      missing: empty,
      configChecks: [],
      install: [],
      error: message,
      reason: `SKILL.md could not be read: ${message}`,
      ...(origin ? { origin } : {}),
    };
  }
  const name = front.name ?? fallbackName;
  const skillKey = front.skillKey ?? name;
  const entry = readSkillEntry(options.config, skillKey);
  const eligibility = await evaluateSkillEligibility(front, {
    env: options.env,
    platform: options.platform,
    hasBinary: options.hasBinary,
    config: options.config,
    skillKey,
    ...(entry ? { entry } : {}),
  });
  const blockedByAllowlist = options.allowlist !== undefined && !options.allowlist.includes(name);
  const reasons = [
    eligibility.reason,
    blockedByAllowlist ? "not in this agent's skills allowlist" : undefined,
  ];
  const reason = reasons.filter((part) => part !== undefined).join("; ");
  const status: SkillStatusEntry = {
    name,
    description: front.description ?? "",
    source,
    filePath,
    baseDir,
    skillKey,
    always: front.always,
    disabled: eligibility.disabled,
    blockedByAllowlist,
    eligible: eligibility.eligible && !blockedByAllowlist,
    requirements: front.requires,
    missing: eligibility.missing,
    configChecks: eligibility.configChecks,
    install: front.install.filter((option) => !option.os || option.os.includes(options.platform)),
  };
  if (front.primaryEnv) status.primaryEnv = front.primaryEnv;
  if (front.emoji) status.emoji = front.emoji;
  if (front.homepage) status.homepage = front.homepage;
  if (reason !== "") status.reason = reason;
  if (origin) status.origin = origin;
  return status;
}

function readSkillEntry(config: unknown, skillKey: string): SkillConfigEntry | undefined {
  if (typeof config !== "object" || config === null) return undefined;
  const skills = (config as { skills?: unknown }).skills;
  if (typeof skills !== "object" || skills === null) return undefined;
  const entries = (skills as { entries?: unknown }).entries;
  if (typeof entries !== "object" || entries === null || !Object.hasOwn(entries, skillKey)) return undefined;
  const entry = (entries as Record<string, unknown>)[skillKey];
  return typeof entry === "object" && entry !== null ? (entry as SkillConfigEntry) : undefined;
}

export function isInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative);
}
