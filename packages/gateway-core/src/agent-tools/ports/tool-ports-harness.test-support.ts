// Test support: the tool ports over the real services (file session store, agent runtime against the loopback fake
// model server, chat service, channel manager with an in-memory channel plugin, cron service), as the gateway builds
// them, with the session, messaging and automation tools registered in the runtime.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AgentTool, createAgentRuntime, type ToolContext } from "@openclaw/agent";
import { CHANNEL_PLUGIN_API_VERSION, type ChannelPlugin, type SendTextOptions } from "@openclaw/plugin-sdk";
import { createFileSessionStore } from "@openclaw/sessions";
import { type FakeModelServer, startFakeModelServer } from "@openclaw/testing";
import {
  createCronTool,
  createMessageTool,
  createSessionTools,
  resolveSessionToolSettings,
} from "@openclaw/tools";
import { z } from "zod";
import { ChannelManager } from "../../channels/channel-manager.js";
import { createPairingStore } from "../../channels/pairing-store.js";
import { PluginRegistry } from "../../channels/plugin-registry.js";
import { ChatService } from "../../chat/chat-service.js";
import { OpenClawConfigSchema } from "../../config/config-schema.js";
import { listConfiguredAgents } from "../../config/configured-agents.js";
import { createManualCronClock } from "../../cron/cron-clock.js";
import { CronService } from "../../cron/cron-service.js";
import { silentLogger } from "../../logging/logger.js";
import { createGatewayToolPorts, type GatewayToolPorts } from "./create-gateway-tool-ports.js";

export const CHANNEL = "memchat";
export const API_KEY = "sk-test-0123456789abcdef";

export interface ToolPortsHarness {
  stateDir: string;
  model: FakeModelServer;
  ports: GatewayToolPorts;
  sessions: Awaited<ReturnType<typeof createFileSessionStore>>;
  chat: ChatService;
  cron: CronService;
  /** What the in-memory channel was asked to send, in order. */
  sent: SendTextOptions[];
  tool(name: string): AgentTool;
  /** Runs a tool as a model call in `sessionKey` would. */
  call(name: string, args: unknown, sessionKey: string, agentId?: string): Promise<Record<string, unknown>>;
  /** A second set of ports over the same state directory, as after a restart. */
  reopenPorts(): Promise<GatewayToolPorts>;
  close(): Promise<void>;
}

function memoryChannel(sent: SendTextOptions[]): ChannelPlugin {
  let counter = 0;
  return {
    apiVersion: CHANNEL_PLUGIN_API_VERSION,
    id: CHANNEL,
    meta: { label: "Memory chat" },
    configSchema: z.looseObject({}),
    capabilities: {
      dms: true,
      groups: true,
      threads: true,
      reactions: false,
      typing: false,
      media: false,
      edits: false,
      maxTextLength: 4096,
    },
    startAccount: async (context) => {
      context.setStatus({ connected: true, lastError: null });
      return { stop: async () => undefined };
    },
    sendText: async (options) => {
      sent.push(options);
      counter += 1;
      return { messageId: `out-${counter}` };
    },
  };
}

export async function startToolPortsHarness(
  rawConfig: Record<string, unknown> = {},
): Promise<ToolPortsHarness> {
  const stateDir = await mkdtemp(join(tmpdir(), "oc-tool-ports-"));
  const model = await startFakeModelServer({ apiKey: API_KEY });
  const config = OpenClawConfigSchema.parse({
    channels: { [CHANNEL]: { dmPolicy: "allowlist", allowFrom: ["u1"], groups: { g1: {} } } },
    ...rawConfig,
  });
  const sessions = await createFileSessionStore({ stateDir });
  const agent = createAgentRuntime({
    getConfig: () => ({
      models: {
        providers: {
          fake: {
            baseUrl: model.baseUrlFor("openai-completions"),
            apiKey: API_KEY,
            api: "openai-completions",
            models: [{ id: "fake-model" }, { id: "cheap-model" }],
          },
        },
      },
      agents: { defaults: { model: { primary: "fake/fake-model" } }, list: listConfiguredAgents(config) },
    }),
    transcripts: {
      read: (sessionKey) => sessions.readTranscript(sessionKey),
      append: (sessionKey, entry) => sessions.appendTranscript(sessionKey, { ...entry }),
    },
    env: {},
    retry: { maxRetries: 0 },
  });
  const chat = new ChatService({ agent, emit: () => undefined, logger: silentLogger });
  const sent: SendTextOptions[] = [];
  const registry = new PluginRegistry();
  registry.registerChannel(memoryChannel(sent));
  const pairing = createPairingStore({ stateDir });
  const channels = new ChannelManager({
    registry,
    getConfig: () => ({ channels: config.channels, session: config.session }),
    chat,
    pairing,
    logger: silentLogger,
    stateDir,
  });
  await channels.start();
  const roster = () => ({
    ids: [...listConfiguredAgents(config).map((entry) => entry.id), "main"],
    defaultId: "main",
  });
  const cron = new CronService({
    stateDir,
    chat,
    clock: createManualCronClock(Date.UTC(2030, 0, 1)),
    agents: roster,
    mainKey: () => config.session.mainKey,
    deliver: async () => undefined,
  });
  await cron.start();
  const portDeps = { stateDir, sessions, chat, agent, config: () => config, channels, pairing, cron };
  const ports = await createGatewayToolPorts(portDeps);
  const settings = (agentId: string) => resolveSessionToolSettings(config, agentId);
  const tools = [
    ...createSessionTools(ports.sessions, { settings }),
    createMessageTool(ports.messaging),
    createCronTool(ports.cron),
  ];
  for (const tool of tools) agent.tools.register(tool);
  const tool = (name: string) => {
    const found = tools.find((candidate) => candidate.name === name);
    if (!found) throw new Error(`no tool ${name}`);
    return found;
  };
  let calls = 0;
  const extraPorts: GatewayToolPorts[] = [];
  return {
    stateDir,
    model,
    ports,
    sessions,
    chat,
    cron,
    sent,
    tool,
    async call(name, args, sessionKey, agentId = "main") {
      calls += 1;
      const ctx: ToolContext = {
        sessionKey,
        agentId,
        runId: `test-run-${calls}`,
        toolCallId: `call-${calls}`,
        signal: new AbortController().signal,
        update: () => undefined,
      };
      return (await tool(name).execute(args, ctx)) as Record<string, unknown>;
    },
    async reopenPorts() {
      const reopened = await createGatewayToolPorts(portDeps);
      extraPorts.push(reopened);
      return reopened;
    },
    async close() {
      await ports.idle();
      for (const extra of [ports, ...extraPorts]) extra.close();
      await cron.stop();
      await channels.stop();
      chat.close();
      await agent.close();
      await sessions.close();
      await model.close();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}
