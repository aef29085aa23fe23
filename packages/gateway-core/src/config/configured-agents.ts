import type { AgentConfigEntry, OpenClawConfig } from "./config-schema.js";

/**
 * The agent roster in file order. OpenClaw's current keyed roster (`agents.entries`, key = id) wins when present,
 * even empty; the list form (`agents.list`) is used otherwise, as OpenClaw does for legacy files.
 */
export function listConfiguredAgents(config: OpenClawConfig): AgentConfigEntry[] {
  const { entries, list } = config.agents;
  if (entries) return Object.entries(entries).map(([id, entry]) => ({ ...entry, id }));
  return list ?? [];
}

/** OpenClaw's implicit agent: always present, the default unless another is marked `default: true`. */
export const MAIN_AGENT_ID = "main";

/** The agent marked `default: true`, else `main`. */
export function defaultAgentId(config: OpenClawConfig): string {
  return listConfiguredAgents(config).find((entry) => entry.default === true)?.id ?? MAIN_AGENT_ID;
}

/** The agent ids a channel binding, webhook or cron job may name (`main` always among them), and the default. */
export function agentRoster(config: OpenClawConfig): { ids: string[]; defaultId: string } {
  return {
    ids: listConfiguredAgents(config)
      .map((agent) => agent.id)
      .concat(MAIN_AGENT_ID),
    defaultId: defaultAgentId(config),
  };
}
