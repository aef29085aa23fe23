import JSON5 from "json5";
import { parse as parseYaml } from "yaml";
import { SkillError } from "./skill-error.js";

export type SkillInstallOption = {
  id: string;
  kind: string;
  label?: string;
  bins: string[];
  os?: string[];
};

/** The `metadata.openclaw` block of a SKILL.md: gating rules and UI hints. */
export type SkillRequirements = {
  bins: string[];
  anyBins: string[];
  env: string[];
  config: string[];
  os: string[];
};

export type SkillFrontMatter = {
  name?: string;
  description?: string;
  homepage?: string;
  emoji?: string;
  skillKey?: string;
  primaryEnv?: string;
  always: boolean;
  requires: SkillRequirements;
  install: SkillInstallOption[];
};

const FENCE = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

/**
 * Reads the front matter of a SKILL.md. YAML first; when that fails (a plain `description: a: b` line is
 * invalid YAML but common in hand-written skills) a line-based reader takes over, as OpenClaw does.
 */
export function parseSkillFrontMatter(text: string): SkillFrontMatter {
  const match = FENCE.exec(text.replace(/^\uFEFF/, ""));
  if (!match) {
    throw new SkillError(
      "SKILL_FRONT_MATTER_INVALID",
      "SKILL.md has no front matter: start the file with a `---` block holding at least `name` and `description`",
    );
  }
  const raw = readYamlOrLines(match[1] ?? "");
  return normalizeFrontMatter(raw);
}

function readYamlOrLines(block: string): Record<string, unknown> {
  try {
    const parsed: unknown = parseYaml(block);
    if (parsed === null || parsed === undefined) return {};
    if (isRecord(parsed)) return parsed;
  } catch {
    return readSingleLineFields(block);
  }
  throw new SkillError(
    "SKILL_FRONT_MATTER_INVALID",
    "SKILL.md front matter must be a mapping of `key: value` lines (name, description, metadata)",
  );
}

function readSingleLineFields(block: string): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  let currentKey: string | undefined;
  for (const line of block.split(/\r?\n/)) {
    const field = /^([A-Za-z][\w-]*):(.*)$/.exec(line);
    if (field?.[1] !== undefined) {
      currentKey = field[1];
      fields[currentKey] = (field[2] ?? "").trim();
      continue;
    }
    // Indented continuation lines belong to the previous key (a multi-line metadata block).
    if (currentKey !== undefined && /^\s/.test(line)) {
      fields[currentKey] = `${String(fields[currentKey])}\n${line}`;
      continue;
    }
    if (line.trim() !== "") {
      throw new SkillError(
        "SKILL_FRONT_MATTER_INVALID",
        `SKILL.md front matter line is neither YAML nor \`key: value\`: ${JSON.stringify(line.slice(0, 80))}`,
      );
    }
  }
  for (const [key, value] of Object.entries(fields)) {
    if (typeof value === "string") fields[key] = unquote(value.trim());
  }
  return fields;
}

function unquote(value: string): string {
  if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.at(-1) === value[0]) {
    return value.slice(1, -1);
  }
  return value;
}

function normalizeFrontMatter(raw: Record<string, unknown>): SkillFrontMatter {
  const meta = readOpenClawMetadata(raw.metadata);
  const requires = isRecord(meta.requires) ? meta.requires : {};
  const topOs = stringList(meta.os, "metadata.openclaw.os");
  return {
    name: optionalString(raw.name, "name"),
    description: optionalString(raw.description, "description"),
    homepage:
      optionalString(raw.homepage, "homepage") ?? optionalString(meta.homepage, "metadata.openclaw.homepage"),
    emoji: optionalString(meta.emoji, "metadata.openclaw.emoji"),
    skillKey: optionalString(meta.skillKey, "metadata.openclaw.skillKey"),
    primaryEnv: optionalString(meta.primaryEnv, "metadata.openclaw.primaryEnv"),
    always: meta.always === true,
    requires: {
      bins: stringList(requires.bins, "metadata.openclaw.requires.bins"),
      anyBins: stringList(requires.anyBins, "metadata.openclaw.requires.anyBins"),
      env: stringList(requires.env, "metadata.openclaw.requires.env"),
      config: stringList(requires.config, "metadata.openclaw.requires.config"),
      os: topOs.length > 0 ? topOs : stringList(requires.os, "metadata.openclaw.requires.os"),
    },
    install: readInstallOptions(meta.install),
  };
}

/** `metadata` may be a YAML mapping or a JSON5 string; `clawdbot` is the legacy name of the block. */
function readOpenClawMetadata(metadata: unknown): Record<string, unknown> {
  if (metadata === undefined || metadata === null || metadata === "") return {};
  let value = metadata;
  if (typeof value === "string") {
    try {
      value = JSON5.parse(value);
    } catch (error) {
      throw new SkillError(
        "SKILL_FRONT_MATTER_INVALID",
        `SKILL.md metadata is not valid JSON5 or YAML: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }
  if (!isRecord(value)) {
    throw new SkillError(
      "SKILL_FRONT_MATTER_INVALID",
      "SKILL.md metadata must be an object like { openclaw: { … } }",
    );
  }
  const block = value.openclaw ?? value.clawdbot;
  if (block === undefined) return {};
  if (!isRecord(block)) {
    throw new SkillError("SKILL_FRONT_MATTER_INVALID", "SKILL.md metadata.openclaw must be an object");
  }
  return block;
}

function readInstallOptions(value: unknown): SkillInstallOption[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    throw new SkillError("SKILL_FRONT_MATTER_INVALID", "SKILL.md metadata.openclaw.install must be a list");
  }
  return value.filter(isRecord).map((spec, index) => {
    const kind = typeof spec.kind === "string" ? spec.kind : "unknown";
    const option: SkillInstallOption = {
      id: typeof spec.id === "string" ? spec.id : `${kind}-${index}`,
      kind,
      bins: stringList(spec.bins, "metadata.openclaw.install[].bins"),
    };
    if (typeof spec.label === "string") option.label = spec.label;
    const os = stringList(spec.os, "metadata.openclaw.install[].os");
    if (os.length > 0) option.os = os;
    return option;
  });
}

function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value.trim() === "" ? undefined : value.trim();
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  throw new SkillError("SKILL_FRONT_MATTER_INVALID", `SKILL.md \`${field}\` must be a string`);
}

function stringList(value: unknown, field: string): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === "string") return value.trim() === "" ? [] : [value.trim()];
  if (Array.isArray(value) && value.every((item) => typeof item === "string")) {
    return value.map((item) => item.trim()).filter((item) => item !== "");
  }
  throw new SkillError("SKILL_FRONT_MATTER_INVALID", `SKILL.md \`${field}\` must be a list of strings`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
