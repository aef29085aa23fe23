import { describe, expect, it } from "vitest";
import { PluginRegistry } from "../channels/index.js";
import { openClawMessageText } from "../chat/openclaw-history-message.js";
import {
  callChecked,
  configWithFakeModel,
  type RawClient,
  startFakeModel,
  useIntegrationEnv,
  type WireFrame,
} from "./harness.js";
import { eventually, type MemoryChannel, memoryChannel } from "./memory-channel.test-support.js";

const env = useIntegrationEnv();
const MAIN = "agent:main:main";

async function start(o: { channel?: Record<string, unknown>; commands?: Record<string, unknown> } = {}) {
  const fake = await startFakeModel(env);
  const channel = memoryChannel();
  const plugins = new PluginRegistry();
  plugins.registerChannel(channel.plugin);
  const gateway = await env.start({
    plugins,
    config: {
      ...configWithFakeModel(fake, {
        models: [
          { id: "fast", name: "Fast fake", contextWindow: 32_000 },
          { id: "backup", name: "Backup fake", contextWindow: 32_000 },
          { id: "deep", name: "Deep fake", contextWindow: 32_000, reasoning: true },
        ],
      }),
      channels: { memchat: { dmPolicy: "open", allowFrom: ["*"], ...o.channel } },
      ...(o.commands ? { commands: o.commands } : {}),
    },
  });
  await eventually(() => safeContext(channel), "the memchat account to start");
  return { fake, channel, gateway, runtime: gateway.server.runtime };
}

function safeContext(channel: MemoryChannel): boolean {
  try {
    channel.context();
    return true;
  } catch {
    return false;
  }
}

function chatEvent(client: RawClient, match: (payload: Record<string, unknown>) => boolean, what: string) {
  return client.waitFor(
    (frame: WireFrame) => frame.event === "chat" && match(frame.payload as Record<string, unknown>),
    { what, timeoutMs: 15_000 },
  );
}

describe("in-chat commands on a channel", () => {
  it("/stop aborts the running answer at once, while /status reports it running", async () => {
    const { fake, channel, runtime } = await start();
    const chunks = Array.from({ length: 100 }, (_, index) => `word${index} `);
    fake.enqueue({ chunks, chunkDelayMs: 100 });
    const streamed: { runId: string; delta: string }[] = [];
    const stopListening = runtime.chat.agent.on((event) => {
      if (event.stream === "assistant" && typeof event.data.delta === "string") {
        streamed.push({ runId: event.runId, delta: event.data.delta });
      }
    });
    env.defer(stopListening);

    channel.deliver({ text: "tell me a very long story" });
    await eventually(() => streamed.length > 0, "the first streamed words");
    channel.deliver({ text: "/status" });
    await eventually(
      () => channel.texts().some((text) => text.includes("Run: running")),
      "the /status reply",
    );
    channel.deliver({ text: "/stop" });
    await eventually(() => channel.texts().includes("⚙️ Stopped."), "the /stop reply");
    const result = await runtime.chat.runResult(streamed[0]?.runId ?? "");
    expect(result?.status).toBe("aborted");
    await runtime.channels.idle();

    // The aborted story is never delivered, and nothing of the commands reached the model.
    expect(streamed.length).toBeLessThan(chunks.length);
    expect(channel.texts().some((text) => text.includes("word99"))).toBe(false);
    expect(fake.requests).toHaveLength(1);
    channel.deliver({ text: "/stop" });
    await eventually(
      () => channel.texts().some((text) => text.startsWith("⚙️ Nothing to stop")),
      "the second /stop reply",
    );
  });

  it("/new starts a fresh session: a new session id and a history without the earlier turn", async () => {
    const { fake, channel, runtime } = await start();
    channel.deliver({ text: "remember the word avocado" });
    await eventually(() => channel.texts().some((text) => text.includes("avocado")), "the first answer");
    const before = await runtime.sessions.get(MAIN);

    channel.deliver({ text: "/new" });
    await eventually(() => channel.texts().includes("✅ New session started."), "the /new reply");
    const after = await runtime.sessions.get(MAIN);
    expect(after?.sessionId).toBeDefined();
    expect(after?.sessionId).not.toBe(before?.sessionId);

    channel.deliver({ text: "what was the word?" });
    const [, second] = await fake.waitForRequests(2);
    expect(JSON.stringify(second?.body)).not.toContain("avocado");
    expect(fake.requests).toHaveLength(2);
  });

  it("/new with text: a model then a message, or just a message, run in the fresh session", async () => {
    const { fake, channel, runtime } = await start();
    channel.deliver({ text: "/new fake/backup tell me a joke" });
    await eventually(() => channel.texts().includes("You said: tell me a joke"), "the joke's answer");
    expect(channel.texts()[0]).toBe("✅ New session started on fake/backup.");
    expect(fake.requests.map((request) => request.model)).toEqual(["backup"]);
    expect((await runtime.sessions.get(MAIN))?.model).toBe("fake/backup");

    channel.deliver({ text: "/new hello there" });
    await eventually(() => channel.texts().includes("You said: hello there"), "the greeting's answer");
    expect(channel.texts().filter((text) => text === "✅ New session started.")).toHaveLength(1);
    expect(JSON.stringify(fake.requests[1]?.body)).not.toContain("joke");
  });

  it("/model, /think and /help change and show the session's settings; an unknown /word is a message", async () => {
    const { fake, channel, runtime } = await start();
    const reply = async (text: string) => {
      const count = channel.sent.length;
      channel.deliver({ text });
      await eventually(() => channel.sent.length > count, `the reply to ${text}`);
      return channel.texts().slice(count).join("\n");
    };

    expect(await reply("/model fake/backup")).toBe("Model set to fake/backup for this session.");
    expect(await reply("/think: High")).toBe(
      "Thinking level set to high, but the current model (fake/backup) does not reason, so its answers stay as they are; the level applies once this session uses a reasoning model.",
    );
    expect(await reply("/think loud")).toContain('Invalid thinking level "loud"');
    expect(await reply("/model")).toContain("Current model: fake/backup (set for this session)");
    expect(await reply("/model nothing-like-this")).toContain(
      'No configured model matches "nothing-like-this"',
    );
    const row = await runtime.sessions.get(MAIN);
    expect(row?.model).toBe("fake/backup");
    expect(row?.thinkingLevel).toBe("high");
    expect(await reply("/help")).toMatch(/\/stop: .*\n[\s\S]*\/think <level\|default>/);
    expect(fake.requests).toHaveLength(0);

    // The session's runs use the model it is pinned to, until /model default.
    expect(await reply("which model is this?")).toBe("You said: which model is this?");
    expect(fake.requests.map((request) => request.model)).toEqual(["backup"]);
    expect(await reply("/model default")).toBe("Model reset to the configured default (fake/fast).");
    expect(await reply("/frobnicate the widget")).toBe("You said: /frobnicate the widget");
    expect(fake.requests.map((request) => request.model)).toEqual(["backup", "fast"]);
    expect(fake.requests.map((request) => request.body.reasoning_effort)).toEqual([undefined, undefined]);

    // On a model that reasons, the session's level reaches the provider.
    expect(await reply("/model fake/deep")).toBe("Model set to fake/deep for this session.");
    expect(await reply("/think high")).toBe("Thinking level set to high.");
    expect(await reply("think hard")).toBe("You said: think hard");
    expect(fake.requests[2]).toMatchObject({ model: "deep", body: { reasoning_effort: "high" } });
  });

  it("in a group only senders on its sender list run commands, and they need no mention", async () => {
    const { fake, channel, runtime } = await start({
      channel: { groupPolicy: "open", groupAllowFrom: ["boss"] },
    });
    const group = (senderId: string, text: string, mentionsBot: boolean) =>
      channel.deliver({
        text,
        mentionsBot,
        chatKind: "group",
        chatId: "team",
        peer: { id: "team", name: "Team" },
        sender: { id: senderId, name: senderId },
      });

    group("stranger", "/status", false);
    group("stranger", "/new", true);
    group("boss", "/status", false);
    await eventually(() => channel.sent.length >= 1, "the boss's /status reply");
    await runtime.channels.idle();
    expect(channel.sent).toHaveLength(1);
    expect(channel.sent[0]?.to).toBe("team");
    expect(channel.sent[0]?.text).toContain("Session: agent:main:memchat:group:team");
    // A setting command from someone who may not run commands is plain text for the agent.
    group("stranger", "/think high", true);
    await eventually(() => channel.sent.length >= 2, "the answer to the stranger's /think");
    expect(fake.requests).toHaveLength(1);
    expect(channel.sent[1]?.text).toContain("/think high");
  });

  it("gives the account the native command list unless commands.native turns it off", async () => {
    const on = await start({ commands: { native: true } });
    expect(on.channel.context().commands?.map((command) => command.name)).toEqual([
      "new",
      "reset",
      "stop",
      "status",
      "model",
      "think",
      "help",
    ]);
    expect(on.channel.context().commands?.find((command) => command.name === "new")?.args).toBe("[model]");
    const off = await start({ commands: { native: true }, channel: { commands: { native: false } } });
    expect(off.channel.context().commands).toBeUndefined();
  });

  it("refuses commands other than /new and /reset to a non-owner when commands.ownerAllowFrom is set", async () => {
    const { channel } = await start({ commands: { ownerAllowFrom: ["memchat:owner"] } });
    channel.deliver({ text: "/status" });
    await eventually(() => channel.sent.length >= 1, "the refusal");
    expect(channel.texts()[0]).toBe(
      'Only the owner may use /status here. To allow it, add "memchat:u1" to commands.ownerAllowFrom in openclaw.json.',
    );
    channel.deliver({ text: "/reset" });
    await eventually(() => channel.texts().includes("✅ Session reset."), "the /reset reply");
  });
});

describe("reactions", () => {
  it("a reaction on the bot's message becomes a system note the agent reads with its next turn", async () => {
    const { fake, channel, runtime } = await start();
    channel.react({ emoji: "🤷", messageId: "user-msg", onBotMessage: false });
    channel.react({ emoji: "👍", messageId: "bot-1" });
    await eventually(() => runtime.channels.lastRouteOf(MAIN) === undefined, "nothing routed");
    await runtime.channels.idle();
    const notes = (await runtime.sessions.readTranscript(MAIN)).filter((entry) => entry.role === "system");
    expect(notes.map((note) => note.text)).toEqual([
      "MemChat reaction added: 👍 by Ann (@ann) on your message bot-1",
    ]);
    expect(fake.requests).toHaveLength(0);

    channel.deliver({ text: "did anyone react?" });
    const [request] = await fake.waitForRequests(1);
    expect(JSON.stringify(request?.body)).toContain("MemChat reaction added: 👍 by Ann (@ann)");
  });

  it("reactionNotifications off keeps reactions away from the agent", async () => {
    const { channel, runtime } = await start({ channel: { reactionNotifications: "off" } });
    channel.react({ emoji: "👍", messageId: "bot-1" });
    await runtime.channels.idle();
    expect(await runtime.sessions.readTranscript(MAIN)).toEqual([]);
  });
});

describe("commands typed in the Control UI chat", () => {
  it("runs the command for the session and answers with a chat final, without a model call", async () => {
    const { fake, gateway, runtime } = await start();
    const { client } = await env.connect(gateway);

    const ack = await callChecked(client, "chat.send", {
      sessionKey: MAIN,
      message: "/think medium",
      idempotencyKey: "ui-think",
    });
    expect(ack.status).toBe("started");
    const final = await chatEvent(
      client,
      (payload) => payload.runId === ack.runId && payload.state === "final",
      "the command's final",
    );
    expect(openClawMessageText((final.payload as { message: { content: unknown } }).message)).toMatch(
      /^Thinking level set to medium, but the current model \(fake\/fast\) does not reason/,
    );
    expect((await runtime.sessions.get(MAIN))?.thinkingLevel).toBe("medium");

    const retried = await callChecked(client, "chat.send", {
      sessionKey: MAIN,
      message: "/think medium",
      idempotencyKey: "ui-think",
    });
    expect(retried).toMatchObject({ runId: ack.runId, deduped: true });

    const status = await callChecked(client, "chat.send", {
      sessionKey: MAIN,
      message: "/status",
      idempotencyKey: "ui-status",
    });
    const statusFinal = await chatEvent(
      client,
      (payload) => payload.runId === status.runId && payload.state === "final",
      "the /status final",
    );
    expect(openClawMessageText((statusFinal.payload as { message: { content: unknown } }).message)).toContain(
      "Model: fake/fast",
    );
    expect(fake.requests).toHaveLength(0);

    const plain = await callChecked(client, "chat.send", {
      sessionKey: MAIN,
      message: "/not-a-command here",
      idempotencyKey: "ui-plain",
    });
    const plainFinal = await chatEvent(
      client,
      (payload) => payload.runId === plain.runId && payload.state === "final",
      "the model's answer",
    );
    expect(openClawMessageText((plainFinal.payload as { message: { content: unknown } }).message)).toBe(
      "You said: /not-a-command here",
    );
  });

  it("chat.send's thinking overrides the session's level for that turn, on a model that reasons", async () => {
    const { fake, gateway, runtime } = await start();
    const { client } = await env.connect(gateway);
    await runtime.sessions.patch(MAIN, { model: "fake/deep", thinkingLevel: "high" });

    const send = async (idempotencyKey: string, extra: Record<string, unknown>) => {
      const ack = await callChecked(client, "chat.send", {
        sessionKey: MAIN,
        message: "hi",
        idempotencyKey,
        ...extra,
      });
      await chatEvent(
        client,
        (payload) => payload.runId === ack.runId && payload.state === "final",
        "the answer",
      );
    };
    await send("with-param", { thinking: "low" });
    await send("without-param", {});
    expect(fake.requests.map((request) => request.body.reasoning_effort)).toEqual(["low", "high"]);
  });
});
