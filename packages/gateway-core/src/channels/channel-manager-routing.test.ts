import type { InboundMessage } from "@openclaw/plugin-sdk";
import { describe, expect, it } from "vitest";
import { PAIRING_APPROVED_TEXT } from "./channel-manager.js";
import {
  chat,
  config,
  createManager,
  dm,
  events,
  type FakeBehaviour,
  fakeChannel,
  groupMessage,
  inject,
  logs,
  pairing,
  sends,
} from "./channel-manager.test-support.js";
import { pairingReplyText } from "./inbound-router.js";
import { PluginRegistry } from "./plugin-registry.js";

describe("ChannelManager inbound routing", () => {
  async function running(channelConfig: Record<string, unknown>, behaviour: FakeBehaviour = {}) {
    const registry = new PluginRegistry();
    const alpha = fakeChannel("alpha", events, behaviour);
    registry.registerChannel(alpha.plugin);
    config.channels = { alpha: channelConfig };
    const manager = createManager(registry);
    await manager.start();
    return { alpha, manager };
  }

  it("pairs an unknown sender: a code goes back once, nothing reaches the agent until the owner approves", async () => {
    const { alpha, manager } = await running({});
    inject(alpha, dm("alpha", "42", "hello"));
    inject(alpha, dm("alpha", "42", "hello again"));
    await manager.idle();
    expect(chat.requests.list).toEqual([]);
    const [reply, ...more] = sends();
    expect(more).toEqual([]);
    const [pending] = pairing.list("alpha");
    expect(pending).toMatchObject({ senderId: "42", senderName: "User 42" });
    expect(reply).toMatchObject({ to: "42", text: pairingReplyText("alpha", pending?.code ?? "") });
    expect(reply?.text).toBe(
      `Pairing code: ${pending?.code}\nAsk the owner to approve it: openclaw pairing approve alpha ${pending?.code}`,
    );

    pairing.approve("alpha", pending?.code ?? "");
    inject(alpha, dm("alpha", "42", "let me in"));
    await manager.idle();
    expect(chat.requests.list).toEqual([
      expect.objectContaining({
        sessionKey: "agent:main:alpha:direct:42",
        message: "let me in",
        agentId: "main",
      }),
    ]);
    expect(sends().at(-1)).toMatchObject({ to: "42", text: "echo: let me in", replyTo: "in-42-9" });
    const [account] = (await manager.status()).channelAccounts.alpha ?? [];
    expect(account?.lastInboundAt).toEqual(expect.any(Number));
    expect(account?.lastOutboundAt).toEqual(expect.any(Number));
  });

  it("answers a group only when mentioned, prefixing the sender's name, in the group's own session", async () => {
    const { alpha, manager } = await running({ groups: { "*": { requireMention: true } } });
    inject(alpha, groupMessage("alpha", { text: "chatter", mentionsBot: false }));
    await manager.idle();
    expect(chat.requests.list).toEqual([]);
    expect(sends()).toEqual([]);
    inject(alpha, groupMessage("alpha", { text: "@bot status?", mentionsBot: true, threadId: "9" }));
    await manager.idle();
    expect(chat.requests.list).toEqual([
      expect.objectContaining({
        sessionKey: "agent:main:alpha:group:-100:thread:9",
        message: "[Ann]: @bot status?",
      }),
    ]);
    expect(sends()).toEqual([
      { accountId: "default", to: "-100", threadId: "9", replyTo: "g-12", text: "echo: [Ann]: @bot status?" },
    ]);
  });

  it("sends a long answer in ordered chunks within the platform limit, the first as a reply", async () => {
    const { alpha, manager } = await running({ dmPolicy: "open", allowFrom: ["*"] }, { maxTextLength: 40 });
    const paragraphs = ["First paragraph is here.", "Second paragraph follows it.", "Third and last one."];
    chat.autoReply = () => ({ text: paragraphs.join("\n\n") });
    inject(alpha, dm("alpha", "5", "tell me"));
    await manager.idle();
    const sent = sends();
    expect(sent.map((s) => s.text)).toEqual(paragraphs);
    expect(sent.every((s) => s.text.length <= 40)).toBe(true);
    expect(sent.map((s) => s.replyTo)).toEqual(["in-5-7", undefined, undefined]);
  });

  it("keeps the typing indicator going while the agent runs and stops it before the answer", async () => {
    const { alpha, manager } = await running({ dmPolicy: "open", allowFrom: ["*"] });
    chat.autoReply = undefined;
    inject(alpha, dm("alpha", "5", "slow question"));
    await events.waitFor((all) => all.filter((e) => e.kind === "typing").length >= 3, "typing indicators");
    chat.finish("run-1", { text: "done thinking" }, "agent:main:alpha:direct:5");
    await manager.idle();
    const kinds = events.list.map((e) => e.kind);
    const firstSend = kinds.indexOf("send");
    expect(firstSend).toBeGreaterThan(kinds.lastIndexOf("typing"));
    expect(events.list.find((e) => e.kind === "typing")).toEqual({
      kind: "typing",
      channel: "alpha",
      to: "5",
    });
  });

  it("handles one chat's messages in order without holding other chats", async () => {
    const { alpha, manager } = await running({ dmPolicy: "open", allowFrom: ["*"] });
    chat.autoReply = undefined;
    inject(alpha, dm("alpha", "1", "first"));
    inject(alpha, dm("alpha", "1", "second"));
    inject(alpha, dm("alpha", "2", "other chat"));
    await chat.requests.waitFor((all) => all.length === 2, "two chats running");
    expect(chat.requests.list.map((r) => r.message)).toEqual(["first", "other chat"]);
    chat.finish("run-1", { text: "answer 1" });
    await chat.requests.waitFor((all) => all.length === 3, "the second message of chat 1");
    expect(chat.requests.list[2]?.message).toBe("second");
    chat.finish("run-2", { text: "answer other" });
    chat.finish("run-3", { text: "answer 2" });
    await manager.idle();
    expect(
      sends()
        .filter((s) => s.to === "1")
        .map((s) => s.text),
    ).toEqual(["answer 1", "answer 2"]);
  });

  it("apologises for a failed run without leaking credentials, and stays quiet for an aborted one", async () => {
    const { alpha, manager } = await running({ dmPolicy: "open", allowFrom: ["*"] });
    chat.autoReply = () => ({
      status: "error",
      error: { code: "PROVIDER", message: "401 from provider: invalid key sk-abcdefghijklmnop1234" },
    });
    inject(alpha, dm("alpha", "5", "hi"));
    await manager.idle();
    chat.autoReply = () => ({ status: "aborted", text: "partial" });
    inject(alpha, dm("alpha", "5", "hi again"));
    await manager.idle();
    expect(sends().map((s) => s.text)).toEqual([
      "Sorry, I could not answer that: 401 from provider: invalid key [redacted]",
    ]);
  });

  it("drops an invalid or foreign message and counts a failed reply as a crash", async () => {
    const { alpha, manager } = await running({ dmPolicy: "open", allowFrom: ["*"] });
    inject(alpha, { ...dm("alpha", "5", "x"), chatKind: "group" } as InboundMessage);
    inject(alpha, dm("other", "5", "wrong channel"));
    await manager.idle();
    expect(chat.requests.list).toEqual([]);
    expect(logs.filter((r) => r.msg.startsWith("inbound message dropped")).length).toBe(2);

    alpha.behaviour.failSend = true;
    inject(alpha, dm("alpha", "5", "reply fails"));
    await events.waitFor((all) => all.filter((e) => e.kind === "start").length === 2, "the restart");
    const [account] = (await manager.status()).channelAccounts.alpha ?? [];
    expect(account?.reconnectAttempts).toBeGreaterThanOrEqual(1);
    expect(
      logs.some(
        (r) =>
          r.msg === "channel account failed; restarting after backoff" &&
          r.error === "platform rejected the message",
      ),
    ).toBe(true);
  });

  it("does not restart an account for a gateway-side failure", async () => {
    const registry = new PluginRegistry();
    // "dm" is a session-key marker, so the sessions package refuses to build a key for this channel's DMs.
    const clash = fakeChannel("dm", events);
    registry.registerChannel(clash.plugin);
    config.channels = { dm: { dmPolicy: "open", allowFrom: ["*"] } };
    const manager = createManager(registry);
    await manager.start();
    inject(clash, dm("dm", "5", "hello"));
    await manager.idle();
    expect(chat.requests.list).toEqual([]);
    expect(logs.some((r) => r.msg === "inbound message failed" && String(r.error).includes("collides"))).toBe(
      true,
    );
    expect(clash.starts).toBe(1);
    expect((await manager.status()).channelAccounts.dm?.[0]).toMatchObject({
      running: true,
      reconnectAttempts: 0,
    });
  });

  it("routes by bindings and the default agent", async () => {
    const registry = new PluginRegistry();
    const alpha = fakeChannel("alpha", events);
    registry.registerChannel(alpha.plugin);
    config.channels = { alpha: { dmPolicy: "open", allowFrom: ["*"] } };
    config.bindings = [
      { agentId: "support", match: { channel: "alpha" } },
      { agentId: "vip", match: { channel: "alpha", peer: { kind: "direct", id: "9" } } },
    ];
    const manager = createManager(registry, { defaultAgentId: () => "ops" });
    await manager.start();
    inject(alpha, dm("alpha", "9", "vip here"));
    inject(alpha, dm("alpha", "3", "regular"));
    await manager.idle();
    expect(chat.requests.list.map((r) => [r.agentId, r.sessionKey])).toEqual([
      ["vip", "agent:vip:alpha:direct:9"],
      ["support", "agent:support:alpha:direct:3"],
    ]);
    config.bindings = undefined;
    inject(alpha, dm("alpha", "3", "after"));
    await manager.idle();
    expect(chat.requests.list.at(-1)?.agentId).toBe("ops");
    // A condition the gateway cannot evaluate never counts as met: the binding matches nothing (and is reported).
    config.bindings = [{ agentId: "team-bot", match: { channel: "alpha", teamId: "T1" } }];
    inject(alpha, dm("alpha", "3", "team?"));
    await manager.idle();
    expect(chat.requests.list.at(-1)?.agentId).toBe("ops");
  });
});

describe("ChannelManager and the configured agents", () => {
  it("starts no turn for a binding to an agent that is not configured, and apologises in the chat", async () => {
    const registry = new PluginRegistry();
    const alpha = fakeChannel("alpha", events);
    registry.registerChannel(alpha.plugin);
    config.channels = { alpha: { dmPolicy: "open", allowFrom: ["*"] } };
    config.bindings = [{ agentId: "ghost", match: { channel: "alpha" } }];
    const manager = createManager(registry, { agents: () => ({ ids: ["main", "Support"] }) });
    await manager.start();
    inject(alpha, dm("alpha", "3", "anyone there?"));
    await manager.idle();
    expect(chat.requests.list).toEqual([]);
    expect(sends("alpha").map((s) => s.text)).toEqual([expect.stringContaining("not set up")]);
    config.bindings = [{ agentId: "support", match: { channel: "alpha" } }];
    inject(alpha, dm("alpha", "3", "and now?"));
    await manager.idle();
    expect(chat.requests.list.map((r) => r.agentId)).toEqual(["support"]);
  });
});

describe("ChannelManager.send", () => {
  it("chunks and sends to a running account, and refuses a stopped one", async () => {
    const registry = new PluginRegistry();
    const alpha = fakeChannel("alpha", events, { maxTextLength: 10 });
    registry.registerChannel(alpha.plugin);
    config.channels = { alpha: {} };
    const manager = createManager(registry);
    await manager.start();
    const result = await manager.send({
      channel: "alpha",
      to: "42",
      message: "one two three four",
      threadId: "t",
    });
    expect(result.messageIds).toHaveLength(sends().length);
    expect(
      sends()
        .map((s) => s.text)
        .join(" "),
    ).toBe("one two three four");
    expect(sends().every((s) => s.to === "42" && s.threadId === "t" && s.text.length <= 10)).toBe(true);
    await manager.stopChannel("alpha");
    await expect(manager.send({ channel: "alpha", to: "42", message: "hi" })).rejects.toMatchObject({
      code: "CHANNEL_NOT_RUNNING",
      message: expect.stringContaining("openclaw channels start alpha"),
    });
  });

  it("uses the only running channel, replies to a message, and deduplicates by idempotency key", async () => {
    const registry = new PluginRegistry();
    const alpha = fakeChannel("alpha", events);
    registry.registerChannel(alpha.plugin);
    config.channels = { alpha: {} };
    const manager = createManager(registry);
    await manager.start();
    const first = await manager.send({ to: "42", message: "hello", replyToId: "in-1", idempotencyKey: "k1" });
    const again = await manager.send({ to: "42", message: "hello", replyToId: "in-1", idempotencyKey: "k1" });
    expect(first).toEqual({ channel: "alpha", accountId: "default", to: "42", messageIds: ["out-1"] });
    expect(again).toEqual({ ...first, deduped: true });
    expect(sends()).toEqual([{ accountId: "default", to: "42", text: "hello", replyTo: "in-1" }]);
  });
});

describe("ChannelManager.approvePairing", () => {
  it("approves a code for its account and notifies the sender when asked", async () => {
    const registry = new PluginRegistry();
    const alpha = fakeChannel("alpha", events);
    registry.registerChannel(alpha.plugin);
    config.channels = { alpha: {} };
    const manager = createManager(registry);
    await manager.start();
    const first = pairing.request({ channel: "alpha", accountId: "default", senderId: "42" }).code ?? "";
    await expect(
      manager.approvePairing({ channel: "alpha", code: first, accountId: "other" }),
    ).rejects.toMatchObject({
      code: "PAIRING_CODE_UNKNOWN",
      message: expect.stringContaining('belongs to alpha account "default"'),
    });
    expect(
      await manager.approvePairing({ channel: "alpha", code: first.toLowerCase(), notify: true }),
    ).toEqual({
      code: first,
      channel: "alpha",
      accountId: "default",
      senderId: "42",
      notification: "sent",
    });
    expect(sends()).toEqual([{ accountId: "default", to: "42", text: PAIRING_APPROVED_TEXT }]);
    await expect(manager.approvePairing({ channel: "alpha", code: first })).rejects.toMatchObject({
      code: "PAIRING_CODE_UNKNOWN",
    });
  });
});
