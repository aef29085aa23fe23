/**
 * OpenClaw's core tool catalog as its policy sees it (OpenClaw 2026.9.6, `src/agents/tool-catalog.ts`): which section
 * (and so which `group:<section>`) each tool id belongs to, which built-in profiles select it, and whether
 * `group:openclaw` covers it. Group membership and profiles must match OpenClaw's exactly, so a config written for
 * OpenClaw selects the same tools here. The table lists OpenClaw's ids even where this gateway has no such tool: a
 * name in the table is "known", never reported as a typo.
 */

export const TOOL_PROFILE_IDS = ["minimal", "coding", "messaging", "full"] as const;
export type ToolProfileId = (typeof TOOL_PROFILE_IDS)[number];

export const TOOL_SECTIONS = [
  { id: "fs", label: "Files" },
  { id: "runtime", label: "Runtime" },
  { id: "web", label: "Web" },
  { id: "memory", label: "Memory" },
  { id: "sessions", label: "Sessions" },
  { id: "ui", label: "UI" },
  { id: "messaging", label: "Messaging" },
  { id: "automation", label: "Automation" },
  { id: "nodes", label: "Nodes" },
  { id: "agents", label: "Agents" },
  { id: "media", label: "Media" },
] as const;
export type ToolSectionId = (typeof TOOL_SECTIONS)[number]["id"];

export interface CoreToolDefinition {
  id: string;
  section: ToolSectionId;
  profiles: readonly Exclude<ToolProfileId, "full">[];
  /** In `group:openclaw`: every core tool except the local file and shell tools (and canvas). */
  inOpenClawGroup: boolean;
}

const C = ["coding"] as const;
const CM = ["coding", "messaging"] as const;
const M = ["messaging"] as const;
const ALL = ["minimal", "coding", "messaging"] as const;
const NONE = [] as const;

function tools(
  section: ToolSectionId,
  rows: [id: string, profiles: CoreToolDefinition["profiles"], inOpenClawGroup?: boolean][],
): CoreToolDefinition[] {
  return rows.map(([id, profiles, inOpenClawGroup = true]) => ({ id, section, profiles, inOpenClawGroup }));
}

export const CORE_TOOL_DEFINITIONS: readonly CoreToolDefinition[] = [
  ...tools("fs", [
    ["ls", C, false],
    ["read", C, false],
    ["write", C, false],
    ["edit", C, false],
    ["apply_patch", C, false],
  ]),
  ...tools("runtime", [
    ["exec", C, false],
    ["process", C, false],
    ["code_execution", C],
    ["secrets", CM],
  ]),
  ...tools("web", [
    ["web_search", C],
    ["web_fetch", C],
    ["x_search", C],
  ]),
  ...tools("memory", [
    ["memory_search", C],
    ["memory_get", C],
  ]),
  ...tools("sessions", [
    ["sessions", CM],
    ["sessions_list", CM],
    ["sessions_history", CM],
    ["sessions_search", CM],
    ["conversations_list", CM],
    ["conversations_send", CM],
    ["conversations_turn", CM],
    ["sessions_send", CM],
    ["sessions_spawn", CM],
    ["github_identity_status", C],
    ["github_publish", C],
    ["agents_wait", C],
    ["sessions_yield", CM],
    ["subagents", CM],
    ["session_status", ALL],
    ["suggest_task", C],
    ["dismiss_task", C],
  ]),
  ...tools("ui", [
    ["browser", NONE],
    ["screen", C],
    ["theme", CM],
    ["dashboard", C],
    ["terminal", C],
    ["portal", C],
    ["canvas", NONE, false],
    ["show_widget", NONE],
  ]),
  ...tools("messaging", [["message", M]]),
  ...tools("automation", [
    ["heartbeat_respond", NONE],
    // OpenClaw's scheduler tool; our `cron` tool is its accepted alias (see TOOL_NAME_ALIASES).
    ["automations", C],
    ["gateway", ALL],
    ["plugins", C],
    ["openclaw", NONE],
  ]),
  ...tools("nodes", [
    ["nodes", NONE],
    ["computer", NONE],
    ["mobile_ui", NONE],
  ]),
  ...tools("agents", [
    ["agents_list", NONE],
    ["get_goal", C],
    ["create_goal", C],
    ["update_goal", C],
    ["progress_card", C],
    ["ask_user", CM],
    ["skill_workshop", C],
  ]),
  ...tools("media", [
    ["view_image", C],
    ["image_generate", C],
    ["music_generate", C],
    ["video_generate", C],
    ["tts", NONE],
    ["pdf", NONE],
  ]),
];

/** Names OpenClaw accepts for another tool, in config lists and in calls. */
export const TOOL_NAME_ALIASES: ReadonlyMap<string, string> = new Map([
  ["bash", "exec"],
  ["apply-patch", "apply_patch"],
  ["cron", "automations"],
]);

const CORE_TOOL_BY_ID = new Map(CORE_TOOL_DEFINITIONS.map((tool) => [tool.id, tool]));

/** `group:<section>` for every section, plus `group:openclaw`. */
export const CORE_TOOL_GROUPS: ReadonlyMap<string, readonly string[]> = new Map([
  ["group:openclaw", CORE_TOOL_DEFINITIONS.filter((tool) => tool.inOpenClawGroup).map((tool) => tool.id)],
  ...TOOL_SECTIONS.map(({ id }): [string, string[]] => [
    `group:${id}`,
    CORE_TOOL_DEFINITIONS.filter((tool) => tool.section === id).map((tool) => tool.id),
  ]),
]);

/** Every tool loaded from a plugin (OpenClaw also counts configured MCP servers' tools here). */
export const PLUGIN_TOOLS_GROUP = "group:plugins";

/** OpenClaw's profiles also admit its MCP bridge; the entry matches nothing here but is part of the profile. */
const PROFILE_EXTRAS: Partial<Record<ToolProfileId, readonly string[]>> = {
  coding: ["bundle-mcp"],
  messaging: ["bundle-mcp"],
};

/** The base allowlist a profile stands for; `full` admits everything. */
export function profileAllowlist(profile: ToolProfileId): string[] {
  if (profile === "full") return ["*"];
  return [
    ...CORE_TOOL_DEFINITIONS.filter((tool) => (tool.profiles as readonly string[]).includes(profile)).map(
      (tool) => tool.id,
    ),
    ...(PROFILE_EXTRAS[profile] ?? []),
  ];
}

/** Lower-cased, trimmed and with aliases resolved: the form every policy comparison uses. */
export function normalizeToolName(name: string): string {
  const folded = name.trim().toLowerCase();
  return TOOL_NAME_ALIASES.get(folded) ?? folded;
}

export function coreToolDefinition(name: string): CoreToolDefinition | undefined {
  return CORE_TOOL_BY_ID.get(normalizeToolName(name));
}

/** The groups a core tool belongs to (`group:<section>`, and `group:openclaw` where it applies). */
export function coreToolGroups(name: string): string[] {
  const definition = coreToolDefinition(name);
  if (!definition) return [];
  const groups = [`group:${definition.section}`];
  if (definition.inOpenClawGroup) groups.push("group:openclaw");
  return groups;
}
