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
