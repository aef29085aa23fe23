import type { AgentRuntime } from "@openclaw/agent";
import type { SenderIdSpelling } from "@openclaw/plugin-sdk";
import type { SessionStore } from "@openclaw/sessions";
import type { AgentInfo, CronPort, MessagingPort, NodesPort, SessionsPort } from "@openclaw/tools/config";
import type { OutboundSendRequest, OutboundSendResult } from "../../channels/channel-outbound.js";
import type { PairingStore } from "../../channels/pairing-store.js";
import type { ChatTurn, ChatTurnRequest } from "../../chat/chat-service.js";
import type { OpenClawConfig } from "../../config/config-schema.js";
import { listConfiguredAgents } from "../../config/configured-agents.js";
import type { CronService } from "../../cron/cron-service.js";
import { type Logger, silentLogger } from "../../logging/logger.js";
import { createGatewayCronPort } from "./gateway-cron-port.js";
import { createGatewayMessagingPort } from "./gateway-messaging-port.js";
import { createGatewaySessionsPort } from "./gateway-sessions-port.js";
import { type ConversationRoute, routeFromSessionKey } from "./session-info.js";
import { SubagentRegistry } from "./subagent-registry.js";
import { SubagentSpawner } from "./subagent-spawner.js";

const IMPLICIT_AGENT_ID = "main";

/** What the tool ports need from the gateway: its services, each narrowed to the calls used. */
export interface GatewayToolPortsDeps {
  /** Holds `subagents/runs.json`, the sub-agent lineage. */
  stateDir: string;
  sessions: Pick<
    SessionStore,
    "list" | "get" | "resolve" | "ensure" | "readTranscript" | "appendTranscript" | "delete"
  >;
  /** The one path into the agent runtime (ChatService): child runs, sends and announces are ordinary turns. */
  chat: { accept(request: ChatTurnRequest): Promise<ChatTurn> };
  agent: Pick<AgentRuntime, "isActive" | "resolveModel">;
  /** The current config: the agent roster, `session.mainKey`, and `channels` (each account's access policy). */
  config: () => OpenClawConfig;
  /** The channel manager's outbound send, and how each running channel spells sender ids. */
  channels: {
    send(request: OutboundSendRequest): Promise<OutboundSendResult>;
    senderIdsOf?(channel: string): SenderIdSpelling | undefined;
  };
  pairing: Pick<PairingStore, "isApproved">;
  cron: Pick<CronService, "status" | "list" | "get" | "add" | "update" | "remove" | "run" | "runs">;
  /**
   * The chat a session answers, for sessions whose key does not carry it (e.g. a DM in `agent:<id>:main` under
   * `session.dmScope: "main"`). Keys that name their channel and peer are understood without it.
   */
  routeOf?: (sessionKey: string) => ConversationRoute | undefined;
  logger?: Logger;
  now?: () => number;
}

export interface GatewayToolPorts {
  sessions: SessionsPort;
  messaging: MessagingPort;
  cron: CronPort;
  /** The `nodes` tool's way to the gateway's nodes; added by the runtime, which owns the node registry. */
  nodes?: NodesPort;
  /** Resolves once no sub-agent run, announce or reply delivery is in flight (tests, shutdown). */
  idle(): Promise<void>;
  /** Call before the agent runtime closes: results of runs still going are then not announced. */
  close(): void;
}

/** Builds the ports the session, messaging and automation tools run on, over the gateway's services. */
export async function createGatewayToolPorts(deps: GatewayToolPortsDeps): Promise<GatewayToolPorts> {
  const logger = deps.logger ?? silentLogger;
  const registry = await SubagentRegistry.open(deps.stateDir, logger);
  const routeOf = (sessionKey: string) => deps.routeOf?.(sessionKey) ?? routeFromSessionKey(sessionKey);
  const mainKey = () => deps.config().session.mainKey;
  const channelAccess = {
    channelsConfig: () => deps.config().channels,
    pairing: deps.pairing,
    routeOf,
    senderIdsOf: (channel: string) => deps.channels.senderIdsOf?.(channel),
  };
  const messaging = createGatewayMessagingPort({ ...channelAccess, channels: deps.channels });
  const spawner = new SubagentSpawner({
    sessions: deps.sessions,
    chat: deps.chat,
    registry,
    resolveModel: (ref, agentId) => deps.agent.resolveModel(ref, agentId),
    deliverParentReply: async ({ sessionKey, agentId, text }) => {
      if (routeOf(sessionKey) === undefined) return;
      await messaging.send({ requesterSessionKey: sessionKey, requesterAgentId: agentId, text });
    },
    logger,
    now: deps.now ?? Date.now,
  });
  const sessions = createGatewaySessionsPort({
    sessions: deps.sessions,
    chat: deps.chat,
    isSessionActive: (key) => deps.agent.isActive(key),
    agents: () => agentInfos(deps),
    mainKey,
    registry,
    spawner,
  });
  const cron = createGatewayCronPort({
    ...channelAccess,
    cron: deps.cron,
    defaultAgentId: () => defaultAgentOf(deps.config()),
    mainKey,
  });
  return { sessions, messaging, cron, idle: () => spawner.idle(), close: () => spawner.close() };
}

function agentInfos(deps: Pick<GatewayToolPortsDeps, "config" | "agent">): AgentInfo[] {
  const config = deps.config();
  const configured = listConfiguredAgents(config);
  const defaultId = defaultAgentOf(config);
  const entries: { id: string; name?: string; configured: boolean }[] = configured.map((entry) => ({
    id: entry.id.toLowerCase(),
    ...((entry.name ?? entry.identity?.name) ? { name: entry.name ?? entry.identity?.name } : {}),
    configured: true,
  }));
  if (!entries.some((entry) => entry.id === IMPLICIT_AGENT_ID)) {
    entries.unshift({ id: IMPLICIT_AGENT_ID, configured: configured.length === 0 });
  }
  return entries.map((entry) => {
    const model = modelOf(deps.agent, entry.id);
    return { ...entry, isDefault: entry.id === defaultId, ...(model ? { model } : {}) };
  });
}

function defaultAgentOf(config: OpenClawConfig): string {
  return (
    listConfiguredAgents(config)
      .find((entry) => entry.default === true)
      ?.id.toLowerCase() ?? IMPLICIT_AGENT_ID
  );
}

function modelOf(agent: Pick<AgentRuntime, "resolveModel">, agentId: string): string | undefined {
  try {
    return agent.resolveModel(undefined, agentId).ref;
  } catch {
    return undefined;
  }
}
