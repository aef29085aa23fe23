import { describe, expect, it } from "vitest";
import { useIntegrationEnv } from "../integration/harness.js";
import { eventually } from "../integration/memory-channel.test-support.js";
import { type MemoGatewayOptions, startMemoGateway } from "./memo-gateway.test-support.js";

const env = useIntegrationEnv();

function start(o: MemoGatewayOptions = {}) {
  return startMemoGateway(env, o);
}

describe("typing indicators through the gateway (typingMode, typingIntervalSeconds)", () => {
  const typingCalls = (platform: { calls: { op: string; at: number }[] }) =>
    platform.calls.filter((call) => call.op === "typing");

  it("typingMode never sends no typing indicator and the answer still arrives", async () => {
    const { fake, platform, deliver, runtime } = await start({
      config: {
        agents: { defaults: { model: { primary: "fake/fast" }, skipBootstrap: true, typingMode: "never" } },
      },
    });
    fake.enqueue({ text: "Quietly done.", delayMs: 200 });
    deliver({ text: "hi" });
    await eventually(() => platform.of("send").length === 1, "the answer");
    await runtime.channels.idle();
    expect(typingCalls(platform)).toEqual([]);
    expect(platform.transcript()).toEqual(["Quietly done."]);
  });

  it("a DM types at once; an unmentioned group message (default message mode) only once the answer streams", async () => {
    const { fake, platform, deliver, inGroup, runtime } = await start({
      channel: { groups: { "*": { requireMention: false } } },
    });
    fake.enqueue({ text: "Direct.", delayMs: 600 });
    const dmAt = Date.now();
    deliver({ text: "hi" });
    await eventually(() => platform.of("send").length === 1, "the DM answer");
    await runtime.channels.idle();
    const [dmTyping] = typingCalls(platform);
    expect((dmTyping?.at ?? Infinity) - dmAt).toBeLessThan(450);

    fake.enqueue({ text: "Group.", delayMs: 600 });
    const before = typingCalls(platform).length;
    const groupAt = Date.now();
    deliver({ ...inGroup, text: "anyone around?" });
    await eventually(() => platform.of("send").length === 2, "the group answer");
    await runtime.channels.idle();
    const groupTyping = typingCalls(platform).slice(before);
    expect(groupTyping.length).toBeGreaterThan(0);
    expect((groupTyping[0]?.at ?? 0) - groupAt).toBeGreaterThanOrEqual(500);
  });

  it("typingIntervalSeconds sets the refresh cadence while the run lasts", async () => {
    const { fake, platform, deliver, runtime } = await start({
      config: {
        agents: {
          defaults: { model: { primary: "fake/fast" }, skipBootstrap: true, typingIntervalSeconds: 0.2 },
        },
      },
    });
    fake.enqueue({ text: "Slow answer.", delayMs: 1_100 });
    deliver({ text: "take your time" });
    await eventually(() => platform.of("send").length === 1, "the answer");
    await runtime.channels.idle();
    expect(typingCalls(platform).length).toBeGreaterThanOrEqual(4);
  });

  it("humanDelay custom pauses between block replies, never before the first", async () => {
    const { fake, platform, deliver, runtime } = await start({
      config: {
        agents: {
          defaults: {
            model: { primary: "fake/fast" },
            skipBootstrap: true,
            humanDelay: { mode: "custom", minMs: 300, maxMs: 300 },
          },
        },
      },
      channel: { streaming: { mode: "block", chunkMode: "newline", block: { enabled: true } } },
    });
    fake.enqueue({ chunks: ["First paragraph.\n\n", "Second paragraph.\n\n", "Third."], chunkDelayMs: 20 });
    const at = Date.now();
    deliver({ text: "three paragraphs please" });
    await eventually(() => platform.of("send").length === 3, "three block replies");
    await runtime.channels.idle();
    const sends = platform.calls.filter((call) => call.op === "send").map((call) => call.at);
    expect(platform.transcript()).toEqual(["First paragraph.", "Second paragraph.", "Third."]);
    expect((sends[0] ?? 0) - at).toBeLessThan(1_000);
    expect((sends[1] ?? 0) - (sends[0] ?? 0)).toBeGreaterThanOrEqual(290);
    expect((sends[2] ?? 0) - (sends[1] ?? 0)).toBeGreaterThanOrEqual(290);
  });
});
