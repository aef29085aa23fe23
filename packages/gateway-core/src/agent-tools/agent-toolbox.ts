import { join } from "node:path";
import type { AgentTool, RunPreparation, RunPreparationInput, ToolRegistry } from "@openclaw/agent";
import type { FsPolicy } from "@openclaw/tools";
import type { MemorySearchConfig } from "@openclaw/tools/config";
import {
  mergeMemorySearchConfig,
  resolveSessionToolSettings,
  webSearchToolConfigFrom,
} from "@openclaw/tools/config";
import type { ExecAllowlist } from "../approvals/exec-allowlist.js";
import type { ExecApprovalManager } from "../approvals/exec-approval-manager.js";
import { createExecTools } from "../approvals/exec-tool.js";
import { createProcessRegistry, type ProcessRegistry } from "../approvals/process-registry.js";
import type { OpenClawConfig } from "../config/config-schema.js";
import { listConfiguredAgents } from "../config/configured-agents.js";
import type { Logger } from "../logging/logger.js";
import { createWorkspacePromptBuilder, resolveAgentWorkspaceDir } from "../workspace/index.js";
import type { GatewayToolPorts } from "./ports/create-gateway-tool-ports.js";
import { createToolHost, type ToolHost } from "./tool-host/tool-host.js";

/** The 5 MB image cap of `view_image`, applied to a URL's body before it is sniffed. */
const IMAGE_URL_MAX_BYTES = 5 * 1024 * 1024;
const IMAGE_URL_TIMEOUT_MS = 20_000;

export interface AgentToolboxOptions {
  getConfig: () => OpenClawConfig;
  stateDir: string;
  env: NodeJS.ProcessEnv;
  /** The agent runtime's registry: built-in tools are added to it beside the plugins' tools. */
  registry: ToolRegistry;
  pluginTools: () => readonly AgentTool[];
  /** Plugins' tools that load on first use (PluginRegistry.registerToolLoader): loaded with the built-in tools. */
  loadPluginTools?: () => Promise<readonly AgentTool[]>;
  /** Folders laid out like a workspace whose `skills/` plugins bundle (read-only to the file tools). */
  pluginSkillRoots?: () => readonly string[];
  execApprovals: ExecApprovalManager;
  execAllowlist: ExecAllowlist;
  resolveModel: (agentId: string) => { provider: string; model: string } | undefined;
  defaultAgentId?: () => string;
  logger: Logger;
}

export interface AgentToolbox {
  readonly toolHost: ToolHost;
  /** The agent runtime's `prepareRun`: the system prompt from the workspace and the tools policy offers. */
  prepareRun(input: RunPreparationInput): Promise<RunPreparation>;
  /** Adds the session, messaging and cron tools once the services behind their ports exist. */
  attachPorts(ports: GatewayToolPorts): void;
  /** Adds or removes `exec` and `process` after a config change of `tools.exec.mode`. */
  syncExec(): void;
  /** Registers the built-in tools on first use: their code and schemas load then, not with the gateway. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Everything the agent can use beyond talking: the built-in tools (files, runtime, web, memory, media, sessions,
 * messaging, automation), the policy that decides which of them a run offers, and the workspace prompt. Every tool
 * reads the config on each call, so an edit applies to the next call without a restart.
 */
export function createAgentToolbox(options: AgentToolboxOptions): AgentToolbox {
  const { getConfig, registry } = options;
  const workspaceFor = (agentId: string) =>
    resolveAgentWorkspaceDir(getConfig(), agentId, { stateDir: options.stateDir, env: options.env });
  const fsPolicy = (): FsPolicy => ({ workspaceOnly: getConfig().tools.fs.workspaceOnly });
  const readOnlyRoots = () => [join(options.stateDir, "skills"), ...(options.pluginSkillRoots?.() ?? [])];
  const fsOptions = { workspaceFor, policy: fsPolicy, readOnlyRoots };

  type ToolsModule = typeof import("@openclaw/tools");
  const builtInTools = (tools: ToolsModule): AgentTool[] => [
    ...tools.createFsTools(fsOptions),
    tools.createViewImageTool({
      ...fsOptions,
      fetchImage: async (url, signal) => {
        const fetched = await tools.guardedFetch(url, {
          signal,
          maxBytes: IMAGE_URL_MAX_BYTES,
          timeoutMs: IMAGE_URL_TIMEOUT_MS,
          maxRedirects: 3,
          allowPrivateNetwork:
            getConfig().tools.web.fetch.ssrfPolicy?.dangerouslyAllowPrivateNetwork === true,
          configPrefix: "tools.web.fetch",
        });
        return { data: fetched.body, ...(fetched.contentType ? { mediaType: fetched.contentType } : {}) };
      },
    }),
    ...tools.createMemoryTools({
      workspaceFor,
      config: (agentId) => memorySearchConfigFor(getConfig(), agentId),
      env: options.env,
    }),
    tools.createWebFetchTool({ config: () => getConfig().tools.web.fetch }),
    tools.createWebSearchTool({ config: () => webSearchToolConfigFrom(getConfig()), env: options.env }),
  ];
  const portTools = (tools: ToolsModule, ports: GatewayToolPorts): AgentTool[] => [
    ...tools.createSessionTools(ports.sessions, {
      settings: (agentId) => resolveSessionToolSettings(getConfig(), agentId),
    }),
    tools.createMessageTool(ports.messaging),
    tools.createCronTool(ports.cron),
    ...(ports.nodes ? [tools.createNodesTool(ports.nodes)] : []),
  ];
  const unregister: (() => void)[] = [];
  let ports: GatewayToolPorts | undefined;
  let loaded: ToolsModule | undefined;
  let loading: Promise<void> | undefined;
  const loadPluginTools = async (): Promise<readonly AgentTool[]> => {
    try {
      return (await options.loadPluginTools?.()) ?? [];
    } catch (error) {
      // One plugin's broken tool must not take the built-in tools down with it.
      options.logger.error("plugin tools not loaded", { error: (error as Error).message });
      return [];
    }
  };
  const ready = () => {
    loading ??= Promise.all([import("@openclaw/tools"), loadPluginTools()]).then(([tools, pluginTools]) => {
      loaded = tools;
      const all = [...builtInTools(tools), ...(ports ? portTools(tools, ports) : [])];
      for (const tool of all) unregister.push(registry.register(tool));
      for (const tool of pluginTools) if (!registry.get(tool.name)) unregister.push(registry.register(tool));
    });
    return loading;
  };

  const processes: ProcessRegistry = createProcessRegistry();
  const execTools = createExecTools({
    approvals: options.execApprovals,
    allowlist: options.execAllowlist,
    processes,
    policy: () => getConfig().tools.exec,
    workspaceFor,
  });
  let unregisterExec: (() => void)[] | undefined;
  const syncExec = () => {
    const wanted = getConfig().tools.exec.mode !== "deny";
    if (wanted && !unregisterExec && !registry.get("exec")) {
      unregisterExec = [registry.register(execTools.exec), registry.register(execTools.process)];
    }
    if (!wanted && unregisterExec) {
      for (const off of unregisterExec) off();
      unregisterExec = undefined;
    }
  };
  syncExec();

  const toolHost = createToolHost({
    listTools: () => registry.list(),
    listPluginTools: options.pluginTools,
    getConfig,
    logger: options.logger,
    resolveModel: options.resolveModel,
    ...(options.defaultAgentId ? { defaultAgentId: options.defaultAgentId } : {}),
  });
  const prompts = createWorkspacePromptBuilder({
    getConfig,
    stateDir: options.stateDir,
    env: options.env,
    ...(options.pluginSkillRoots ? { listSkillRoots: () => [...(options.pluginSkillRoots?.() ?? [])] } : {}),
  });

  return {
    toolHost,
    async prepareRun({ agentId, sessionKey }) {
      await ready();
      const tools = toolHost.effectiveForRun({ agentId, sessionKey });
      const model = options.resolveModel(agentId);
      const { systemPrompt } = await prompts.prepare({
        agentId,
        sessionKey,
        tools,
        ...(model ? { model: `${model.provider}/${model.model}` } : {}),
      });
      return { systemPrompt, tools };
    },
    attachPorts(attached) {
      ports = attached;
      if (loaded) for (const tool of portTools(loaded, attached)) unregister.push(registry.register(tool));
    },
    syncExec,
    ready,
    async close() {
      await loading?.catch(() => undefined);
      for (const off of unregister.splice(0)) off();
      await processes.close();
    },
  };
}

function memorySearchConfigFor(config: OpenClawConfig, agentId: string): MemorySearchConfig {
  const own = listConfiguredAgents(config).find((entry) => entry.id === agentId) as
    | { memorySearch?: MemorySearchConfig }
    | undefined;
  const defaults = (config.agents.defaults as { memorySearch?: MemorySearchConfig }).memorySearch;
  return mergeMemorySearchConfig(defaults, own?.memorySearch);
}
