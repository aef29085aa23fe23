import type { AgentTool } from "@openclaw/agent";
import {
  describeUnknownToolNames,
  evaluateTool,
  httpToolDenyLayers,
  normalizeToolName,
  partitionTools,
  type ResolvedToolPolicy,
  resolveToolPolicy,
  type ToolPolicyContext,
  type ToolProfileId,
} from "@openclaw/tools/config";
import { listConfiguredAgents, type OpenClawConfig } from "../../config/index.js";
import type { Logger } from "../../logging/logger.js";
import { conversationFromSessionKey, resolveSessionTarget } from "./session-policy-context.js";
import { runToolCall, type ToolInvokeRequest, type ToolInvokeResult } from "./tool-call.js";
import {
  describeForPolicy,
  type ToolCatalogItem,
  type ToolOrigin,
  toCatalogItem,
} from "./tool-catalog-item.js";
import { ToolInvokeError } from "./tool-invoke-error.js";
import type { ToolTarget } from "./tool-target.js";

export interface ToolHostOptions {
  /** Every tool the agent runtime has registered (built-in and plugin), before any policy. */
  listTools: () => readonly AgentTool[];
  /** The tools plugins contributed; the rest count as built in. */
  listPluginTools?: () => readonly AgentTool[];
  getConfig: () => OpenClawConfig;
  logger: Pick<Logger, "warn">;
  /** The agent a call without agent or session is for; default: the roster's `default: true` entry, else "main". */
  defaultAgentId?: () => string;
  /** The agent's model (for `tools.byProvider`) when a request does not name one; undefined when none is set up. */
  resolveModel?: (agentId: string) => { provider: string; model: string } | undefined;
}

/** What a run or an inventory request is about. Channel fields fill in what the session key does not say. */
export interface EffectiveTools {
  agentId: string;
  sessionKey: string | undefined;
  /** The profile in force, undefined when none is configured (every tool passes the profile step). */
  profile: ToolProfileId | undefined;
  tools: ToolCatalogItem[];
  /** Registered tools the policy removed here, each with the config key that removed it. */
  removed: { name: string; layer: string; reason: string }[];
}

export interface ToolHost {
  /** Every registered tool, built-in and plugin, before any policy. */
  catalog(): ToolCatalogItem[];
  /** The policy context of a session (its agent, conversation and model); throws INVALID_REQUEST for a bad target. */
  contextFor(target: ToolTarget): { sessionKey: string; context: ToolPolicyContext };
  /** The tools the policy offers in this context, and why each other one is left out. */
  effective(context: ToolPolicyContext, sessionKey?: string): EffectiveTools;
  /**
   * The tools one agent run may offer the model. The integrator calls it from the agent's `prepareRun`, so a tool the
   * policy removes is never described to the model.
   */
  effectiveForRun(run: ToolTarget & { agentId: string; sessionKey: string }): AgentTool[];
  /** Runs one tool directly (`POST /tools/invoke`) under the same policy; throws {@link ToolInvokeError}. */
  invoke(request: ToolInvokeRequest): Promise<ToolInvokeResult>;
}

/** Warnings already logged; bounded so a config that keeps changing cannot grow it without end. */
const MAX_REMEMBERED_WARNINGS = 256;

export function createToolHost(options: ToolHostOptions): ToolHost {
  const warned = new Set<string>();

  const origins = (): ((tool: AgentTool) => ToolOrigin) => {
    const plugins = new Set(options.listPluginTools?.() ?? []);
    return (tool) => (plugins.has(tool) ? { source: "plugin" } : { source: "core" });
  };

  const defaultAgentId = () =>
    options.defaultAgentId?.() ??
    listConfiguredAgents(options.getConfig()).find((agent) => agent.default === true)?.id ??
    "main";

  const policyFor = (
    context: ToolPolicyContext,
    tools: readonly AgentTool[],
    originOf: (tool: AgentTool) => ToolOrigin,
  ) => {
    const policy = resolveToolPolicy(options.getConfig(), context);
    if (policy.layers.some((layer) => layer.written?.length)) {
      const descriptors = tools.map((tool) => describeForPolicy(tool, originOf(tool)));
      for (const warning of describeUnknownToolNames(policy, descriptors)) {
        if (warned.has(warning)) continue;
        if (warned.size >= MAX_REMEMBERED_WARNINGS) warned.clear();
        warned.add(warning);
        options.logger.warn(`tool policy: ${warning}`);
      }
    }
    return policy;
  };

  /** A `<provider>/<model>` ref in `model` is split; with neither given, the agent's configured model. */
  const modelOf = (
    target: ToolTarget,
    agentId: string,
  ): { provider?: string; model?: string } | undefined => {
    if (target.provider) return undefined;
    const slash = target.model?.indexOf("/") ?? -1;
    if (target.model && slash > 0)
      return { provider: target.model.slice(0, slash), model: target.model.slice(slash + 1) };
    return options.resolveModel?.(agentId);
  };

  const contextFor = (target: ToolTarget): { sessionKey: string; context: ToolPolicyContext } => {
    const { sessionKey, agentId } = resolveSessionTarget(target, defaultAgentId());
    const conversation = conversationFromSessionKey(sessionKey, options.getConfig().session.mainKey);
    const fields = { ...contextOverrides(target), ...modelOf(target, agentId), ...conversation };
    return { sessionKey, context: { ...fields, agentId } };
  };

  const effective = (context: ToolPolicyContext, sessionKey?: string): EffectiveTools => {
    const tools = options.listTools();
    const originOf = origins();
    const policy = policyFor(context, tools, originOf);
    const { kept, removed } = partitionTools(tools, policy, (tool) =>
      describeForPolicy(tool, originOf(tool)),
    );
    return {
      agentId: context.agentId,
      sessionKey,
      profile: policy.profile,
      tools: kept.map((tool) => toCatalogItem(tool, originOf(tool))),
      removed: removed.map(({ tool, layer, reason }) => ({ name: tool.name, layer, reason })),
    };
  };

  return {
    catalog() {
      const originOf = origins();
      return options.listTools().map((tool) => toCatalogItem(tool, originOf(tool)));
    },
    contextFor,
    effective,
    effectiveForRun(run) {
      const conversation = conversationFromSessionKey(run.sessionKey, options.getConfig().session.mainKey);
      const fields = { ...contextOverrides(run), ...modelOf(run, run.agentId), ...conversation };
      const context: ToolPolicyContext = { ...fields, agentId: run.agentId };
      const tools = options.listTools();
      const originOf = origins();
      const policy = policyFor(context, tools, originOf);
      return partitionTools(tools, policy, (tool) => describeForPolicy(tool, originOf(tool))).kept;
    },
    async invoke(request) {
      const wanted = normalizeToolName(request.name);
      if (!wanted) throw new ToolInvokeError("INVALID_REQUEST", "tools.invoke requires name");
      const { sessionKey, context } = contextFor(request);
      const tools = options.listTools();
      const originOf = origins();
      const tool = tools.find((candidate) => normalizeToolName(candidate.name) === wanted);
      const notAvailable = (why: string) =>
        new ToolInvokeError("NOT_FOUND", `Tool not available: ${request.name} (${why})`, {
          tool: request.name,
        });
      if (!tool) throw notAvailable("no tool of that name is registered: see tools.catalog");
      const base = policyFor(context, tools, originOf);
      const policy: ResolvedToolPolicy =
        request.surface === "http"
          ? { ...base, layers: [...base.layers, ...httpToolDenyLayers(options.getConfig().gateway.tools)] }
          : base;
      const verdict = evaluateTool(describeForPolicy(tool, originOf(tool)), policy);
      if (!verdict.allowed) throw notAvailable(verdict.reason);
      const result = await runToolCall(
        tool,
        request,
        { sessionKey, agentId: context.agentId },
        options.logger,
      );
      return { toolName: tool.name, source: originOf(tool).source, result };
    },
  };
}

const CONTEXT_FIELDS = [
  "provider",
  "model",
  "channel",
  "accountId",
  "chatType",
  "groupId",
  "threadId",
  "senderId",
  "senderE164",
  "senderUsername",
  "senderName",
] as const;

/** The policy fields a caller set explicitly (a request object may carry other fields, which are not context). */
function contextOverrides(target: ToolTarget): Partial<ToolPolicyContext> {
  const overrides: Record<string, unknown> = {};
  for (const field of CONTEXT_FIELDS) if (target[field] !== undefined) overrides[field] = target[field];
  return overrides as Partial<ToolPolicyContext>;
}
