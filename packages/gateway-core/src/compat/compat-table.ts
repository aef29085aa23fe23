import { METHOD_CONTRACTS, type MethodContract } from "@openclaw/protocol";
import { z } from "zod";
import { OpenClawConfigSchema } from "../config/config-schema.js";
import { unwrapSchema } from "../config/config-schema-walk.js";
import {
  CONFIG_KEYS_READ_ELSEWHERE,
  patternSegments,
  UNSUPPORTED_CONFIG_KEYS,
} from "../config/unsupported-keys.js";
import { AGENT_SETTING_PREFIXES } from "../config/unsupported-keys-agents.js";

/** Markers around the generated table in README.md; everything between them is rewritten. */
export const COMPAT_TABLE_START = "<!-- compat-table:start -->";
export const COMPAT_TABLE_END = "<!-- compat-table:end -->";

/** How this gateway answers OpenClaw's methods, counted. */
export interface MethodCounts {
  /** Methods in OpenClaw's published protocol. */
  openClaw: number;
  /** Methods this gateway serves (its contracts), whether OpenClaw has them or not. */
  served: number;
  /** Served methods that answer OpenClaw's empty or "unavailable" shape (the feature is not here). */
  unavailable: number;
  /** OpenClaw's methods this gateway serves (either way). */
  servedOfOpenClaw: number;
  /** Served methods OpenClaw's published protocol does not list. */
  oursOnly: number;
}

type Contracts = Readonly<Record<string, MethodContract>>;

function unavailableOf(contracts: Contracts, method: string): string | undefined {
  return contracts[method]?.unavailable;
}

/** Counts our contracts against `openClawMethods` (the `methods` map of OpenClaw's protocol schema). */
export function countMethods(
  openClawMethods: readonly string[],
  contracts: Contracts = METHOD_CONTRACTS,
): MethodCounts {
  const ours = Object.keys(contracts);
  const theirs = new Set(openClawMethods);
  return {
    openClaw: theirs.size,
    served: ours.length,
    unavailable: ours.filter((method) => unavailableOf(contracts, method) !== undefined).length,
    servedOfOpenClaw: ours.filter((method) => theirs.has(method)).length,
    oursOnly: ours.filter((method) => !theirs.has(method)).length,
  };
}

/** A method's family: what comes before its first dot (`sessions.list` -> `sessions`). */
function familyOf(method: string): string {
  return method.split(".")[0] ?? method;
}

function methodRows(openClawMethods: readonly string[], contracts: Contracts): string[] {
  const families = new Map<
    string,
    { openClaw: number; implemented: number; unavailable: number; missing: number }
  >();
  const row = (family: string) => {
    let found = families.get(family);
    if (!found) {
      found = { openClaw: 0, implemented: 0, unavailable: 0, missing: 0 };
      families.set(family, found);
    }
    return found;
  };
  const theirs = new Set(openClawMethods);
  for (const method of theirs) {
    row(familyOf(method)).openClaw++;
    if (!contracts[method]) row(familyOf(method)).missing++;
  }
  for (const method of Object.keys(contracts)) {
    if (unavailableOf(contracts, method) !== undefined) row(familyOf(method)).unavailable++;
    else row(familyOf(method)).implemented++;
  }
  return [...families.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([family, counts]) =>
        `| \`${family}\` | ${counts.openClaw} | ${counts.implemented} | ${counts.unavailable} | ${counts.missing} |`,
    );
}

/** Each method answering OpenClaw's unavailable shape, with what the caller gets. */
function unavailableLines(contracts: Contracts): string[] {
  return Object.keys(contracts)
    .sort()
    .flatMap((method) => {
      const note = unavailableOf(contracts, method);
      return note === undefined ? [] : [`- \`${method}\`: ${note}`];
    });
}

/** Every key path the schema models (records as `*`, arrays as `[]`), for the honoured-key counts. */
function modelledPaths(schema: z.ZodType, path: string[] = [], depth = 0): string[][] {
  if (depth > 12) return [];
  const core = unwrapSchema(schema);
  if (core instanceof z.ZodArray) return modelledPaths(core.element as z.ZodType, [...path, "[]"], depth + 1);
  if (core instanceof z.ZodRecord)
    return modelledPaths(core.valueType as z.ZodType, [...path, "*"], depth + 1);
  if (core instanceof z.ZodUnion) {
    return (core.options as z.ZodType[]).flatMap((option) => modelledPaths(option, path, depth + 1));
  }
  if (!(core instanceof z.ZodObject)) return [];
  return Object.entries(core.shape as Record<string, z.ZodType>).flatMap(([key, field]) => [
    [...path, key],
    ...modelledPaths(field, [...path, key], depth + 1),
  ]);
}

const AGENT_PREFIX_SEGMENTS = AGENT_SETTING_PREFIXES.map(patternSegments);

/** `agents.entries.*.sandbox` -> `<agent>.sandbox`: the agent tables apply to defaults, entries and the list alike. */
function displayPattern(segments: readonly string[]): string {
  for (const prefix of AGENT_PREFIX_SEGMENTS) {
    if (prefix.every((part, index) => segments[index] === part)) {
      return ["<agent>", ...segments.slice(prefix.length)].join(".");
    }
  }
  return segments
    .slice(1)
    .join(".")
    .replace(/\.\[\]/g, "[]");
}

function configRows(): string[] {
  const honoured = new Map<string, Set<string>>();
  const addHonoured = (segments: readonly string[]) => {
    const section = segments[0];
    if (!section || section === "$schema") return;
    const keys = honoured.get(section) ?? new Set<string>();
    if (segments.length > 1) keys.add(displayPattern(segments));
    honoured.set(section, keys);
  };
  for (const path of modelledPaths(OpenClawConfigSchema)) addHonoured(path);
  for (const pattern of CONFIG_KEYS_READ_ELSEWHERE) addHonoured(patternSegments(pattern));

  const unsupported = new Map<string, Set<string>>();
  for (const pattern of Object.keys(UNSUPPORTED_CONFIG_KEYS)) {
    if (isPerAccountCopy(pattern)) continue;
    const segments = patternSegments(pattern);
    const section = segments[0] ?? pattern;
    const keys = unsupported.get(section) ?? new Set<string>();
    if (segments.length > 1) keys.add(displayPattern(segments));
    unsupported.set(section, keys);
  }

  const sections = [...new Set([...honoured.keys(), ...unsupported.keys()])].sort((a, b) =>
    a.localeCompare(b),
  );
  return sections.map((section) => {
    const keys = unsupported.get(section);
    const wholeSection = keys !== undefined && keys.size === 0 && !honoured.has(section);
    const status = wholeSection ? "reported unsupported" : keys?.size ? "partly" : "implemented";
    const honouredCount =
      section === "channels" ? "per channel plugin" : String(honoured.get(section)?.size ?? 0);
    const reported = wholeSection ? "the whole section" : String(keys?.size ?? 0);
    return `| \`${section}\` | ${status} | ${honouredCount} | ${reported} |`;
  });
}

/** A channel key's per-account copy (`channels.<id>.accounts.*.<key>`), listed once with the channel-level key. */
function isPerAccountCopy(pattern: string): boolean {
  return pattern.startsWith("channels.") && pattern.includes(".accounts.*.");
}

/** Each catalogued key (agent keys once, as `<agent>.key`; channel keys once, for every account) with what happens instead. */
function unsupportedKeyLines(): string[] {
  const lines = new Map<string, string>();
  for (const [pattern, instead] of Object.entries(UNSUPPORTED_CONFIG_KEYS)) {
    if (isPerAccountCopy(pattern)) continue;
    const segments = patternSegments(pattern);
    const agentForm = displayPattern(segments);
    const everyAgentPlace =
      agentForm.startsWith("<agent>") &&
      AGENT_SETTING_PREFIXES.every(
        (prefix) => `${prefix}${agentForm.slice("<agent>".length)}` in UNSUPPORTED_CONFIG_KEYS,
      );
    const shown = everyAgentPlace ? agentForm : pattern;
    lines.set(shown, `- \`${shown}\`: ${instead}`);
  }
  return [...lines.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, line]) => line);
}

/**
 * The README's compatibility table: OpenClaw's methods per family (implemented, answering OpenClaw's
 * "unavailable" shape, or not served) and each config section (keys honoured, keys reported as not supported at
 * start and by `openclaw doctor`). Generated from the method contracts, OpenClaw's protocol schema and the config
 * schema with its unsupported-key catalogue; `pnpm compat:table` writes it.
 */
export function renderCompatibilityTable(
  openClawMethods: readonly string[],
  contracts: Contracts = METHOD_CONTRACTS,
): string {
  const counts = countMethods(openClawMethods, contracts);
  return [
    "_Generated by `pnpm compat:table` from the method contracts, OpenClaw's published protocol schema and the config schema; do not edit by hand._",
    "",
    `This gateway serves ${counts.served} methods: ${counts.servedOfOpenClaw} of the ${counts.openClaw} in OpenClaw's published protocol, and ${counts.oursOnly} that protocol does not list. ${counts.unavailable} of them answer OpenClaw's empty or "unavailable" shape because the feature is not here (reported unsupported), so OpenClaw's clients degrade instead of failing; a method that is not served answers \`unknown method\`.`,
    "",
    "| method family | OpenClaw | implemented | reported unsupported | not served |",
    "| --- | --- | --- | --- | --- |",
    ...methodRows(openClawMethods, contracts),
    "",
    "<details><summary>Methods that answer OpenClaw's unavailable shape</summary>",
    "",
    ...unavailableLines(contracts),
    "",
    "</details>",
    "",
    "Config sections: keys honoured (modelled by the schema or read by the code that applies them) and OpenClaw keys this gateway does not act on, which are reported at start (one log line per key) and by `openclaw doctor` as `not supported by this gateway: <what happens instead>`.",
    "",
    "| config section | status | keys honoured | keys reported unsupported |",
    "| --- | --- | --- | --- |",
    ...configRows(),
    "",
    "<details><summary>Config keys reported as not supported, and what happens instead</summary>",
    "",
    "`<agent>` stands for `agents.defaults`, `agents.entries.<id>` and `agents.list[]`; `*` for any key, `[]` for any list item; a `channels.*` key is also reported under `channels.<id>.accounts.<account>`.",
    "",
    ...unsupportedKeyLines(),
    "",
    "</details>",
  ].join("\n");
}

/**
 * Table rows as Biome formats README.md, padding cells to the column width: compared without the padding, so a
 * formatted README still matches the generated table.
 */
export function normalizeMarkdownTables(text: string): string {
  return text
    .split("\n")
    .map((line) =>
      line.startsWith("|") ? line.replace(/\s*\|\s*/g, "|").replace(/\|-+(?=\|)/g, "|---") : line.trimEnd(),
    )
    .join("\n");
}

/** `readme` with the text between the compat-table markers replaced by `table`; throws when the markers are missing. */
export function replaceCompatTable(readme: string, table: string): string {
  const start = readme.indexOf(COMPAT_TABLE_START);
  const end = readme.indexOf(COMPAT_TABLE_END);
  if (start === -1 || end === -1 || end < start) {
    throw new Error(`README.md has no ${COMPAT_TABLE_START} ... ${COMPAT_TABLE_END} section`);
  }
  return `${readme.slice(0, start + COMPAT_TABLE_START.length)}\n${table}\n${readme.slice(end)}`;
}
