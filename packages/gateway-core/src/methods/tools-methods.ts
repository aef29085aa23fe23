import {
  ErrorDetailCodes,
  GatewayError,
  type ToolCatalogEntry,
  type ToolsCatalogResult,
  type ToolsEffectiveEntry,
  type ToolsEffectiveResult,
} from "@openclaw/protocol";
import { TOOL_PROFILE_IDS, TOOL_SECTIONS } from "@openclaw/tools/config";
import type { ToolCatalogItem } from "../agent-tools/tool-host/tool-catalog-item.js";
import type { ToolHost } from "../agent-tools/tool-host/tool-host.js";
import { ToolInvokeError } from "../agent-tools/tool-host/tool-invoke-error.js";
import type { GatewayRuntime } from "../runtime/gateway-runtime.js";
import type { MethodHandlers } from "../runtime/method-registry.js";
import { listAgents } from "./agents-methods.js";

const PROFILE_LABELS = {
  minimal: "Minimal",
  coding: "Coding",
  messaging: "Messaging",
  full: "Full",
} as const;

async function requireToolHost(runtime: GatewayRuntime): Promise<ToolHost> {
  await runtime.toolsReady?.();
  if (runtime.toolHost) return runtime.toolHost;
  throw new GatewayError("UNAVAILABLE", "this gateway runs no tool host, so it has no agent tools to list", {
    retryable: false,
  });
}

function checkAgent(runtime: GatewayRuntime, agentId: string): string {
  if (listAgents(runtime).some((agent) => agent.id === agentId)) return agentId;
  throw new GatewayError("INVALID_REQUEST", `unknown agent id "${agentId}": see agents.list`, {
    details: { code: ErrorDetailCodes.AGENT_NOT_FOUND, agentId },
  });
}

type CatalogGroup = ToolsCatalogResult["groups"][number];

/** The fields a catalog and an inventory entry share. */
function entryBase(item: ToolCatalogItem) {
  return {
    id: item.name,
    label: item.name,
    description: item.summary,
    source: item.source,
    ...(item.pluginId ? { pluginId: item.pluginId } : {}),
  };
}

function catalogEntry(item: ToolCatalogItem): ToolCatalogEntry {
  return { ...entryBase(item), defaultProfiles: item.profiles };
}

/** Built-in tools by OpenClaw's sections (in its order, our own extras last), then one group per plugin. */
function catalogGroups(items: readonly ToolCatalogItem[], includePlugins: boolean): CatalogGroup[] {
  const groups: CatalogGroup[] = [];
  for (const section of TOOL_SECTIONS) {
    const tools = items.filter((item) => item.source === "core" && item.section === section.id);
    if (tools.length > 0) groups.push({ ...section, source: "core", tools: tools.map(catalogEntry) });
  }
  const other = items.filter((item) => item.source === "core" && !item.section);
  if (other.length > 0)
    groups.push({ id: "other", label: "Other", source: "core", tools: other.map(catalogEntry) });
  if (!includePlugins) return groups;
  const byPlugin = new Map<string, ToolCatalogItem[]>();
  for (const item of items.filter((candidate) => candidate.source === "plugin")) {
    const pluginId = item.pluginId ?? "plugin";
    byPlugin.set(pluginId, [...(byPlugin.get(pluginId) ?? []), item]);
  }
  for (const [pluginId, tools] of [...byPlugin].sort(([a], [b]) => a.localeCompare(b))) {
    const sorted = tools.sort((a, b) => a.name.localeCompare(b.name)).map(catalogEntry);
    groups.push({ id: `plugin:${pluginId}`, label: pluginId, source: "plugin", pluginId, tools: sorted });
  }
  return groups;
}

function effectiveEntry(item: ToolCatalogItem): ToolsEffectiveEntry {
  return { ...entryBase(item), rawDescription: item.description };
}

export const toolsMethods: Pick<MethodHandlers, "tools.catalog" | "tools.effective"> = {
  "tools.catalog": async (params, { runtime }) => {
    const host = await requireToolHost(runtime);
    const agentId = params?.agentId
      ? checkAgent(runtime, params.agentId)
      : host.contextFor({}).context.agentId;
    return {
      agentId,
      profiles: TOOL_PROFILE_IDS.map((id) => ({ id, label: PROFILE_LABELS[id] })),
      groups: catalogGroups(host.catalog(), params?.includePlugins !== false),
    };
  },
  "tools.effective": async (params, { runtime }): Promise<ToolsEffectiveResult> => {
    const host = await requireToolHost(runtime);
    let target: ReturnType<ToolHost["contextFor"]>;
    try {
      target = host.contextFor({ agentId: params?.agentId, sessionKey: params?.sessionKey });
    } catch (error) {
      if (!(error instanceof ToolInvokeError)) throw error;
      throw new GatewayError("INVALID_REQUEST", error.message);
    }
    const effective = host.effective(target.context, target.sessionKey);
    checkAgent(runtime, effective.agentId);
    const groups: ToolsEffectiveResult["groups"] = [];
    const core = effective.tools.filter((item) => item.source === "core").map(effectiveEntry);
    const plugin = effective.tools.filter((item) => item.source === "plugin").map(effectiveEntry);
    if (core.length > 0) groups.push({ id: "core", label: "Built-in tools", source: "core", tools: core });
    if (plugin.length > 0)
      groups.push({ id: "plugin", label: "Connected tools", source: "plugin", tools: plugin });
    const notices = effective.removed.map(({ name, reason }) => ({
      id: `tool-removed:${name}`,
      severity: "info" as const,
      message: `${name} is not offered here: ${reason}`,
    }));
    return {
      agentId: effective.agentId,
      profile: effective.profile ?? "full",
      groups,
      ...(notices.length > 0 ? { notices } : {}),
    };
  },
};
