import type { AgentTool } from "@openclaw/agent";
import {
  coreToolDefinition,
  coreToolGroups,
  PLUGIN_TOOLS_GROUP,
  type ToolDescriptor,
  type ToolProfileId,
  type ToolSectionId,
} from "@openclaw/tools/config";
import { z } from "zod";

/** One registered tool as the catalog describes it. */
export interface ToolCatalogItem {
  name: string;
  description: string;
  /** The description's first sentence-like line, at most 120 characters (OpenClaw's inventory summary). */
  summary: string;
  source: "core" | "plugin";
  pluginId?: string;
  /** The policy groups that cover it (`group:fs`, `group:openclaw`, `group:plugins`, ...). */
  groups: string[];
  /** OpenClaw's core section, for tools OpenClaw also ships. */
  section?: ToolSectionId;
  /** Profiles whose base allowlist selects it (`full` selects every tool and is not listed). */
  profiles: Exclude<ToolProfileId, "full">[];
  /** JSON Schema of the arguments, as the model sees it. */
  parameters: Record<string, unknown>;
}

/** How the gateway tells a plugin's tool from a built-in one. */
export interface ToolOrigin {
  source: "core" | "plugin";
  pluginId?: string;
}

const SUMMARY_MAX_CHARS = 120;

function summarize(description: string): string {
  const paragraphs = description.split(/\n\s*\n/);
  for (const paragraph of paragraphs) {
    const line = paragraph.trim().split("\n", 1)[0]?.replace(/\s+/g, " ").trim() ?? "";
    if (!line || line.startsWith("{") || line.startsWith("[") || line.startsWith("- ")) continue;
    if (line.length <= SUMMARY_MAX_CHARS) return line;
    const cut = line.slice(0, SUMMARY_MAX_CHARS - 3);
    const space = cut.lastIndexOf(" ");
    return `${(space >= 48 ? cut.slice(0, space) : cut).trimEnd()}...`;
  }
  return "Tool";
}

/** A plugin tool may declare policy groups (`groups: ["group:web"]`); it is otherwise only in `group:plugins`. */
function declaredGroups(tool: AgentTool): string[] {
  const groups = (tool as { groups?: unknown }).groups;
  return Array.isArray(groups) ? groups.filter((group): group is string => typeof group === "string") : [];
}

export function describeForPolicy(tool: AgentTool, origin: ToolOrigin): ToolDescriptor {
  return {
    name: tool.name,
    source: origin.source,
    ...(origin.pluginId ? { pluginId: origin.pluginId } : {}),
    ...(origin.source === "plugin" ? { groups: declaredGroups(tool) } : {}),
  };
}

const jsonSchemas = new WeakMap<AgentTool, Record<string, unknown>>();

/** The arguments' JSON Schema, converted once per tool; a schema zod cannot express falls back to "any object". */
export function parametersJsonSchema(tool: AgentTool): Record<string, unknown> {
  let schema = jsonSchemas.get(tool);
  if (!schema) {
    try {
      schema = z.toJSONSchema(tool.parameters, { io: "input", unrepresentable: "any" }) as Record<
        string,
        unknown
      >;
    } catch {
      schema = { type: "object" };
    }
    jsonSchemas.set(tool, schema);
  }
  return schema;
}

export function toCatalogItem(tool: AgentTool, origin: ToolOrigin): ToolCatalogItem {
  const definition = origin.source === "core" ? coreToolDefinition(tool.name) : undefined;
  const groups =
    origin.source === "core" ? coreToolGroups(tool.name) : [...declaredGroups(tool), PLUGIN_TOOLS_GROUP];
  return {
    name: tool.name,
    description: tool.description,
    summary: summarize(tool.description),
    source: origin.source,
    ...(origin.pluginId ? { pluginId: origin.pluginId } : {}),
    groups,
    ...(definition ? { section: definition.section } : {}),
    profiles: definition ? [...definition.profiles] : [],
    parameters: parametersJsonSchema(tool),
  };
}
