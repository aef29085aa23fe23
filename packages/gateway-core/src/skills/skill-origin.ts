import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";

/** Written next to an installed SKILL.md so `skills.update` knows where the skill came from. */
export const SKILL_ORIGIN_FILE = ".openclaw-skill.json";

export type SkillOrigin =
  | { version: 1; kind: "local"; path: string; installedAt: string }
  | {
      version: 1;
      kind: "npm";
      spec: string;
      packageName?: string;
      packageVersion?: string;
      integrity?: string;
      installedAt: string;
    };

export async function readSkillOrigin(skillDir: string): Promise<SkillOrigin | undefined> {
  let text: string;
  try {
    text = await readFile(path.join(skillDir, SKILL_ORIGIN_FILE), "utf8");
  } catch {
    return undefined;
  }
  try {
    const parsed = JSON.parse(text) as Partial<SkillOrigin>;
    if (parsed.version !== 1) return undefined;
    if (parsed.kind === "local" && typeof parsed.path === "string") return parsed as SkillOrigin;
    if (parsed.kind === "npm" && typeof parsed.spec === "string") return parsed as SkillOrigin;
  } catch {
    return undefined;
  }
  return undefined;
}

export async function writeSkillOrigin(skillDir: string, origin: SkillOrigin): Promise<void> {
  await writeFile(path.join(skillDir, SKILL_ORIGIN_FILE), `${JSON.stringify(origin, null, 2)}\n`, "utf8");
}
