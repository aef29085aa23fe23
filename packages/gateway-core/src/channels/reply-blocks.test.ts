import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { BlockChunker } from "./reply-block-chunker.js";
import { ReplyDelivery } from "./reply-delivery.js";
import { inboundMessage, memoryAccount, memoryPlatform, scriptedRun } from "./reply-delivery.test-support.js";

beforeEach(() => {
  vi.useFakeTimers({ now: 1_700_000_000_000 });
});

afterEach(() => {
  vi.useRealTimers();
});

const tidy = (text: string) => text.replace(/[ \t]+\n/g, "\n").trim();

function whatsappLike(config: Record<string, unknown>) {
  const platform = memoryPlatform({ id: "whatsapp", capabilities: { edits: false }, withDelete: false });
  const { account } = memoryAccount(platform.plugin, config);
  const run = scriptedRun();
  const replies = new ReplyDelivery({ now: () => Date.now(), subscribeRun: run.subscribeRun });
  const delivering = replies.deliver(account, inboundMessage({ channel: "whatsapp" }), run.turn);
  return { platform, run, delivering };
}

describe("block replies on a platform without edits", () => {
  it("chunkMode newline sends each paragraph as it is completed, and the rest at the end, nothing twice", async () => {
    const { platform, run, delivering } = whatsappLike({
      streaming: { mode: "block", chunkMode: "newline" },
    });
    run.delta("First paragraph, ");
    run.delta("still going.");
    await vi.advanceTimersByTimeAsync(100);
    expect(platform.of("send")).toEqual([]);
    run.delta("\n\nSecond ");
    await vi.advanceTimersByTimeAsync(0);
    expect(platform.of("send").map((call) => call.text)).toEqual(["First paragraph, still going."]);
    expect(platform.of("send")[0]?.replyTo).toBe("in-1");
    run.delta("paragraph.\n\nThird one.");
    await vi.advanceTimersByTimeAsync(0);
    run.end();
    await delivering;
    expect(platform.of("send").map((call) => call.text)).toEqual([
      "First paragraph, still going.",
      "Second paragraph.",
      "Third one.",
    ]);
    expect(
      platform
        .of("send")
        .slice(1)
        .every((call) => call.replyTo === undefined),
    ).toBe(true);
  });

  it("chunkMode length waits for full blocks; a pause in the stream flushes the completed paragraphs", async () => {
    const { platform, run, delivering } = whatsappLike({ streaming: "block" });
    run.delta("Looking that up.\n\nOne moment");
    await vi.advanceTimersByTimeAsync(500);
    expect(platform.of("send")).toEqual([]);
    await vi.advanceTimersByTimeAsync(600);
    expect(platform.of("send").map((call) => call.text)).toEqual(["Looking that up."]);
    run.delta(" please.\n\nDone: it is 42.");
    run.end();
    await delivering;
    expect(platform.of("send").map((call) => call.text)).toEqual([
      "Looking that up.",
      "One moment please.\n\nDone: it is 42.",
    ]);
  });

  it("a long answer goes out in blocks within maxChars while it is written", async () => {
    const { platform, run, delivering } = whatsappLike({
      streaming: { mode: "partial", block: { coalesce: { minChars: 100, maxChars: 300 } } },
    });
    const paragraph = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. ".repeat(2);
    for (let index = 0; index < 10; index += 1) {
      run.delta(`${index}: ${paragraph}\n\n`);
      await vi.advanceTimersByTimeAsync(50);
    }
    const beforeEnd = platform.of("send").length;
    expect(beforeEnd).toBeGreaterThan(2);
    run.end();
    await delivering;
    const texts = platform.of("send").map((call) => call.text);
    expect(texts.every((text) => text.length <= 300)).toBe(true);
    expect(tidy(texts.join("\n\n"))).toBe(tidy(run.text));
  });

  it("sends blocks by default on WhatsApp, and the whole answer at the end with streaming off", async () => {
    const byDefault = whatsappLike({});
    byDefault.run.delta("One.\n\nTwo.\n\n");
    await vi.advanceTimersByTimeAsync(5_000);
    expect(byDefault.platform.of("send").length).toBeGreaterThan(0);
    byDefault.run.end();
    await byDefault.delivering;
    expect(
      byDefault.platform
        .of("send")
        .map((call) => call.text)
        .join("\n\n"),
    ).toBe("One.\n\nTwo.");

    const { platform, run, delivering } = whatsappLike({ streaming: "off" });
    run.delta("One.\n\nTwo.\n\nThree.");
    await vi.advanceTimersByTimeAsync(5_000);
    expect(platform.of("send")).toEqual([]);
    run.end();
    await delivering;
    expect(platform.of("send").map((call) => call.text)).toEqual(["One.\n\nTwo.\n\nThree."]);
  });
});

describe("BlockChunker", () => {
  it("closes and reopens a code block it has to cut", () => {
    const chunker = new BlockChunker({ minChars: 10, maxChars: 60, chunkMode: "length" });
    const code = `\`\`\`ts\n${Array.from({ length: 8 }, (_, index) => `const v${index} = ${index};`).join("\n")}\n\`\`\``;
    const blocks = chunker.take(code);
    expect(blocks.length).toBeGreaterThan(0);
    for (const block of blocks) {
      expect(block.startsWith("```ts")).toBe(true);
      expect(block.endsWith("```")).toBe(true);
      expect(block.length).toBeLessThanOrEqual(60);
    }
    expect(chunker.rest(code).startsWith("```ts\n")).toBe(true);
  });

  it("never cuts at a blank line inside a code block", () => {
    const chunker = new BlockChunker({ minChars: 1, maxChars: 500, chunkMode: "newline" });
    const text = "Intro.\n\n```\nline one\n\nline two\n```\n\nAfter.";
    expect(chunker.take(text)).toEqual(["Intro.", "```\nline one\n\nline two\n```"]);
    expect(chunker.rest(text)).toBe("After.");
  });
});
