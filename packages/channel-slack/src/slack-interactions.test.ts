import { InboundMessageSchema, InboundReactionSchema } from "@openclaw/plugin-sdk";
import { describe, expect, it } from "vitest";
import { useSlackTestAccount } from "./slack-test-account.test-support.js";

const env = useSlackTestAccount();

describe("slack edits, deletes and reactions", () => {
  it("edits a DM reply several times through its IM channel, then deletes it", async () => {
    await env.start();
    const { messageId } = await env.plugin.sendText({ accountId: "default", to: "U0ALICE", text: "draft" });
    await env.plugin.editText?.({ accountId: "default", to: "U0ALICE", messageId, text: "draft **more**" });
    await env.plugin.editText?.({ accountId: "default", to: "U0ALICE", messageId, text: "final" });
    expect(env.fake.message("DU0ALICE", messageId)?.history).toEqual(["draft", "draft *more*", "final"]);
    // The IM channel came from chat.postMessage's answer: no conversations.open was needed.
    expect(env.fake.calls.map((call) => call.method)).not.toContain("conversations.open");
    await env.plugin.deleteMessage?.({ accountId: "default", to: "U0ALICE", messageId });
    expect(env.fake.message("DU0ALICE", messageId)?.deleted).toBe(true);
    await env.plugin.deleteMessage?.({ accountId: "default", to: "U0ALICE", messageId });
  });

  it("reacts with Slack names for unicode emoji, idempotently, and removes", async () => {
    await env.start();
    const { ts } = env.fake.sendChannelMessage({
      channel: "C0TEAM",
      user: "U0ALICE",
      text: "hi",
      appMention: false,
    });
    for (const emoji of ["👀", "✅", "👍", "❤️", "⏳", "eyes"]) {
      await env.plugin.react?.({ accountId: "default", to: "C0TEAM", messageId: ts, emoji });
    }
    await env.plugin.react?.({
      accountId: "default",
      to: "C0TEAM",
      messageId: ts,
      emoji: "👀",
      remove: true,
    });
    await env.plugin.react?.({
      accountId: "default",
      to: "C0TEAM",
      messageId: ts,
      emoji: "👀",
      remove: true,
    });
    expect(env.fake.message("C0TEAM", ts)?.reactions).toEqual([
      "white_check_mark",
      "+1",
      "heart",
      "hourglass_flowing_sand",
    ]);
    await expect(
      env.plugin.react?.({ accountId: "default", to: "C0TEAM", messageId: ts, emoji: "\u{E0001}" }),
    ).rejects.toMatchObject({ code: "SLACK_API_ERROR" });
  });

  it("hands reactions on messages to onReaction, unicode where known, onBotMessage for the bot's posts", async () => {
    await env.start();
    const { messageId } = await env.plugin.sendText({ accountId: "default", to: "C0TEAM", text: "answer" });
    const arrived = env.reactions.next();
    env.fake.sendReaction({ user: "U0ALICE", channel: "C0TEAM", ts: messageId, reaction: "+1::skin-tone-3" });
    const added = await arrived;
    expect(InboundReactionSchema.safeParse(added).success).toBe(true);
    expect(added).toMatchObject({
      channel: "slack",
      chatKind: "group",
      chatId: "C0TEAM",
      peer: { id: "C0TEAM", name: "#team" },
      sender: { id: "U0ALICE", name: "alice" },
      messageId,
      onBotMessage: true,
      emoji: "👍",
      removed: false,
    });
    const removed = env.reactions.next();
    const { ts } = env.fake.sendDirectMessage({ user: "U0ALICE", text: "mine" });
    env.fake.sendReaction({
      user: "U0ALICE",
      channel: "DU0ALICE",
      ts,
      reaction: "partyparrot",
      removed: true,
    });
    expect(await removed).toMatchObject({
      chatKind: "dm",
      peer: { id: "U0ALICE" },
      onBotMessage: false,
      emoji: "partyparrot",
      removed: true,
    });
  });
});

describe("slack slash commands", () => {
  const commands = [
    { name: "new", description: "Start a new session" },
    { name: "status", description: "Show status" },
    { name: "model", description: "Set the model", args: "<model>" },
  ];

  it("acks at once and hands the invocation over as /<name> <args>, nativeCommand, in its chat", async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    await env.start({
      commands,
      onInbound: async (message) => {
        env.inbound.push(message);
        await gate;
      },
    });
    const arrived = env.inbound.next();
    const { envelopeId, triggerId } = env.fake.sendSlashCommand({
      command: "/model",
      text: " gpt-5 ",
      user: "U0ALICE",
      channel: "C0TEAM",
    });
    // The ack does not wait for the gateway (the gate is still closed).
    await env.fake.waitForAck(envelopeId);
    const message = await arrived;
    release();
    expect(InboundMessageSchema.safeParse(message).success).toBe(true);
    expect(message).toMatchObject({
      chatKind: "group",
      chatId: "C0TEAM",
      peer: { id: "C0TEAM", name: "#team" },
      sender: { id: "U0ALICE", name: "alice", username: "alice" },
      text: "/model gpt-5",
      mentionsBot: true,
      nativeCommand: true,
      platformMessageId: triggerId,
    });
  });

  it("acks a command the gateway did not hand over with a hint only the user sees", async () => {
    await env.start({ commands });
    const { envelopeId } = env.fake.sendSlashCommand({
      command: "/deploy",
      user: "U0ALICE",
      channel: "C0TEAM",
    });
    await env.fake.waitForAck(envelopeId);
    expect(env.fake.ackPayload(envelopeId)).toEqual({
      response_type: "ephemeral",
      text: "/deploy is not one of this gateway's commands: /new /agentstatus /model",
    });
    expect(env.inbound.items).toEqual([]);
  });

  it("takes a slash command in HTTP mode from Slack's signed form", async () => {
    await env.start({ commands }, { mode: "http", signingSecret: env.fake.signingSecret, http: { port: 0 } });
    const url = `http://127.0.0.1:${env.handle?.httpAddress?.port}/slack/events`;
    const arrived = env.inbound.next();
    const body = env.fake.slashCommandBody({ command: "/new", text: "", user: "U0ALICE", channel: "C0TEAM" });
    const response = await env.fake.postEvent(url, body, { form: true });
    expect(response.status).toBe(200);
    expect(await arrived).toMatchObject({
      chatKind: "group",
      chatId: "C0TEAM",
      text: "/new",
      nativeCommand: true,
    });
    const forged = await env.fake.postEvent(url, body, { form: true, signingSecret: "wrong" });
    expect(forged.status).toBe(401);
  });

  it("registers /status as Slack's /agentstatus and answers in the DM it ran in", async () => {
    await env.start({ commands });
    const arrived = env.inbound.next();
    env.fake.sendSlashCommand({ command: "/agentstatus", user: "U0ALICE" });
    expect(await arrived).toMatchObject({ chatKind: "dm", peer: { id: "U0ALICE" }, text: "/status" });
    // The DM's channel was learned from the command: an edit of the reply needs no conversations.open.
    const { messageId } = await env.plugin.sendText({ accountId: "default", to: "U0ALICE", text: "ok" });
    await env.plugin.editText?.({ accountId: "default", to: "U0ALICE", messageId, text: "ok!" });
    expect(env.fake.calls.map((call) => call.method)).not.toContain("conversations.open");
  });
});

describe("slack socket health", () => {
  it("keeps one Socket Mode connection across its pings (socket-mode needs undici 7 for them)", async () => {
    await env.start();
    await env.fake.waitForClientPings(2, 20_000);
    expect(env.fake.connectionCount).toBe(1);
    expect(env.logged.join("\n")).not.toContain("Failed to send ping");
  });
});
