import type { ToolProfileId } from "./core-tool-catalog.js";
import {
  compileToolPattern,
  type PolicySubject,
  type ToolDescriptor,
  type ToolPattern,
  toPolicySubject,
} from "./tool-pattern.js";

/**
 * One step of the policy, applied in order to what the previous steps left: a tool passes when no `deny` entry
 * matches it (deny wins) and `allow` is absent, empty or matches it. A later step can only narrow, never re-add.
 */
export interface ToolPolicyLayer {
  /** Where the rule comes from, as a config path (e.g. `tools.profile (coding)`, `agents.list[1].tools`). */
  label: string;
  allow?: readonly string[];
  deny?: readonly string[];
  /** The entries a person wrote here (a profile's own list is not), checked by {@link describeUnknownToolNames}. */
  written?: readonly string[];
  /** Appended to the reason a tool was removed: what to change to offer it. */
  hint?: string;
  /** The config paths of the lists, when they are written as such (`tools.deny`), for the reasons. */
  allowPath?: string;
  denyPath?: string;
}

export interface ResolvedToolPolicy {
  agentId: string;
  /** The profile in force (a provider's profile over the agent's over the global one); undefined = no profile. */
  profile: ToolProfileId | undefined;
  layers: readonly ToolPolicyLayer[];
}

export type ToolVerdict = { allowed: true } | { allowed: false; layer: string; reason: string };

interface CompiledLayer {
  layer: ToolPolicyLayer;
  allow: ToolPattern[];
  deny: ToolPattern[];
}

const compiledPolicies = new WeakMap<ResolvedToolPolicy, CompiledLayer[]>();

function compile(policy: ResolvedToolPolicy): CompiledLayer[] {
  let compiled = compiledPolicies.get(policy);
  if (!compiled) {
    compiled = policy.layers.map((layer) => ({
      layer,
      allow: (layer.allow ?? []).map(compileToolPattern),
      deny: (layer.deny ?? []).map(compileToolPattern),
    }));
    compiledPolicies.set(policy, compiled);
  }
  return compiled;
}

const WRITE_SUBJECT: PolicySubject = {
  name: "write",
  source: "core",
  pluginId: undefined,
  groups: new Set(),
};

function layerVerdict({ layer, allow, deny }: CompiledLayer, subject: PolicySubject): ToolVerdict {
  const hint = layer.hint ? `; ${layer.hint}` : "";
  const denied = deny.find((pattern) => pattern.matches(subject));
  if (denied)
    return {
      allowed: false,
      layer: layer.label,
      reason: `denied by ${layer.denyPath ?? layer.label} ("${denied.raw}")${hint}`,
    };
  if (allow.length === 0 || allow.some((pattern) => pattern.matches(subject))) return { allowed: true };
  // OpenClaw: allowing `write` also allows `apply_patch` (denying `write` does not deny it).
  if (subject.name === "apply_patch" && allow.some((pattern) => pattern.matches(WRITE_SUBJECT)))
    return { allowed: true };
  return {
    allowed: false,
    layer: layer.label,
    reason: `not allowed by ${layer.allowPath ?? layer.label}${hint}`,
  };
}

/** Whether the policy lets a run offer the tool, and if not, which layer removed it and why. */
export function evaluateTool(tool: ToolDescriptor, policy: ResolvedToolPolicy): ToolVerdict {
  const subject = toPolicySubject(tool);
  for (const layer of compile(policy)) {
    const verdict = layerVerdict(layer, subject);
    if (!verdict.allowed) return verdict;
  }
  return { allowed: true };
}

export interface RemovedTool<T> {
  tool: T;
  layer: string;
  reason: string;
}

/** Splits tools into those the policy keeps and those it removes, each with the reason. Order is kept. */
export function partitionTools<T extends { name: string }>(
  tools: readonly T[],
  policy: ResolvedToolPolicy,
  describe: (tool: T) => ToolDescriptor = (tool) => ({ name: tool.name }),
): { kept: T[]; removed: RemovedTool<T>[] } {
  const kept: T[] = [];
  const removed: RemovedTool<T>[] = [];
  for (const tool of tools) {
    const verdict = evaluateTool(describe(tool), policy);
    if (verdict.allowed) kept.push(tool);
    else removed.push({ tool, layer: verdict.layer, reason: verdict.reason });
  }
  return { kept, removed };
}

/** The tools the policy keeps, in order. */
export function filterTools<T extends { name: string }>(
  tools: readonly T[],
  policy: ResolvedToolPolicy,
  describe?: (tool: T) => ToolDescriptor,
): T[] {
  return partitionTools(tools, policy, describe).kept;
}
