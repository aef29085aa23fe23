import { describe, expect, it } from "vitest";
import { ackApplies, resolveAckReaction } from "./ack-reaction.js";
import { ReplyDelivery } from "./reply-delivery.js";
import { inboundMessage, memoryAccount, memoryPlatform, scriptedRun } from "./reply-delivery.test-support.js";

const groupMention = inboundMessage({
  chatKind: "group",
  chatId: "g1",
  peer: { id: "g1" },
  mentionsBot: true,
});
const groupAmbient = { ...groupMention, mentionsBot: false };
const direct = inboundMessage();

async function answer(o: {
  messages?: unknown;
  accountConfig?: Record<string, unknown>;
  message?: ReturnType<typeof inboundMessage>;
  failing?: { react?: boolean };
  reactions?: boolean;
}) {
  const platform = memoryPlatform({
    failing: o.failing ?? {},
    capabilities: { reactions: o.reactions ?? true },
  });
  const { account, logs } = memoryAccount(platform.plugin, o.accountConfig ?? {});
  const run = scriptedRun();
  const replies = new ReplyDelivery({ now: Date.now, messagesConfig: () => o.messages });
  const delivering = replies.deliver(account, o.message ?? groupMention, run.turn);
  run.delta("Done.");
  run.end();
  await delivering;
  return { platform, logs };
}

describe("ack reactions", () => {
  it("scopes follow OpenClaw: group-mentions by default, no DMs", () => {
    expect(ackApplies("group-mentions", groupMention)).toBe(true);
    expect(ackApplies("group-mentions", groupAmbient)).toBe(false);
    expect(ackApplies("group-mentions", direct)).toBe(false);
    expect(ackApplies("group-all", groupAmbient)).toBe(true);
    expect(ackApplies("group-all", direct)).toBe(false);
    expect(ackApplies("direct", direct)).toBe(true);
    expect(ackApplies("direct", groupMention)).toBe(false);
    expect(ackApplies("all", direct)).toBe(true);
    expect(ackApplies("off", groupMention)).toBe(false);
    expect(ackApplies("none", groupMention)).toBe(false);
  });

  it("the emoji comes from the account, then the channel (merged into the account config), then messages", () => {
    expect(resolveAckReaction(undefined, {})).toEqual({
      emoji: "👀",
      scope: "group-mentions",
      removeAfterReply: false,
    });
    expect(resolveAckReaction({ ackReaction: "✅", ackReactionScope: "all" }, {}).emoji).toBe("✅");
    expect(resolveAckReaction({ ackReaction: "✅" }, { ackReaction: "" }).emoji).toBe("");
    expect(resolveAckReaction({ ackReactionScope: "sometimes" }, {}).scope).toBe("group-mentions");
  });

  it("reacts on a mentioned group message when it is picked up and keeps the reaction by default", async () => {
    const { platform } = await answer({});
    const calls = platform.calls.filter((call) => call.op === "react" || call.op === "send");
    expect(calls.map((call) => call.op)).toEqual(["react", "send"]);
    expect(platform.of("react")).toMatchObject([{ messageId: "in-1", emoji: "👀", remove: false }]);
  });

  it("removeAckAfterReply takes the reaction off once the answer is out", async () => {
    const { platform } = await answer({ messages: { ackReaction: "🤔", removeAckAfterReply: true } });
    const ops = platform.calls
      .filter((call) => call.op !== "typing")
      .map((call) => (call.op === "react" ? `react:${call.emoji}:${call.remove}` : call.op));
    expect(ops).toEqual(["react:🤔:false", "send", "react:🤔:true"]);
  });

  it("a DM gets no reaction under the default scope, and one with scope direct", async () => {
    expect((await answer({ message: direct })).platform.of("react")).toEqual([]);
    const scoped = await answer({ message: direct, messages: { ackReactionScope: "direct" } });
    expect(scoped.platform.of("react")).toHaveLength(1);
  });

  it("a failed reaction is logged and the reply still goes out", async () => {
    const { platform, logs } = await answer({
      failing: { react: true },
      messages: { removeAckAfterReply: true },
    });
    expect(platform.of("send").map((call) => call.text)).toEqual(["Done."]);
    expect(logs.some((record) => record.msg === "ack reaction failed" && record.level === "warn")).toBe(true);
  });

  it("a platform without reactions is not asked", async () => {
    const { platform } = await answer({ reactions: false, messages: { ackReactionScope: "all" } });
    expect(platform.of("react")).toEqual([]);
  });
});
