import type { BinaryLookup } from "./find-binary.js";
import type { SkillFrontMatter, SkillRequirements } from "./skill-front-matter.js";

/** The slice of `openclaw.json` skills consult: `skills.entries.<skillKey>` and `requires.config` paths. */
export type SkillConfigEntry = {
  enabled?: boolean;
  apiKey?: unknown;
  env?: Record<string, string>;
};

export type SkillConfigCheck = { path: string; satisfied: boolean };

export type SkillEligibility = {
  eligible: boolean;
  disabled: boolean;
  missing: SkillRequirements;
  configChecks: SkillConfigCheck[];
  reason?: string;
};

export type EligibilityContext = {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  hasBinary: BinaryLookup;
  config?: unknown;
  entry?: SkillConfigEntry;
  skillKey: string;
};

export async function evaluateSkillEligibility(
  skill: SkillFrontMatter,
  context: EligibilityContext,
): Promise<SkillEligibility> {
  const { requires } = skill;
  const missing: SkillRequirements = { bins: [], anyBins: [], env: [], config: [], os: [] };
  if (requires.os.length > 0 && !requires.os.includes(context.platform)) missing.os = [...requires.os];

  const configChecks = requires.config.map((configPath) => ({
    path: configPath,
    satisfied: Boolean(readConfigPath(context.config, configPath)),
  }));
  // `always` skips every gate except the operating system, which a skill cannot work around.
  if (!skill.always) {
    for (const bin of requires.bins) {
      if (!(await context.hasBinary(bin))) missing.bins.push(bin);
    }
    if (requires.anyBins.length > 0) {
      const anyFound = await someAsync(requires.anyBins, context.hasBinary);
      if (!anyFound) missing.anyBins = [...requires.anyBins];
    }
    missing.env = requires.env.filter((name) => !envProvided(name, skill, context));
    missing.config = configChecks.filter((check) => !check.satisfied).map((check) => check.path);
  }

  const disabled = context.entry?.enabled === false;
  const reasons = describeMissing(missing, context);
  if (disabled) reasons.unshift(`disabled in config (skills.entries.${context.skillKey}.enabled is false)`);
  const eligibility: SkillEligibility = { eligible: reasons.length === 0, disabled, missing, configChecks };
  if (reasons.length > 0) eligibility.reason = reasons.join("; ");
  return eligibility;
}

function envProvided(name: string, skill: SkillFrontMatter, context: EligibilityContext): boolean {
  if (nonEmpty(context.env[name])) return true;
  if (nonEmpty(context.entry?.env?.[name])) return true;
  return skill.primaryEnv === name && context.entry?.apiKey !== undefined && context.entry.apiKey !== "";
}

function describeMissing(missing: SkillRequirements, context: EligibilityContext): string[] {
  const reasons: string[] = [];
  if (missing.os.length > 0)
    reasons.push(`requires os ${missing.os.join(" or ")} (this host is ${context.platform})`);
  if (missing.bins.length > 0) reasons.push(`missing binaries on PATH: ${missing.bins.join(", ")}`);
  if (missing.anyBins.length > 0)
    reasons.push(`needs one of these binaries on PATH: ${missing.anyBins.join(", ")}`);
  if (missing.env.length > 0) {
    reasons.push(
      `missing env: ${missing.env.join(", ")} (set it for the gateway or in skills.entries.${context.skillKey}.env)`,
    );
  }
  if (missing.config.length > 0) reasons.push(`config must be set: ${missing.config.join(", ")}`);
  return reasons;
}

export function readConfigPath(config: unknown, dottedPath: string): unknown {
  let current: unknown = config;
  for (const segment of dottedPath.split(".")) {
    if (typeof current !== "object" || current === null || !Object.hasOwn(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

function nonEmpty(value: string | undefined): boolean {
  return value !== undefined && value !== "";
}

async function someAsync(items: string[], test: (item: string) => Promise<boolean>): Promise<boolean> {
  for (const item of items) {
    if (await test(item)) return true;
  }
  return false;
}
