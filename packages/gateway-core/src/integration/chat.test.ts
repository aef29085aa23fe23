import { readdir, readFile, stat, truncate } from "node:fs/promises";
import { join } from "node:path";
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

const env = useIntegrationEnv();

function modelConfig(fake: FakeModelServer, extra: { fallbacks?: string[] } = {}) {
  return configWithFakeModel(fake, {
    models: [
      { id: "fast", name: "Fast fake", contextWindow: 32_000 },
      { id: "backup", name: "Backup fake", contextWindow: 32_000 },
    ],
    ...extra,
  });
}

async function startWithModel(
  fake: FakeModelServer,
  extra: { fallbacks?: string[] } = {},
): Promise<TestGateway> {
  return env.start({ config: modelConfig(fake, extra) });
}

function chatFrames(client: RawClient, runId: string, since = 0): WireFrame[] {
  return client.frames
    .slice(since)
    .filter((frame) => frame.event === "chat" && (frame.payload as { runId?: string }).runId === runId);
}

function waitForChatEnd(client: RawClient, runId: string): Promise<WireFrame> {
  return client.waitFor(
    (frame) =>
      frame.event === "chat" &&
      (frame.payload as { runId?: string }).runId === runId &&
      ["final", "aborted", "error"].includes((frame.payload as { state?: string }).state ?? ""),
    { what: `end of chat run ${runId}`, timeoutMs: 15_000 },
  );
}

let keyCounter = 0;
const idempotencyKey = () => `key-${Date.now()}-${keyCounter++}`;

describe("chat over WebSocket", () => {
  it("acknowledges chat.send at once and streams the answer as chat deltas and a final", async () => {
    const fake = await startFakeModel(env);
    fake.enqueue({ chunks: ["Hello", ", ", "world"], usage: { inputTokens: 12, outputTokens: 3 } });
    const gateway = await startWithModel(fake);
    const { client } = await env.connect(gateway);
    const ack = await callChecked(client, "chat.send", {
      sessionKey: "agent:main:main",
      message: "hi there",
      idempotencyKey: idempotencyKey(),
    });
    expect(ack.runId).toEqual(expect.any(String));
    const end = await waitForChatEnd(client, ack.runId);
    expect(end.payload).toMatchObject({
      state: "final",
      sessionKey: "agent:main:main",
      usage: { inputTokens: 12 },
    });
    const deltas = chatFrames(client, ack.runId).filter(
      (frame) => (frame.payload as { state: string }).state === "delta",
    );
    expect(deltas.map((frame) => (frame.payload as { deltaText: string }).deltaText).join("")).toBe(
      "Hello, world",
    );
    const seqs = chatFrames(client, ack.runId).map((frame) => (frame.payload as { seq: number }).seq);
    expect(seqs).toEqual(seqs.map((_, index) => index));
    const agentEvents = client.frames.filter(
      (frame) => frame.event === "agent" && (frame.payload as { runId?: string }).runId === ack.runId,
    );
    expect(agentEvents.some((frame) => (frame.payload as { stream: string }).stream === "lifecycle")).toBe(
      true,
    );
    expect(fake.requests[0]?.body.messages.at(-1)).toMatchObject({ role: "user", content: "hi there" });

    const session = await callChecked(client, "sessions.list", {});
    expect(session.sessions[0]).toMatchObject({ key: "agent:main:main", inputTokens: 12, outputTokens: 3 });
  });

  it("never starts a second run for a repeated idempotency key", async () => {
    const fake = await startFakeModel(env);
    const gateway = await startWithModel(fake);
    const { client } = await env.connect(gateway);
    const params = { sessionKey: "agent:main:main", message: "once", idempotencyKey: idempotencyKey() };
    const first = await callChecked(client, "chat.send", params);
    const again = await callChecked(client, "chat.send", params);
    expect(again).toMatchObject({ runId: first.runId, deduped: true });
    await waitForChatEnd(client, first.runId);
    expect(fake.requests).toHaveLength(1);
  });

  it("runs two messages to one session in order, the second seeing the first", async () => {
    const fake = await startFakeModel(env);
    fake.enqueue({ text: "first answer", chunkDelayMs: 20 }, { text: "second answer" });
    const gateway = await startWithModel(fake);
    const { client } = await env.connect(gateway);
    const [a, b] = await Promise.all([
      callChecked(client, "chat.send", {
        sessionKey: "main",
        message: "one",
        idempotencyKey: idempotencyKey(),
      }),
      callChecked(client, "chat.send", {
        sessionKey: "main",
        message: "two",
        idempotencyKey: idempotencyKey(),
      }),
    ]);
    const endA = await waitForChatEnd(client, a.runId);
    const endB = await waitForChatEnd(client, b.runId);
    expect(client.frames.indexOf(endA)).toBeLessThan(client.frames.indexOf(endB));
    const secondPrompt = JSON.stringify(fake.requests[1]?.body.messages);
    expect(secondPrompt).toContain("first answer");
    expect(secondPrompt).toContain("two");
  });

  it("aborts a run mid-stream", async () => {
    const fake = await startFakeModel(env);
    fake.enqueue({ text: "this never finishes", hang: true });
    const gateway = await startWithModel(fake);
    const { client } = await env.connect(gateway);
    const ack = await callChecked(client, "chat.send", {
      sessionKey: "agent:main:main",
      message: "talk forever",
      idempotencyKey: idempotencyKey(),
    });
    await fake.waitForRequests(1);
    const aborted = await callChecked(client, "chat.abort", {
      sessionKey: "agent:main:main",
      runId: ack.runId,
    });
    expect(aborted.aborted).toBe(1);
    const end = await waitForChatEnd(client, ack.runId);
    expect((end.payload as { state: string }).state).toBe("aborted");
  });

  it("retries a 429 and falls back to the next model when the primary keeps failing", async () => {
    const fake = await startFakeModel(env);
    fake.enqueue({ status: 429, retryAfterSeconds: 0 }, { text: "after the rate limit" });
    const gateway = await startWithModel(fake, { fallbacks: ["fake/backup"] });
    const { client } = await env.connect(gateway);
    const retried = await callChecked(client, "agent", {
      message: "hello",
      idempotencyKey: idempotencyKey(),
    });
    const waited = await callChecked(client, "agent.wait", { runId: retried.runId, timeoutMs: 15_000 });
    expect(waited).toMatchObject({ status: "ok", text: "after the rate limit" });

    fake.setDefaultReply((request) =>
      request.model === "fast" ? { status: 500 } : { text: "from the backup" },
    );
    const fallback = await callChecked(client, "agent", {
      message: "again",
      idempotencyKey: idempotencyKey(),
    });
    const result = await callChecked(client, "agent.wait", { runId: fallback.runId, timeoutMs: 30_000 });
    expect(result).toMatchObject({ status: "ok", text: "from the backup", model: "fake/backup" });
  });

  it("runs a tool registered with the agent runtime and reports it in agent events", async () => {
    const fake = await startFakeModel(env);
    fake.enqueue(
      { toolCalls: [{ id: "call_1", name: "add", arguments: { a: 2, b: 3 } }] },
      { text: "2 + 3 = 5" },
    );
    const gateway = await startWithModel(fake);
    gateway.server.runtime.chat.agent.tools.register({
      name: "add",
      description: "Adds two numbers",
      parameters: z.object({ a: z.number(), b: z.number() }),
      execute: async (args) => {
        const { a, b } = args as { a: number; b: number };
        return { sum: a + b };
      },
    });
    const { client } = await env.connect(gateway);
    const ack = await callChecked(client, "chat.send", {
      sessionKey: "main",
      message: "add",
      idempotencyKey: idempotencyKey(),
    });
    const end = await waitForChatEnd(client, ack.runId);
    expect(end.payload).toMatchObject({ state: "final" });
    const toolEvents = client.frames
      .filter((frame) => frame.event === "agent" && (frame.payload as { stream?: string }).stream === "tool")
      .map((frame) => (frame.payload as { data: Record<string, unknown> }).data);
    expect(toolEvents).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ phase: "start", name: "add" }),
        expect.objectContaining({ phase: "result", name: "add" }),
      ]),
    );
    expect(JSON.stringify(fake.requests[1]?.body.messages)).toContain("5");
  });

  it("fails fast with a clear error when no provider is configured", async () => {
    const gateway = await env.start();
    const { client } = await env.connect(gateway);
    const ack = await callChecked(client, "chat.send", {
      sessionKey: "main",
      message: "hi",
      idempotencyKey: idempotencyKey(),
    });
    const end = await waitForChatEnd(client, ack.runId);
    expect(end.payload).toMatchObject({ state: "error" });
    expect((end.payload as { errorMessage: string }).errorMessage).toContain(
      "openclaw config --section models",
    );
  });

  it("lists the configured models", async () => {
    const fake = await startFakeModel(env);
    const gateway = await startWithModel(fake);
    const { client } = await env.connect(gateway);
    const models = await callChecked(client, "models.list", {});
    expect(models.models).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: "fast", provider: "fake", available: true })]),
    );
  });

  it("keeps transcripts across a restart: chat.history returns the same turns", async () => {
    const fake = await startFakeModel(env);
    fake.enqueue({ text: "remembered answer" });
    const first = await startWithModel(fake);
    const { client } = await env.connect(first);
    const ack = await callChecked(client, "chat.send", {
      sessionKey: "agent:main:main",
      message: "remember this",
      idempotencyKey: idempotencyKey(),
    });
    await waitForChatEnd(client, ack.runId);
    const before = await callChecked(client, "chat.history", { sessionKey: "agent:main:main" });
    await first.server.close();

    const second = await env.start({ stateDir: first.stateDir, config: modelConfig(fake) });
    const { client: again } = await env.connect(second);
    const after = await callChecked(again, "chat.history", { sessionKey: "agent:main:main" });
    expect(after.messages).toEqual(before.messages);
    expect(after.messages.map((message) => [message.role, openClawMessageText(message)])).toEqual([
      ["user", "remember this"],
      ["assistant", "remembered answer"],
    ]);
  });

  it("acknowledges chat.send only once the message is in the transcript, and a retry after a restart is deduped", async () => {
    const fake = await startFakeModel(env);
    fake.enqueue({ text: "never finishes", hang: true });
    const first = await startWithModel(fake);
    const { client } = await env.connect(first);
    const params = { sessionKey: "agent:main:main", message: "keep me", idempotencyKey: idempotencyKey() };
    const ack = await callChecked(client, "chat.send", params);
    const transcript = await readFile(await transcriptPath(first.stateDir), "utf8");
    expect(transcript).toContain(`"idempotencyKey":"${params.idempotencyKey}"`);
    expect(transcript).toContain(`"runId":"${ack.runId}"`);
    await fake.waitForRequests(1);
    await first.server.close();

    const second = await env.start({ stateDir: first.stateDir, config: modelConfig(fake) });
    const { client: again } = await env.connect(second);
    const retry = await callChecked(again, "chat.send", params);
    expect(retry).toMatchObject({ runId: ack.runId, deduped: true });
    const history = await callChecked(again, "chat.history", { sessionKey: "agent:main:main" });
    expect(history.messages.filter((message) => message.role === "user")).toHaveLength(1);
    expect(fake.requests).toHaveLength(1);
  });

  it("rebuilds a truncated sessions.json from the transcripts and reports it in gateway.log and logs.tail", async () => {
    const fake = await startFakeModel(env);
    const first = await startWithModel(fake);
    const { client } = await env.connect(first);
    const keys = ["agent:main:alpha", "agent:main:beta", "agent:main:gamma"];
    for (const sessionKey of keys) {
      const ack = await callChecked(client, "chat.send", {
        sessionKey,
        message: "hi",
        idempotencyKey: sessionKey,
      });
      await waitForChatEnd(client, ack.runId);
    }
    await first.server.close();
    await truncate(join(first.stateDir, "agents", "main", "sessions", "sessions.json"), 10);

    const second = await env.start({ stateDir: first.stateDir, config: modelConfig(fake) });
    const { client: again } = await env.connect(second);
    const list = await callChecked(again, "sessions.list", {});
    expect(list.sessions.map((row) => row.key).sort()).toEqual(keys);
    const tail = await callChecked(again, "logs.tail", { limit: 500 });
    const rebuilt = tail.lines.filter((line) => line.includes("sessions.index.rebuilt"));
    expect(rebuilt, tail.lines.join("\n")).toHaveLength(1);
    expect(rebuilt[0]).toContain('"sessions":3');
    expect(await readFile(tail.file, "utf8")).toContain("sessions.index.rebuilt");
  });

  it("refuses chat.send and agent for an agent that is not configured, creating nothing", async () => {
    const gateway = await env.start();
    const { client } = await env.connect(gateway);
    const attempts = [
      client.request("chat.send", {
        sessionKey: "main",
        agentId: "ghost",
        message: "hi",
        idempotencyKey: "a",
      }),
      client.request("chat.send", { sessionKey: "agent:ghost:main", message: "hi", idempotencyKey: "b" }),
      client.request("agent", { agentId: "ghost", message: "hi", idempotencyKey: "c" }),
      client.request("agent", { sessionKey: "agent:ghost:x", message: "hi", idempotencyKey: "d" }),
    ];
    for (const response of await Promise.all(attempts)) {
      expect(response.ok).toBe(false);
      expect(response.error).toMatchObject({
        code: "INVALID_REQUEST",
        details: { code: "AGENT_NOT_FOUND", agentId: "ghost", configured: ["main"] },
      });
      expect(response.error?.message).toContain("agents.create");
    }
    await expect(stat(join(gateway.stateDir, "agents", "ghost"))).rejects.toMatchObject({ code: "ENOENT" });
  });
});

/** The one transcript of the main agent's sessions directory. */
async function transcriptPath(stateDir: string): Promise<string> {
  const dir = join(stateDir, "agents", "main", "sessions");
  const [name] = (await readdir(dir)).filter((file) => file.endsWith(".jsonl"));
  return join(dir, name ?? "missing.jsonl");
}
