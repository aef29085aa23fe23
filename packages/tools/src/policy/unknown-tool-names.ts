import { CORE_TOOL_DEFINITIONS, normalizeToolName, TOOL_NAME_ALIASES } from "./core-tool-catalog.js";
import type { ResolvedToolPolicy } from "./filter-tools.js";
import {
  compileToolPattern,
  isKnownGroupName,
  type ToolDescriptor,
  toPolicySubject,
} from "./tool-pattern.js";

/** OpenClaw's profiles name its MCP bridge; a config may too. */
const OPENCLAW_EXTRA_NAMES = ["bundle-mcp"];

/**
 * One warning per policy layer that names tools nothing matches: not a tool of this gateway or of OpenClaw's
 * catalog, not a group, not a loaded plugin. Such entries stay in the policy (a plugin loaded later is covered), but
 * they are usually typos, so the gateway says so once.
 */
export function describeUnknownToolNames(
  policy: ResolvedToolPolicy,
  knownTools: readonly ToolDescriptor[],
): string[] {
  const subjects = [
    ...knownTools,
    ...CORE_TOOL_DEFINITIONS.map((tool) => ({ name: tool.id })),
    ...[...TOOL_NAME_ALIASES.keys(), ...OPENCLAW_EXTRA_NAMES].map((name) => ({ name })),
  ].map(toPolicySubject);
  const isKnown = (entry: string) => {
    if (isKnownGroupName(entry)) return true;
    const pattern = compileToolPattern(entry);
    return subjects.some((subject) => pattern.matches(subject));
  };
  const warnings: string[] = [];
  for (const layer of policy.layers) {
    const unknown = [
      ...new Set((layer.written ?? []).filter((entry) => normalizeToolName(entry) !== "")),
    ].filter((entry) => !isKnown(entry));
    if (unknown.length === 0) continue;
    const names = unknown.map((entry) => `"${entry}"`).join(", ");
    warnings.push(
      `${layer.label} names ${names}, which matches no tool, group or plugin this gateway knows: check the spelling, or load the plugin that provides it`,
    );
  }
  return warnings;
}
