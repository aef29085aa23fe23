import type { OpenClawConfig } from "../config/config-schema.js";
import { listConfiguredAgents } from "../config/configured-agents.js";

/** One skill as the model sees it: enough to decide whether to `read` its SKILL.md. */
export interface PromptSkill {
  name: string;
  description: string;
  /** The SKILL.md path the model reads. */
  location: string;
}

/** OpenClaw's defaults for the skills catalog (`skills.limits.*`). */
const MAX_SKILLS_IN_PROMPT = 150;
const MAX_SKILLS_PROMPT_CHARS = 18_000;
const MAX_DESCRIPTION_CHARS = 300;

function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((item) => typeof item === "string") ? value : undefined;
}

/** The agent's skills allowlist (`agents.entries.<id>.skills`, else `agents.defaults.skills`); undefined: all. */
export function skillAllowlist(config: OpenClawConfig, agentId: string): string[] | undefined {
  const entry = listConfiguredAgents(config).find((candidate) => candidate.id === agentId);
  return stringList(entry?.skills) ?? stringList(config.agents.defaults.skills);
}

/**
 * The eligible skills of the agent's workspace first, then of each extra root (managed skills, plugin bundles);
 * the first skill of a name wins, as in OpenClaw. Ineligible skills (missing binaries or env, another OS,
 * `skills.entries.<name>.enabled: false`, outside the allowlist) are left out.
 */
export async function listPromptSkills(o: {
  config: OpenClawConfig;
  agentId: string;
  /** Folders laid out like a workspace: skills live in their `skills/` (and `.agents/skills/`) subfolders. */
  roots: string[];
  env: NodeJS.ProcessEnv;
}): Promise<PromptSkill[]> {
  // The skills code (and its YAML parser) loads with the first run that needs it.
  const { scanSkills } = await import("../skills/index.js");
  const allowlist = skillAllowlist(o.config, o.agentId);
  const scanned = await scanSkills({
    workspaceDirs: o.roots,
    env: o.env,
    platform: process.platform,
    config: o.config,
    ...(allowlist ? { allowlist } : {}),
  });
  return scanned
    .filter((skill) => skill.eligible)
    .map((skill) => ({ name: skill.name, description: skill.description, location: skill.filePath }));
}

function escapeXml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

function oneLine(text: string, maxChars: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= maxChars ? flat : `${flat.slice(0, maxChars - 3).trimEnd()}...`;
}

function skillBlock(skill: PromptSkill): string {
  return [
    "  <skill>",
    `    <name>${escapeXml(skill.name)}</name>`,
    `    <description>${escapeXml(oneLine(skill.description, MAX_DESCRIPTION_CHARS))}</description>`,
    `    <location>${escapeXml(skill.location)}</location>`,
    "  </skill>",
  ].join("\n");
}

/**
 * The `<available_skills>` catalog OpenClaw puts in its prompt, sorted by name, within OpenClaw's default count and
 * size budget; skills that do not fit are counted in a note instead of dropped silently.
 */
export function formatSkillsCatalog(skills: readonly PromptSkill[]): string {
  if (skills.length === 0) return "";
  const sorted = [...skills].sort((a, b) => a.name.localeCompare(b.name, "en"));
  const blocks: string[] = [];
  let size = 0;
  for (const skill of sorted.slice(0, MAX_SKILLS_IN_PROMPT)) {
    const block = skillBlock(skill);
    if (size + block.length > MAX_SKILLS_PROMPT_CHARS) break;
    blocks.push(block);
    size += block.length + 1;
  }
  const note =
    blocks.length < sorted.length
      ? `Only ${blocks.length} of ${sorted.length} skills fit here; list the skills folders to find the others.\n`
      : "";
  return `${note}<available_skills>\n${blocks.join("\n")}\n</available_skills>`;
}
