import { AgentFinalResultSchema, AgentResultSchema } from "@openclaw/protocol";
import type { FakeModelServer } from "@openclaw/testing";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { openClawMessageText } from "../chat/openclaw-history-message.js";
import {
  callChecked,
  configWithFakeModel,
  type RawClient,
  startFakeModel,
  type TestGateway,
  useIntegrationEnv,
  type WireFrame,
} from "./harness.js";

/**
 * What OpenClaw's own clients rely on beyond the shapes (which `callChecked` checks against the oracle and the
 * recorded 2026.9.6 answers): a send's run is named by its idempotency key, history pages back by offset, session
 * lists page with OpenClaw's envelope, config.get names the file's object and revision, status summarises per agent.
 */
const env = useIntegrationEnv();

type Connected = Awaited<ReturnType<typeof env.connect>>;

async function gatewayWithModel(): Promise<{
  fake: FakeModelServer;
  gateway: TestGateway;
  client: RawClient;
  hello: Connected["hello"];
}> {
  const fake = await startFakeModel(env);
  const gateway = await env.start({
    config: configWithFakeModel(fake, {
      models: [{ id: "fast", name: "Fast fake", contextWindow: 32_000, input: ["text", "image"] }],
    }),
  });
  gateway.server.runtime.chat.agent.tools.register({
    name: "add",
    description: "Adds two numbers",
    parameters: z.object({ a: z.number(), b: z.number() }),
    execute: async (args) => {
      const { a, b } = args as { a: number; b: number };
      return { sum: a + b };
    },
  });
  const { client, hello } = await env.connect(gateway);
  return { fake, gateway, client, hello };
}

function chatEvents(client: RawClient, runId: string): { state: string; message?: unknown }[] {
  return client.frames
    .filter(
      (frame: WireFrame) => frame.event === "chat" && (frame.payload as { runId?: string }).runId === runId,
    )
    .map((frame) => frame.payload as { state: string; message?: unknown });
}

async function send(client: RawClient, sessionKey: string, message: string, key: string): Promise<void> {
  const ack = await callChecked(client, "chat.send", { sessionKey, message, idempotencyKey: key });
  expect(ack.runId).toBe(key);
  await client.waitFor(
    (frame) =>
      frame.event === "chat" &&
      (frame.payload as { runId?: string }).runId === key &&
      (frame.payload as { state?: string }).state === "final",
    { what: `final of ${key}`, timeoutMs: 15_000 },
  );
}

describe("OpenClaw's wire shapes, as its clients use them", () => {
  it("names the run by the idempotency key and streams OpenClaw's message with the text so far", async () => {
    const { fake, client } = await gatewayWithModel();
    fake.enqueue({ chunks: ["Hel", "lo"] });
    await send(client, "agent:main:main", "hi", "send-key-1");
    const events = chatEvents(client, "send-key-1");
    const deltas = events.filter((event) => event.state === "delta");
    expect(deltas.map((event) => openClawMessageText(event.message as { content: unknown }))).toEqual([
      "Hel",
      "Hello",
    ]);
    expect(events.at(-1)?.message).toMatchObject({
      role: "assistant",
      content: [{ type: "text", text: "Hello" }],
      provider: "fake",
      model: "fast",
    });
  });

  it("shows a tool call as a toolCall block answered by a toolResult, and pages history back by offset", async () => {
    const { fake, client } = await gatewayWithModel();
    fake.enqueue({ toolCalls: [{ id: "call_1", name: "add", arguments: { a: 2, b: 3 } }] }, { text: "5" });
    await send(client, "agent:main:main", "add 2 and 3", "tool-turn");
    fake.enqueue({ text: "second answer" });
    await send(client, "agent:main:main", "again", "plain-turn");

    const all = await callChecked(client, "chat.history", { sessionKey: "agent:main:main" });
    expect(all).toMatchObject({
      hasMore: false,
      totalMessages: 6,
      defaults: { modelProvider: "fake", model: "fast", contextTokens: 32_000 },
    });
    expect(all.messages.map((message) => message.role)).toEqual([
      "user",
      "assistant",
      "toolResult",
      "assistant",
      "user",
      "assistant",
    ]);
    expect(all.messages[1]?.content).toEqual([
      { type: "toolCall", id: "call_1", name: "add", arguments: { a: 2, b: 3 } },
    ]);
    expect(all.messages[2]).toMatchObject({ toolCallId: "call_1", toolName: "add", isError: false });
    expect(openClawMessageText(all.messages[2] ?? {})).toBe('{"sum":5}');
    expect(all.messages[0]?.__openclaw).toMatchObject({ runId: "tool-turn", idempotencyKey: "tool-turn" });

    const newest = await callChecked(client, "chat.history", { sessionKey: "agent:main:main", limit: 2 });
    expect(newest).toMatchObject({ hasMore: true, nextOffset: 2, totalMessages: 6 });
    expect(newest.messages.map(openClawMessageText)).toEqual(["again", "second answer"]);
    const older = await callChecked(client, "chat.history", {
      sessionKey: "agent:main:main",
      limit: 10,
      offset: newest.nextOffset,
    });
    expect(older).toMatchObject({ offset: 2, hasMore: false, totalMessages: 6 });
    expect(older.messages.map((message) => message.__openclaw.seq)).toEqual([0, 1, 2, 3]);
  });

  it("pages sessions.list with OpenClaw's envelope and names the default model", async () => {
    const { fake, client } = await gatewayWithModel();
    fake.enqueue({ text: "a" }, { text: "b" });
    await send(client, "agent:main:alpha", "one", "alpha-1");
    await send(client, "agent:main:beta", "two", "beta-1");

    const first = await callChecked(client, "sessions.list", { limit: 1 });
    expect(first).toMatchObject({ count: 1, totalCount: 2, limitApplied: 1, hasMore: true, nextOffset: 1 });
    expect(first.owners).toEqual([]);
    expect(first.defaults).toEqual({ modelProvider: "fake", model: "fast", contextTokens: 32_000 });
    const second = await callChecked(client, "sessions.list", { limit: 1, offset: 1 });
    expect(second).toMatchObject({ count: 1, offset: 1, hasMore: false, nextOffset: null });
    expect([first.sessions[0]?.key, second.sessions[0]?.key].sort()).toEqual([
      "agent:main:alpha",
      "agent:main:beta",
    ]);
  });

  it("config.get names the file's object and its revision beside the running config", async () => {
    const gateway = await env.start({ config: { session: { mainKey: "main" } } });
    const { client } = await env.connect(gateway);
    const config = await callChecked(client, "config.get", {});
    expect(config.parsed).toMatchObject({ session: { mainKey: "main" } });
    expect(config.sourceConfig).toEqual(config.parsed);
    expect(config.resolved).toEqual(config.parsed);
    expect(config.runtimeConfig).toEqual(config.config);
    expect(config.configRevisionHash).toBe(config.hash);
    expect(config.appliedConfigHash).toBe(config.hash);
  });

  it("status summarises sessions per agent and projects the agent roster for OpenClaw's CLI", async () => {
    const { fake, client } = await gatewayWithModel();
    fake.enqueue({ text: "a" });
    await send(client, "agent:main:main", "one", "status-1");
    const status = await callChecked(client, "status", { includeCliProjection: true });
    expect(status.sessions.count).toBe(1);
    expect(status.sessions.byAgent).toEqual([
      expect.objectContaining({
        agentId: "main",
        count: 1,
        recent: [expect.objectContaining({ key: "agent:main:main" })],
      }),
    ]);
    expect(status.sessions.defaults.model).toBe("fake/fast");
    expect(status.cliProjection?.agents).toMatchObject({ defaultId: "main", rows: [{ id: "main" }] });
    expect(status.heartbeat.defaultAgentId).toBe("main");
    expect(await callChecked(client, "agents.list", {})).toMatchObject({
      defaultId: "main",
      ownership: "sole",
      selectionRequired: false,
      // The model the agent runs with (agents.defaults.model), which OpenClaw's Control UI needs before it chats.
      agents: [expect.objectContaining({ id: "main", model: { primary: "fake/fast" } })],
    });
  });

  it("lists models for OpenClaw's CLI, which asks for the published catalog by capability", async () => {
    const { client, hello } = await gatewayWithModel();
    expect(hello.features.capabilities).toContain("published-model-catalog");
    const listed = await callChecked(client, "models.list", {
      view: "all",
      provider: "fake",
      includeDetails: true,
    });
    expect(listed.models).toEqual([
      expect.objectContaining({
        provider: "fake",
        id: "fast",
        contextWindow: 32_000,
        input: ["text", "image"],
      }),
    ]);
    expect((await callChecked(client, "models.list", { provider: "other" })).models).toEqual([]);
  });

  it("answers `agent` twice on one request id: OpenClaw's acknowledgement, then the run's reply", async () => {
    const { fake, client } = await gatewayWithModel();
    fake.enqueue({ text: "the final reply" });
    const since = client.frames.length;
    const first = await client.request("agent", { message: "hi", idempotencyKey: "agent-two-phase" });
    expect(first.ok).toBe(true);
    const accepted = AgentResultSchema.parse(first.payload);
    expect(accepted).toMatchObject({
      status: "accepted",
      agentId: "main",
    });
    const final = await client.waitFor(
      (frame) => frame.type === "res" && frame.id === first.id && frame !== first,
      { since, what: "the final answer to agent" },
    );
    expect(final.ok).toBe(true);
    expect(AgentFinalResultSchema.parse(final.payload)).toEqual({
      runId: accepted.runId,
      status: "ok",
      summary: "completed",
      result: {
        payloads: [{ text: "the final reply" }],
        meta: { model: "fake/fast", usage: expect.objectContaining({ totalTokens: expect.any(Number) }) },
      },
    });
  });
});
