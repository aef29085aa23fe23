import { type GroupToolContext, resolveGroupToolRule } from "./channel-group-tool-policy.js";
import { profileAllowlist, type ToolProfileId } from "./core-tool-catalog.js";
import type { ResolvedToolPolicy, ToolPolicyLayer } from "./filter-tools.js";
import { hasSenderIdentity, matchToolsBySender } from "./sender-tool-policy.js";
import {
  type ProviderToolPolicy,
  type ToolPolicyConfig,
  ToolPolicyConfigSchema,
  type ToolPolicyRule,
} from "./tool-policy-config.js";

/** The parts of the gateway config the policy reads; anything else in the config is ignored. */
export interface ToolPolicySource {
  tools?: unknown;
  agents?: unknown;
  channels?: unknown;
}

/** Who a run or a call is for: the agent, the model it uses and the conversation it answers. */
export interface ToolPolicyContext extends GroupToolContext {
  agentId: string;
  /** The model provider (e.g. "anthropic") and model id, for `tools.byProvider`. */
  provider?: string;
  model?: string;
}

type ParsedTools = { config: ToolPolicyConfig; path: string } | { invalid: ToolPolicyLayer };

function parseTools(value: unknown, path: string): ParsedTools | undefined {
  if (value === undefined || value === null) return undefined;
  const parsed = ToolPolicyConfigSchema.safeParse(value);
  if (parsed.success) return { config: parsed.data, path };
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? `${path}.${issue.path.map(String).join(".")}` : path;
  // A policy that cannot be read must not widen what the agent may do: it offers nothing until it is fixed.
  return { invalid: invalidLayer(path, `${where}: ${issue?.message ?? "invalid"}`) };
}

function invalidLayer(label: string, problem: string): ToolPolicyLayer {
  return { label, deny: ["*"], hint: `the rule there is invalid (${problem}): fix it to offer tools again` };
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** The agent's `tools`: `agents.entries.<id>` when the keyed roster exists, else `agents.list`; with no roster at all, `agents.defaults.tools` (OpenClaw). */
function agentToolsSource(agents: unknown, agentId: string): { value: unknown; path: string } | undefined {
  const section = asRecord(agents);
  const wanted = agentId.toLowerCase();
  const entries = asRecord(section?.entries);
  if (entries) {
    const key = Object.keys(entries).find((id) => id.toLowerCase() === wanted);
    return key === undefined
      ? undefined
      : { value: asRecord(entries[key])?.tools, path: `agents.entries.${key}.tools` };
  }
  if (Array.isArray(section?.list)) {
    const index = section.list.findIndex(
      (entry) => String(asRecord(entry)?.id ?? "").toLowerCase() === wanted,
    );
    return index < 0
      ? undefined
      : { value: asRecord(section.list[index])?.tools, path: `agents.list[${index}].tools` };
  }
  return { value: asRecord(section?.defaults)?.tools, path: "agents.defaults.tools" };
}

/** `byProvider` keys are a provider ("anthropic") or a provider and model ("openai/gpt-5.4"); the model key wins. */
function providerRule(
  byProvider: Record<string, ProviderToolPolicy> | undefined,
  context: ToolPolicyContext,
): { key: string; rule: ProviderToolPolicy } | undefined {
  const provider = context.provider?.trim().toLowerCase();
  if (!byProvider || !provider) return undefined;
  const model = context.model?.trim().toLowerCase();
  const wanted = model ? [`${provider}/${model}`, provider] : [provider];
  for (const candidate of wanted) {
    const key = Object.keys(byProvider).find((entry) => entry.trim().toLowerCase() === candidate);
    const rule = key === undefined ? undefined : byProvider[key];
    if (key !== undefined && rule) return { key, rule };
  }
  return undefined;
}

/** A rule's allow/alsoAllow/deny as one layer: alsoAllow alone extends "everything", so it narrows nothing. */
function ruleLayer(label: string, rule: ToolPolicyRule | undefined): ToolPolicyLayer | undefined {
  if (!rule) return undefined;
  const also = rule.alsoAllow ?? [];
  const allow =
    rule.allow !== undefined
      ? rule.allow.length === 0 && also.length > 0
        ? ["*", ...also]
        : [...rule.allow, ...also]
      : also.length > 0
        ? ["*", ...also]
        : undefined;
  if (!allow && !rule.deny) return undefined;
  const written = [...(rule.allow ?? []), ...also, ...(rule.deny ?? [])];
  return {
    label,
    ...(allow ? { allow, allowPath: `${label}.${rule.allow !== undefined ? "allow" : "alsoAllow"}` } : {}),
    ...(rule.deny ? { deny: rule.deny, denyPath: `${label}.deny` } : {}),
    written,
  };
}

function profileLayer(
  label: string,
  profile: ToolProfileId | undefined,
  alsoAllow: readonly string[] | undefined,
  alsoAllowPath: string,
): ToolPolicyLayer | undefined {
  if (!profile) return undefined;
  return {
    label,
    // alsoAllow is checked for unknown names where it is written (the tools or agent layer), not twice.
    allow: [...profileAllowlist(profile), ...(alsoAllow ?? [])],
    hint: `add it to ${alsoAllowPath} to offer it`,
  };
}

/**
 * The layers OpenClaw applies, in its order (tool-policy-pipeline): the profile (an agent's over the global one,
 * widened by alsoAllow), a provider's profile, `tools` allow/deny, `tools.byProvider`, the agent's `tools`, the
 * agent's `byProvider`, the channel group's rule and the sender's rule. Each layer can only remove tools; a deny
 * anywhere wins.
 *
 * No profile (`tools.profile` unset) means no profile layer: every tool is offered, which is OpenClaw's default
 * (docs: gateway/config-tools/tool-policy.md, "An unset profile also leaves core tools unfiltered"). The gateway
 * stays safe by other means: `exec` is offered only when `tools.exec.mode` allows commands, and file tools are
 * confined to the workspace.
 */
export function resolveToolPolicy(config: ToolPolicySource, context: ToolPolicyContext): ResolvedToolPolicy {
  const layers: (ToolPolicyLayer | undefined)[] = [];
  const globalParsed = parseTools(config.tools, "tools");
  const agentSource = agentToolsSource(config.agents, context.agentId);
  const agentParsed = agentSource && parseTools(agentSource.value, agentSource.path);
  const global = globalParsed && "config" in globalParsed ? globalParsed.config : undefined;
  const agent = agentParsed && "config" in agentParsed ? agentParsed : undefined;
  if (globalParsed && "invalid" in globalParsed) layers.push(globalParsed.invalid);
  if (agentParsed && "invalid" in agentParsed) layers.push(agentParsed.invalid);

  const profileOwner = agent?.config.profile
    ? agent
    : global?.profile
      ? { config: global, path: "tools" }
      : undefined;
  const alsoAllowOwner = agent?.config.alsoAllow ? agent : { config: global, path: "tools" };
  const profile = profileOwner?.config.profile;
  layers.push(
    profileLayer(
      `${profileOwner?.path}.profile (${profile})`,
      profile,
      alsoAllowOwner.config?.alsoAllow,
      `${alsoAllowOwner.path}.alsoAllow`,
    ),
  );

  const globalProvider = providerRule(global?.byProvider, context);
  const agentProvider = providerRule(agent?.config.byProvider, context);
  const providerOwner = agentProvider?.rule.profile
    ? { ...agentProvider, path: `${agent?.path}.byProvider` }
    : globalProvider?.rule.profile
      ? { ...globalProvider, path: "tools.byProvider" }
      : undefined;
  const providerAlso = agentProvider?.rule.alsoAllow
    ? { ...agentProvider, path: `${agent?.path}.byProvider` }
    : globalProvider
      ? { ...globalProvider, path: "tools.byProvider" }
      : undefined;
  layers.push(
    profileLayer(
      `${providerOwner?.path}.${providerOwner?.key}.profile (${providerOwner?.rule.profile})`,
      providerOwner?.rule.profile,
      providerAlso?.rule.alsoAllow,
      `${providerAlso?.path}.${providerAlso?.key}.alsoAllow`,
    ),
  );

  layers.push(ruleLayer("tools", global));
  layers.push(ruleLayer(`tools.byProvider.${globalProvider?.key}`, globalProvider?.rule));
  layers.push(ruleLayer(`${agent?.path}`, agent?.config));
  layers.push(ruleLayer(`${agent?.path}.byProvider.${agentProvider?.key}`, agentProvider?.rule));

  const group = resolveGroupToolRule(config.channels, context);
  if (group)
    layers.push(
      group.invalid ? invalidLayer(group.label, group.invalid) : ruleLayer(group.label, group.rule),
    );

  // A sender rule needs a sender the channel reported; without one (an operator's chat) it does not apply.
  if (hasSenderIdentity(context)) {
    const agentMatch = matchToolsBySender(agent?.config.toolsBySender, context);
    const globalMatch = agentMatch ? undefined : matchToolsBySender(global?.toolsBySender, context);
    if (agentMatch)
      layers.push(ruleLayer(`${agent?.path}.toolsBySender["${agentMatch.key}"]`, agentMatch.value));
    if (globalMatch) layers.push(ruleLayer(`tools.toolsBySender["${globalMatch.key}"]`, globalMatch.value));
  }

  const providerProfile = providerOwner?.rule.profile;
  return {
    agentId: context.agentId,
    profile: providerProfile ?? profile,
    layers: layers.filter((layer): layer is ToolPolicyLayer => layer !== undefined),
  };
}
