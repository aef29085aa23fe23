import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AgentRunResult } from "@openclaw/agent";
import { CHANNEL_PLUGIN_API_VERSION, type ChannelPlugin, type InboundMessage } from "@openclaw/plugin-sdk";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import type { ChatTurnRequest } from "../chat/chat-service.js";
import { createLogger, type LogRecord } from "../logging/logger.js";
import { type InboundAccount, InboundRouter } from "./inbound-router.js";
import { createPairingStore } from "./pairing-store.js";

let stateDir: string;

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "openclaw-router-"));
});

afterEach(async () => {
  await rm(stateDir, { recursive: true, force: true });
});

/** One open DM account whose sent texts, and the turns the router started, are recorded. */
function setup(o: { agentFor: string; configured?: readonly string[] }) {
  const sent: string[] = [];
  const turns: ChatTurnRequest[] = [];
  const logs: LogRecord[] = [];
  const plugin = {
    apiVersion: CHANNEL_PLUGIN_API_VERSION,
    id: "alpha",
    meta: { label: "Alpha", description: "a test channel" },
    configSchema: z.object({}),
    capabilities: {
      dms: true,
      groups: false,
      threads: false,
      reactions: false,
      typing: false,
      media: false,
      edits: false,
      maxTextLength: 4096,
    },
    startAccount: async () => undefined,
    sendText: async ({ text }: { text: string }) => {
      sent.push(text);
      return { messageId: `out-${sent.length}` };
    },
  } as unknown as ChannelPlugin;
  const account: InboundAccount = {
    plugin,
    accountId: "default",
    config: { dmPolicy: "open", allowFrom: ["*"] },
    logger: createLogger({ level: "debug", sinks: [(record) => logs.push(record)] }),
    isActive: () => true,
    onInbound: () => undefined,
    onOutbound: () => undefined,
    onFatal: (error) => {
      throw error;
    },
  };
  const configured = o.configured;
  const router = new InboundRouter({
    chat: {
      start(request) {
        turns.push(request);
        const result: AgentRunResult = {
          runId: "run-1",
          sessionKey: request.sessionKey,
          status: "ok",
          text: "hello back",
          usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 },
        };
        return { runId: "run-1", sessionKey: request.sessionKey, done: Promise.resolve(result) };
      },
    },
    pairing: createPairingStore({ stateDir }),
    getSession: () => ({ dmScope: "per-channel-peer", mainKey: "main" }),
    resolveAgentId: () => o.agentFor,
    ...(configured ? { isConfiguredAgent: (id: string) => configured.includes(id) } : {}),
  });
  return { router, account, sent, turns, logs };
}

const message: InboundMessage = {
  channel: "alpha",
  accountId: "default",
  peer: { id: "7", name: "User 7" },
  chatKind: "dm",
  sender: { id: "7", name: "User 7" },
  text: "hi",
  mentionsBot: false,
  timestamp: 1_700_000_000_000,
  platformMessageId: "in-7-1",
};

describe("InboundRouter and unconfigured agents", () => {
  it("a binding naming an agent that is not configured starts no turn, logs the fix and apologises", async () => {
    const { router, account, sent, turns, logs } = setup({ agentFor: "ghost", configured: ["main"] });
    router.accept(account, message);
    await router.idle();
    expect(turns).toEqual([]);
    const logged = logs.find((record) => record.msg.startsWith("inbound message not run"));
    expect(logged).toMatchObject({ level: "error", agentId: "ghost" });
    expect(logged?.msg).toContain("agents.list");
    expect(sent).toEqual([
      "Sorry, I could not answer that: this chat is routed to an agent that is not set up",
    ]);
  });

  it("a configured agent gets its turn and the answer", async () => {
    const { router, account, sent, turns } = setup({ agentFor: "main", configured: ["main"] });
    router.accept(account, message);
    await router.idle();
    expect(turns.map((turn) => turn.agentId)).toEqual(["main"]);
    expect(sent).toEqual(["hello back"]);
  });
});
