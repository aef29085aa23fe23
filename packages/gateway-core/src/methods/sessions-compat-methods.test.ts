import { SessionMessageEventSchema } from "@openclaw/protocol";
import { type FakeModelServer, startFakeModelServer } from "@openclaw/testing";
import { describe, expect, it } from "vitest";
import { type TestGateway, useIntegrationEnv } from "../integration/harness.js";
import { callChecked, type RawClient } from "../integration/raw-client.js";

const env = useIntegrationEnv();
const MAIN = "agent:main:main";

async function fakeModel(): Promise<FakeModelServer> {
  const fake = await startFakeModelServer();
  env.defer(() => fake.close());
  return fake;
}

async function gatewayWithModel(fake: FakeModelServer): Promise<TestGateway> {
  return env.start({
    config: {
      models: {
        providers: {
          fake: {
            baseUrl: fake.baseUrlFor("openai-completions"),
            apiKey: "fake-key",
            api: "openai-completions",
            models: [{ id: "fast", name: "Fast fake", contextWindow: 32_000 }],
          },
        },
      },
      agents: { defaults: { model: { primary: "fake/fast" } } },
    },
  });
}

type Frame = { event?: string; payload?: unknown };
const chatState = (frame: Frame, runId: string) =>
  frame.event === "chat" && (frame.payload as { runId?: string }).runId === runId
    ? (frame.payload as { state?: string }).state
    : undefined;

function waitForChat(client: RawClient, runId: string, state: string): Promise<unknown> {
  return client.waitFor((frame) => chatState(frame, runId) === state, {
    what: `chat ${state} of ${runId}`,
    timeoutMs: 30_000,
  });
}

describe("sessions.send", () => {
  it("runs a turn through chat.send's path: the run is named by the idempotency key and answered", async () => {
    const fake = await fakeModel();
    const gateway = await gatewayWithModel(fake);
    const { client } = await env.connect(gateway);
    const sent = await callChecked(client, "sessions.send", {
      key: MAIN,
      agentId: "main",
      message: "hello from the chat screen",
      idempotencyKey: "send-1",
    });
    expect(sent).toMatchObject({ runId: "send-1", sessionKey: MAIN, status: "started" });
    await waitForChat(client, "send-1", "final");
    const history = await callChecked(client, "chat.history", { sessionKey: MAIN });
    expect(history.messages.map((message) => [message.role, message.content[0]])).toEqual([
      ["user", { type: "text", text: "hello from the chat screen" }],
      ["assistant", { type: "text", text: "You said: hello from the chat screen" }],
    ]);
    // The same key again is the same turn, as for chat.send: nothing runs twice.
    const retried = await client.call("sessions.send", {
      key: MAIN,
      message: "again?",
      idempotencyKey: "send-1",
    });
    expect(retried).toMatchObject({ runId: "send-1", status: "in_flight", deduped: true });
    expect(fake.requests).toHaveLength(1);
  });

  it("refuses a session that does not exist (other than an agent's main session) and an unknown agent", async () => {
    const gateway = await env.start();
    const { client } = await env.connect(gateway);
    const missing = await client.callError("sessions.send", { key: "agent:main:nobody", message: "hi" });
    expect(missing.message).toContain("session not found: agent:main:nobody");
    expect(missing.details).toMatchObject({ code: "SESSION_NOT_FOUND" });
    const ghost = await client.callError("sessions.send", { key: "agent:ghost:main", message: "hi" });
    expect(ghost.message).toContain('no agent "ghost"');
  });
});

describe("sessions.abort", () => {
  it("stops the session's running turn and names it; a second abort finds nothing running", async () => {
    const fake = await fakeModel();
    fake.enqueue({ text: "this answer never ends", hang: true });
    const gateway = await gatewayWithModel(fake);
    const { client } = await env.connect(gateway);
    await callChecked(client, "sessions.send", { key: MAIN, message: "start", idempotencyKey: "long-1" });
    await fake.waitForRequests(1);
    expect(await callChecked(client, "sessions.abort", { key: MAIN })).toEqual({
      ok: true,
      abortedRunId: "long-1",
      status: "aborted",
    });
    await waitForChat(client, "long-1", "aborted");
    expect(await callChecked(client, "sessions.abort", { key: MAIN })).toEqual({
      ok: true,
      abortedRunId: null,
      status: "no-active-run",
    });
    expect(await callChecked(client, "sessions.abort", { runId: "long-1" })).toMatchObject({
      status: "no-active-run",
    });
    const mismatch = await client.callError("sessions.abort", { key: MAIN, agentId: "other" });
    expect(mismatch.message).toContain('belongs to agent "main"');
    expect((await client.callError("sessions.abort", {})).message).toContain("name the session");
  });
});

describe("sessions.get", () => {
  it("answers a session's recent messages as chat.history shows them, and none for an unknown session", async () => {
    const fake = await fakeModel();
    const gateway = await gatewayWithModel(fake);
    const { client } = await env.connect(gateway);
    await callChecked(client, "chat.send", { sessionKey: MAIN, message: "one", idempotencyKey: "get-1" });
    await waitForChat(client, "get-1", "final");
    await callChecked(client, "chat.send", { sessionKey: MAIN, message: "two", idempotencyKey: "get-2" });
    await waitForChat(client, "get-2", "final");
    const all = await callChecked(client, "sessions.get", { key: MAIN });
    const history = await callChecked(client, "chat.history", { sessionKey: MAIN });
    expect(all.messages).toEqual(history.messages);
    expect(all.messages).toHaveLength(4);
    const last = await callChecked(client, "sessions.get", { sessionKey: MAIN, limit: 1 });
    expect(last.messages).toEqual(history.messages.slice(-1));
    expect(last.messages[0]?.__openclaw.seq).toBe(3);
    expect(await callChecked(client, "sessions.get", { key: "agent:main:nobody" })).toEqual({ messages: [] });
  });
});

describe("chat.inject", () => {
  it("writes a labelled note into the transcript without a run and shows it to open chats", async () => {
    const fake = await fakeModel();
    const gateway = await gatewayWithModel(fake);
    const { client } = await env.connect(gateway, { scopes: ["operator.admin"] });
    const { client: follower } = await env.connect(gateway);
    await callChecked(follower, "sessions.messages.subscribe", { key: MAIN });
    await callChecked(client, "chat.send", { sessionKey: MAIN, message: "hi", idempotencyKey: "inj-1" });
    await waitForChat(client, "inj-1", "final");
    const injected = await callChecked(client, "chat.inject", {
      sessionKey: MAIN,
      message: "Deploy finished.",
      label: "ops",
    });
    expect(injected).toEqual({ ok: true, messageId: "entry-2" });
    const shown = (await waitForChat(client, "inject-entry-2", "final")) as {
      payload: { sessionKey: string; message: { content: unknown[]; provider?: string; model?: string } };
    };
    expect(shown.payload).toMatchObject({
      sessionKey: MAIN,
      message: { content: [{ type: "text", text: "[ops]\n\nDeploy finished." }], provider: "openclaw" },
    });
    const history = await callChecked(client, "chat.history", { sessionKey: MAIN });
    expect(history.messages.at(-1)).toMatchObject({
      role: "assistant",
      content: [{ type: "text", text: "[ops]\n\nDeploy finished." }],
      provider: "openclaw",
      model: "gateway-injected",
      __openclaw: { id: "entry-2", seq: 2 },
    });
    // A connection following the session gets the note like any other new message.
    const note = await follower.waitFor(
      (frame) =>
        frame.event === "session.message" &&
        (frame.payload as { messageId?: string }).messageId === "entry-2",
      { what: "the injected note as session.message" },
    );
    expect(SessionMessageEventSchema.parse(note.payload).message).toEqual(history.messages.at(-1));
    // No model was asked.
    expect(fake.requests).toHaveLength(1);
  });

  it("refuses a session that does not exist, and callers without operator.admin", async () => {
    const gateway = await env.start();
    const { client: admin } = await env.connect(gateway, { scopes: ["operator.admin"] });
    const missing = await admin.callError("chat.inject", { sessionKey: "agent:main:nobody", message: "x" });
    expect(missing.message).toContain("session not found");
    const { client: writer } = await env.connect(gateway, { scopes: ["operator.write"] });
    const refused = await writer.callError("chat.inject", { sessionKey: MAIN, message: "x" });
    expect(refused.message).toContain("operator.admin");
  });
});

describe("session.message", () => {
  it("sends each new message of a followed session to its subscribers only, until they unsubscribe", async () => {
    const fake = await fakeModel();
    const gateway = await gatewayWithModel(fake);
    const { client: follower } = await env.connect(gateway);
    const { client: other } = await env.connect(gateway);
    expect(
      await callChecked(follower, "sessions.messages.subscribe", { key: MAIN, agentId: "main" }),
    ).toEqual({
      subscribed: true,
      key: MAIN,
    });
    await callChecked(other, "sessions.messages.subscribe", { key: "agent:main:elsewhere" });
    // As OpenClaw: a connection following every session (sessions.subscribe) gets every session's messages.
    const { client: watcher } = await env.connect(gateway);
    await callChecked(watcher, "sessions.subscribe", {});

    await callChecked(other, "chat.send", { sessionKey: MAIN, message: "ping", idempotencyKey: "msg-1" });
    const messageEvents = () =>
      follower.frames.filter((frame) => frame.event === "session.message").map((frame) => frame.payload);
    await follower.waitFor(
      (frame) =>
        frame.event === "session.message" &&
        (frame.payload as { message?: { role?: string } }).message?.role === "assistant",
      { what: "the answer as session.message", timeoutMs: 30_000 },
    );
    const events = messageEvents().map((payload) => SessionMessageEventSchema.parse(payload));
    expect(events.map((event) => [event.message.role, event.messageSeq, event.messageId])).toEqual([
      ["user", 1, "entry-0"],
      ["assistant", 2, "entry-1"],
    ]);
    expect(events[1]).toMatchObject({ sessionKey: MAIN, agentId: "main", runId: "msg-1" });
    // Each event's message is the row chat.history shows for it.
    const history = await callChecked(follower, "chat.history", { sessionKey: MAIN });
    expect(events.map((event) => event.message)).toEqual(history.messages);
    await watcher.waitFor(
      (frame) =>
        frame.event === "session.message" && (frame.payload as { messageSeq?: number }).messageSeq === 2,
      {
        what: "the answer as session.message to a sessions.subscribe connection",
      },
    );
    // The other connection follows another session only.
    expect(other.frames.some((frame) => frame.event === "session.message")).toBe(false);

    expect(await callChecked(follower, "sessions.messages.unsubscribe", { key: MAIN })).toEqual({
      subscribed: false,
      key: MAIN,
    });
    await callChecked(other, "chat.send", { sessionKey: MAIN, message: "pong", idempotencyKey: "msg-2" });
    await waitForChat(other, "msg-2", "final");
    // The answer's line is durable before its final chat event; a session.message would have been sent by now.
    await callChecked(follower, "chat.history", { sessionKey: MAIN });
    expect(messageEvents()).toHaveLength(2);
  });
});
