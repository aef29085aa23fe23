import { describe, expect, it } from "vitest";
import { useIntegrationEnv } from "../integration/harness.js";
import { eventually } from "../integration/memory-channel.test-support.js";
import { type MemoGatewayOptions, startMemoGateway } from "./memo-gateway.test-support.js";

const env = useIntegrationEnv();

function start(o: MemoGatewayOptions = {}) {
  return startMemoGateway(env, o);
}

describe("messages.responsePrefix through the gateway", () => {
  it("fills the template from the turn: provider, short model, thinking level (agents.defaults.thinkingDefault)", async () => {
    const { fake, platform, deliver, runtime } = await start({
      config: {
        messages: { responsePrefix: "[{PROVIDER}/{model} think={think}]" },
        agents: {
          defaults: { model: { primary: "fake/fast" }, thinkingDefault: "low", skipBootstrap: true },
        },
      },
    });
    fake.enqueue({ text: "Hello there." });
    deliver({ text: "hi" });
    await eventually(() => platform.of("send").length === 1, "the answer");
    await runtime.channels.idle();
    expect(platform.transcript()).toEqual(["[fake/fast think=low] Hello there."]);
  });

  it('the account wins over the channel and messages; "auto" is [identity.name]; "" turns it off', async () => {
    const { fake, platform, deliver, runtime } = await start({
      config: {
        messages: { responsePrefix: "GLOBAL" },
        agents: { list: [{ id: "main", identity: { name: "Claw" } }] },
      },
      channel: { responsePrefix: "CHANNEL", accounts: { default: { responsePrefix: "auto" } } },
    });
    fake.enqueue({ text: "One." });
    deliver({ text: "first" });
    await eventually(() => platform.of("send").length === 1, "the first answer");
    await runtime.channels.idle();
    expect(platform.transcript()).toEqual(["[Claw] One."]);
  });

  it('a channel-level "" stops the cascade: no prefix although messages.responsePrefix is set', async () => {
    const { fake, platform, deliver, runtime } = await start({
      config: { messages: { responsePrefix: "GLOBAL" } },
      channel: { responsePrefix: "" },
    });
    fake.enqueue({ text: "Plain." });
    deliver({ text: "hi" });
    await eventually(() => platform.of("send").length === 1, "the answer");
    await runtime.channels.idle();
    expect(platform.transcript()).toEqual(["Plain."]);
  });

  it("a streamed draft carries the prefix from its first edit and ends as the prefixed final text", async () => {
    const { fake, platform, deliver, runtime } = await start({
      config: { messages: { responsePrefix: "🦞" } },
      channel: { streaming: "partial" },
    });
    const chunks = Array.from({ length: 30 }, (_, index) => `word${index} `);
    fake.enqueue({ chunks, chunkDelayMs: 60 });
    deliver({ text: "tell me a story" });
    await eventually(() => platform.of("edit").length >= 2, "the draft to be edited twice");
    await runtime.channels.idle();
    expect(platform.of("send")).toHaveLength(1);
    expect(platform.of("send")[0]?.text.startsWith("🦞 ")).toBe(true);
    for (const edit of platform.of("edit")) expect(edit.text.startsWith("🦞 word0")).toBe(true);
    expect(platform.transcript()).toEqual([`🦞 ${chunks.join("").trim()}`]);
  });
});

describe("groupChat.mentionPatterns through the gateway", () => {
  it("a group message matching the agent's pattern counts as a mention; other chatter stays unanswered", async () => {
    const { fake, platform, deliver, inGroup, runtime } = await start({
      config: { agents: { list: [{ id: "main", groupChat: { mentionPatterns: ["\\bclaw\\b"] } }] } },
      channel: { groups: { "*": { requireMention: true } } },
    });
    deliver({ ...inGroup, text: "just chatting about lobsters" });
    await runtime.channels.idle();
    expect(fake.requests).toHaveLength(0);
    fake.enqueue({ text: "Status: fine." });
    deliver({ ...inGroup, text: "Hey CLAW, status?" });
    await eventually(() => platform.of("send").length === 1, "the answer to the pattern mention");
    await runtime.channels.idle();
    expect(fake.requests).toHaveLength(1);
    expect(platform.transcript()).toEqual(["Status: fine."]);
  });

  it("messages.groupChat.mentionPatterns applies to agents without their own; unsafe patterns are ignored", async () => {
    const { fake, platform, deliver, inGroup, runtime } = await start({
      config: { messages: { groupChat: { mentionPatterns: ["(a+)+$", "^bot[,:]"] } } },
      channel: { groups: { "*": { requireMention: true } } },
    });
    deliver({ ...inGroup, text: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!" });
    await runtime.channels.idle();
    expect(fake.requests).toHaveLength(0);
    fake.enqueue({ text: "Yes?" });
    deliver({ ...inGroup, text: "bot: are you there" });
    await eventually(() => platform.of("send").length === 1, "the answer");
    await runtime.channels.idle();
    expect(platform.transcript()).toEqual(["Yes?"]);
  });

  it("without configured patterns the agent's identity name (a whole word) and emoji count as mentions", async () => {
    const { fake, platform, deliver, inGroup, runtime } = await start({
      config: { agents: { list: [{ id: "main", identity: { name: "Molty", emoji: "🦞" } }] } },
      channel: { groups: { "*": { requireMention: true } } },
    });
    deliver({ ...inGroup, text: "moltybot is a different bot" });
    await runtime.channels.idle();
    expect(fake.requests).toHaveLength(0);
    fake.enqueue({ text: "Hi!" }, { text: "Claws up." });
    deliver({ ...inGroup, text: "hey @MOLTY, you there?" });
    await eventually(() => platform.of("send").length === 1, "the answer to the name");
    deliver({ ...inGroup, text: "🦞 ping" });
    await eventually(() => platform.of("send").length === 2, "the answer to the emoji");
    await runtime.channels.idle();
    expect(platform.transcript()).toEqual(["Hi!", "Claws up."]);
  });

  it("an agent's empty mentionPatterns turns pattern mentions off, derived ones included", async () => {
    const { fake, deliver, inGroup, runtime } = await start({
      config: {
        messages: { groupChat: { mentionPatterns: ["bot"] } },
        agents: { list: [{ id: "main", identity: { name: "Molty" }, groupChat: { mentionPatterns: [] } }] },
      },
      channel: { groups: { "*": { requireMention: true } } },
    });
    deliver({ ...inGroup, text: "bot, Molty, anyone?" });
    await runtime.channels.idle();
    expect(fake.requests).toHaveLength(0);
  });
});
