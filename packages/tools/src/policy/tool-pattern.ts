import {
  CORE_TOOL_GROUPS,
  coreToolGroups,
  normalizeToolName,
  PLUGIN_TOOLS_GROUP,
} from "./core-tool-catalog.js";

/** What the policy needs to know about a tool to match it: its name and where it comes from. */
export interface ToolDescriptor {
  name: string;
  /** Built into the gateway ("core", the default) or loaded from a plugin. */
  source?: "core" | "plugin";
  /** A plugin tool's plugin: an allow or deny entry naming the plugin id covers all its tools. */
  pluginId?: string;
  /** Groups a plugin tool declares (e.g. "group:web"); a plugin tool is otherwise only in `group:plugins`. */
  groups?: readonly string[];
}

/** A tool in the form patterns compare against: normalised name and the full set of groups it is in. */
export interface PolicySubject {
  name: string;
  source: "core" | "plugin";
  pluginId: string | undefined;
  groups: ReadonlySet<string>;
}

export function toPolicySubject(tool: ToolDescriptor): PolicySubject {
  const source = tool.source ?? "core";
  const groups = new Set(source === "core" ? coreToolGroups(tool.name) : []);
  for (const group of tool.groups ?? []) groups.add(group.trim().toLowerCase());
  if (source === "plugin") groups.add(PLUGIN_TOOLS_GROUP);
  return {
    name: normalizeToolName(tool.name),
    source,
    pluginId: tool.pluginId?.trim().toLowerCase() || undefined,
    groups,
  };
}

export interface ToolPattern {
  /** As written in the config, for messages. */
  raw: string;
  matches(subject: PolicySubject): boolean;
}

function escapeRegex(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * An allow or deny entry: `*`, a `group:<name>`, a `*` glob over tool names, a plugin id or a tool name (aliases such
 * as `bash` for `exec` resolved). Case-insensitive, as in OpenClaw. A name no tool has matches nothing but stays in
 * the policy, so a plugin loaded later is covered by it.
 */
export function compileToolPattern(raw: string): ToolPattern {
  const entry = normalizeToolName(raw);
  if (entry === "") return { raw, matches: () => false };
  if (entry === "*") return { raw, matches: () => true };
  if (entry.startsWith("group:")) return { raw, matches: (subject) => subject.groups.has(entry) };
  if (entry.includes("*")) {
    const regex = new RegExp(`^${escapeRegex(entry).replaceAll("\\*", ".*")}$`);
    return { raw, matches: (subject) => regex.test(subject.name) };
  }
  return { raw, matches: (subject) => subject.name === entry || subject.pluginId === entry };
}

/** True for an entry that names a group, a plugin group or OpenClaw's own core tool ids and aliases. */
export function isKnownGroupName(entry: string): boolean {
  const normalized = normalizeToolName(entry);
  return CORE_TOOL_GROUPS.has(normalized) || normalized === PLUGIN_TOOLS_GROUP;
}
