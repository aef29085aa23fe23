import { type AgentRuntime, createAgentRuntime, type SessionLock } from "@openclaw/agent";
import type { ClusterCoordinator, SessionStore } from "@openclaw/sessions";
import { type AgentToolbox, createAgentToolbox } from "../agent-tools/agent-toolbox.js";
import type { ExecAllowlist } from "../approvals/exec-allowlist.js";
import { ExecApprovalManager } from "../approvals/exec-approval-manager.js";
import type { PluginRegistry } from "../channels/index.js";
import { ChatService } from "../chat/chat-service.js";
import { defaultAgentId, listConfiguredAgents } from "../config/configured-agents.js";
import type { DiagnosticBus } from "../diagnostics/diagnostic-events.js";
import type { Logger } from "../logging/logger.js";
import { withRunLogContext } from "../logging/run-log-context.js";
import type { GatewayConfigState } from "./config-state.js";
import { createModelCredentials } from "./model-credentials.js";

/** The agent and what runs around it: chat turns, the toolbox (tools, policy, prompt) and exec approvals. */
export interface AgentServices {
  agent: AgentRuntime;
  chat: ChatService;
  toolbox: AgentToolbox;
  execApprovals: ExecApprovalManager;
  close(): Promise<void>;
}

export function createAgentServices(o: {
  configState: GatewayConfigState;
  sessions: SessionStore;
  /** Receives the agent's observations (model and tool calls, run timings). */
  diagnostics: DiagnosticBus;
  plugins: PluginRegistry;
  execAllowlist: ExecAllowlist;
  stateDir: string;
  env: NodeJS.ProcessEnv;
  logger: Logger;
  broadcast: (event: string, payload: unknown, requiredScope?: string) => void;
  /** Several gateways on one store: a session runs on one instance at a time (a lease per session). */
  sessionLock?: SessionLock;
  /** Several gateways on one store: whether another instance runs the session now (a retry then waits for it). */
  sessionHeldElsewhere?: (sessionKey: string) => Promise<boolean>;
  /** Several gateways on one store: exec approvals are listed on every instance and answered on any. */
  cluster?: ClusterCoordinator;
}): AgentServices {
  const { configState, sessions, logger } = o;
  // Runs are prepared by the toolbox, built below; a run cannot start before the gateway listens.
  let toolbox: AgentToolbox | undefined;
  const agent = createAgentRuntime({
    observe: (observation) => o.diagnostics.emit(observation),
    // Every log line written while a run works names it (and its trace): see logging/run-log-context.ts.
    runScope: (run, work) => withRunLogContext(run.runId, work),
    ...(o.sessionLock ? { sessionLock: o.sessionLock } : {}),
    ...(o.sessionHeldElsewhere ? { sessionHeldElsewhere: o.sessionHeldElsewhere } : {}),
    prepareRun: (input) => toolbox?.prepareRun(input) ?? {},
    getConfig: () => ({
      models: configState.config.models,
      agents: {
        defaults: configState.config.agents.defaults,
        list: listConfiguredAgents(configState.config),
      },
    }),
    // `/model` and `sessions.patch` pin a session's model; its runs use it unless the request names another.
    sessionModel: async (sessionKey) => (await sessions.get(sessionKey))?.model,
    // `/think` and `sessions.patch` store a session's thinking level; a request's `thinking` overrides it.
    sessionThinkingLevel: async (sessionKey) => (await sessions.get(sessionKey))?.thinkingLevel,
    transcripts: {
      read: (sessionKey) => sessions.readTranscript(sessionKey),
      // A keyed send looks its key up instead of reading the whole transcript (a store that cannot reads it all).
      readTurn: (sessionKey, idempotencyKey) =>
        sessions.readTranscript(sessionKey, { turnOf: idempotencyKey }),
      append: (sessionKey, entry) => sessions.appendTranscript(sessionKey, { ...entry }),
    },
    env: o.env,
    // SecretRefs in models.providers.<id>.apiKey and OpenClaw's auth profiles (auth.order, the agent's store).
    credentials: createModelCredentials({
      config: () => configState.config,
      stateDir: o.stateDir,
      env: o.env,
      logger: logger.child({ component: "model-auth" }),
    }),
    logger: logger.child({ component: "agent" }),
  });
  // Chat and agent frames carry conversation content: only read-scoped operators receive them.
  const chat = new ChatService({
    agent,
    emit: (event, payload) => o.broadcast(event, payload, "operator.read"),
    logger,
    diagnostics: o.diagnostics,
  });
  for (const tool of o.plugins.tools()) agent.tools.register(tool);
  const { execAllowlist } = o;
  const execApprovals = new ExecApprovalManager({
    emit: (event, payload, scope) => o.broadcast(event, payload, scope),
    allowlist: execAllowlist,
    logger: logger.child({ component: "approvals" }),
    cluster: o.cluster,
  });
  // The built-in tools, the tool policy and the workspace prompt; runs are prepared through it (see prepareRun).
  const built = createAgentToolbox({
    getConfig: () => configState.config,
    stateDir: o.stateDir,
    env: o.env,
    registry: agent.tools,
    pluginTools: () => o.plugins.tools(),
    loadPluginTools: () => o.plugins.loadTools(),
    execApprovals,
    execAllowlist,
    defaultAgentId: () => defaultAgentId(configState.config),
    resolveModel: (agentId) => {
      try {
        const { provider, model } = agent.resolveModel(undefined, agentId);
        return { provider, model };
      } catch {
        return undefined;
      }
    },
    logger: logger.child({ component: "tools" }),
  });
  toolbox = built;
  configState.onChange(() => built.syncExec());
  return {
    agent,
    chat,
    toolbox: built,
    execApprovals,
    async close() {
      execApprovals.close();
      chat.close();
      await agent.close();
      await built.close();
    },
  };
}
