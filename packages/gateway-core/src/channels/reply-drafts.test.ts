import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ReplyDelivery } from "./reply-delivery.js";
import { inboundMessage, memoryAccount, memoryPlatform, scriptedRun } from "./reply-delivery.test-support.js";

beforeEach(() => {
  vi.useFakeTimers({ now: 1_700_000_000_000 });
});

afterEach(() => {
  vi.useRealTimers();
});

function setup(o: Parameters<typeof memoryPlatform>[0] = {}, config: Record<string, unknown> = {}) {
  const platform = memoryPlatform(o);
  const { account, logs } = memoryAccount(platform.plugin, config);
  const run = scriptedRun();
  const replies = new ReplyDelivery({ now: () => Date.now(), subscribeRun: run.subscribeRun });
  return { platform, account, logs, run, replies };
}

const SENTENCE = "The quick brown fox jumps over the lazy dog. ";

describe("live drafts (streaming partial)", () => {
  it("shows the answer once there is something to show, edits it at most once a second, and ends on the final text", async () => {
    const { platform, account, run, replies } = setup({}, { streaming: "partial" });
    const delivering = replies.deliver(account, inboundMessage(), run.turn);
    run.delta("Hi");
    await vi.advanceTimersByTimeAsync(10);
    expect(platform.of("send")).toEqual([]);
    run.delta(" there, let me think about that for you.");
    await vi.advanceTimersByTimeAsync(0);
    const [first] = platform.of("send");
    expect(first?.text).toBe("Hi there, let me think about that for you.");
    expect(first?.replyTo).toBe("in-1");
    for (let index = 0; index < 40; index += 1) {
      run.delta(` word${index}`);
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(platform.of("edit").length).toBeGreaterThanOrEqual(3);
    run.delta(" and the end.");
    run.end();
    await vi.advanceTimersByTimeAsync(1_000);
    await delivering;
    // Every write, the final edit included, keeps a second from the one before.
    const writes = [first?.at ?? 0, ...platform.of("edit").map((edit) => edit.at)];
    for (let index = 1; index < writes.length; index += 1) {
      expect((writes[index] ?? 0) - (writes[index - 1] ?? 0)).toBeGreaterThanOrEqual(1_000);
    }
    expect(platform.of("send")).toHaveLength(1);
    expect(platform.transcript()).toEqual([run.text]);
  });

  it("a first draft shorter than a few words still appears after the bounded delay", async () => {
    const { platform, account, run, replies } = setup({}, { streaming: { mode: "partial" } });
    const delivering = replies.deliver(account, inboundMessage(), run.turn);
    run.delta("Sure.");
    await vi.advanceTimersByTimeAsync(999);
    expect(platform.of("send")).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(platform.of("send").map((call) => call.text)).toEqual(["Sure."]);
    run.end();
    await vi.advanceTimersByTimeAsync(1_000);
    await delivering;
    expect(platform.calls.filter((call) => call.op !== "typing")).toHaveLength(1);
  });

  it("never shows more than maxTextLength in the draft; the final text is split only at the end", async () => {
    const { platform, account, run, replies } = setup(
      { capabilities: { maxTextLength: 120 } },
      { streaming: "partial" },
    );
    const delivering = replies.deliver(account, inboundMessage(), run.turn);
    for (let index = 0; index < 12; index += 1) {
      run.delta(SENTENCE);
      await vi.advanceTimersByTimeAsync(400);
    }
    for (const call of [...platform.of("send"), ...platform.of("edit")]) {
      expect(call.text.length).toBeLessThanOrEqual(120);
    }
    expect(platform.of("send")).toHaveLength(1);
    const draftId = platform.of("send")[0]?.messageId;
    run.end();
    await vi.advanceTimersByTimeAsync(1_000);
    await delivering;
    const sends = platform.of("send");
    expect(sends.length).toBeGreaterThan(1);
    expect(sends.slice(1).every((call) => call.replyTo === undefined)).toBe(true);
    expect(platform.of("edit").at(-1)?.messageId).toBe(draftId);
    expect(platform.transcript().join(" ").replace(/\s+/g, " ").trim()).toBe(run.text.trim());
  });

  it("a failed edit stops the draft and the final text is sent normally", async () => {
    const { platform, account, run, replies, logs } = setup(
      { failing: { edit: true } },
      { streaming: "partial" },
    );
    const delivering = replies.deliver(account, inboundMessage(), run.turn);
    run.delta(SENTENCE);
    await vi.advanceTimersByTimeAsync(0);
    run.delta(SENTENCE);
    await vi.advanceTimersByTimeAsync(1_500);
    run.delta(SENTENCE);
    await vi.advanceTimersByTimeAsync(1_500);
    run.end();
    await vi.advanceTimersByTimeAsync(1_000);
    await delivering;
    expect(logs.some((record) => record.msg.startsWith("draft update failed"))).toBe(true);
    expect(platform.of("edit")).toEqual([]);
    expect(platform.transcript()).toEqual([run.text.trim()]);
  });

  it("an aborted turn leaves the draft as it is", async () => {
    const { platform, account, run, replies } = setup({}, { streaming: "partial" });
    const delivering = replies.deliver(account, inboundMessage(), run.turn);
    run.delta(SENTENCE);
    await vi.advanceTimersByTimeAsync(0);
    run.delta("and then");
    run.end("aborted");
    await delivering;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(platform.transcript()).toEqual([SENTENCE.trim()]);
    expect(run.listenerCount()).toBe(0);
  });

  it("a tool call shows its line under the text while it runs (streaming.preview.toolProgress), never in the final", async () => {
    const { platform, account, run, replies } = setup({}, { streaming: "partial" });
    const delivering = replies.deliver(account, inboundMessage(), run.turn);
    run.delta("Let me look that up for you, one moment.");
    await vi.advanceTimersByTimeAsync(0);
    run.tool("start", "web_search", "call-1");
    await vi.advanceTimersByTimeAsync(1_000);
    expect(platform.transcript()).toEqual(["Let me look that up for you, one moment.\n\n🛠️ web_search"]);
    run.tool("result", "web_search", "call-1");
    run.delta(" Found it: 42.");
    run.end();
    await vi.advanceTimersByTimeAsync(1_000);
    await delivering;
    expect(platform.transcript()).toEqual(["Let me look that up for you, one moment. Found it: 42."]);
  });

  it("preview.toolProgress false keeps tool lines out of the draft", async () => {
    const { platform, account, run, replies } = setup(
      {},
      { streaming: { mode: "partial", preview: { toolProgress: false } } },
    );
    const delivering = replies.deliver(account, inboundMessage(), run.turn);
    run.delta("Let me look that up for you, one moment.");
    await vi.advanceTimersByTimeAsync(0);
    run.tool("start", "web_search", "call-1");
    await vi.advanceTimersByTimeAsync(1_000);
    expect(platform.of("edit")).toEqual([]);
    run.end();
    await delivering;
  });

  it("block mode moves on to a new message past the preview chunk size, and nothing is sent twice", async () => {
    const { platform, account, run, replies } = setup(
      {},
      { streaming: { mode: "block", preview: { chunk: { minChars: 100, maxChars: 200 } } } },
    );
    const delivering = replies.deliver(account, inboundMessage(), run.turn);
    for (let index = 0; index < 3; index += 1) {
      run.delta(`Paragraph ${index}. ${SENTENCE}${SENTENCE}\n\n`);
      await vi.advanceTimersByTimeAsync(1_100);
    }
    run.delta("The end.");
    run.end();
    await vi.advanceTimersByTimeAsync(1_000);
    await delivering;
    const shown = platform.transcript();
    expect(shown.length).toBeGreaterThan(1);
    expect(shown.every((text) => text.length <= 200)).toBe(true);
    const tidy = (text: string) => text.replace(/[ \t]+\n/g, "\n").trim();
    expect(tidy(shown.join("\n\n"))).toBe(tidy(run.text));
  });
});

describe("progress drafts (OpenClaw's default on Telegram and Slack)", () => {
  it("a tool call shows a status draft; the answer comes as a new message and the draft is deleted", async () => {
    const { platform, account, run, replies } = setup(
      { id: "telegram" },
      { streaming: { progress: { toolProgress: true } } },
    );
    const delivering = replies.deliver(account, inboundMessage({ channel: "telegram" }), run.turn);
    run.tool("start", "web_search", "call-1");
    await vi.advanceTimersByTimeAsync(500);
    expect(platform.of("send")).toEqual([]);
    await vi.advanceTimersByTimeAsync(500);
    expect(platform.of("send").map((call) => call.text)).toEqual(["Working…\n🛠️ web_search"]);
    run.tool("result", "web_search", "call-1");
    await vi.advanceTimersByTimeAsync(1_000);
    expect(platform.of("edit").map((call) => call.text)).toEqual(["Working…\n✅ web_search"]);
    run.delta("It is sunny.");
    run.end();
    await vi.advanceTimersByTimeAsync(1_000);
    await delivering;
    expect(platform.of("delete").map((call) => call.messageId)).toEqual([platform.of("send")[0]?.messageId]);
    expect(platform.transcript()).toEqual(["It is sunny."]);
  });

  it("a stopped turn marks its status draft stopped", async () => {
    const { platform, account, run, replies } = setup({ id: "telegram" });
    const delivering = replies.deliver(account, inboundMessage({ channel: "telegram" }), run.turn);
    run.tool("start", "exec", "call-1");
    await vi.advanceTimersByTimeAsync(1_000);
    expect(platform.transcript()).toEqual(["Working…"]);
    run.end("aborted");
    await vi.advanceTimersByTimeAsync(1_000);
    await delivering;
    expect(platform.transcript()).toEqual(["Working…\n⏹️ Stopped"]);
  });

  it("a plain answer, however long it takes, and a quick tool call get no status draft", async () => {
    const { platform, account, run, replies } = setup({ id: "slack" });
    const delivering = replies.deliver(account, inboundMessage({ channel: "slack" }), run.turn);
    run.tool("start", "clock", "call-1");
    run.tool("result", "clock", "call-1");
    for (let index = 0; index < 5; index += 1) {
      run.delta("Yes. ");
      await vi.advanceTimersByTimeAsync(1_000);
    }
    run.end();
    await vi.advanceTimersByTimeAsync(1_000);
    await delivering;
    expect(platform.calls.filter((call) => call.op !== "typing").map((call) => call.op)).toEqual(["send"]);
  });
});

describe("streaming off", () => {
  it("Discord's default sends only the final answer", async () => {
    const { platform, account, run, replies } = setup({ id: "discord" });
    const delivering = replies.deliver(account, inboundMessage({ channel: "discord" }), run.turn);
    for (let index = 0; index < 5; index += 1) {
      run.delta(SENTENCE);
      await vi.advanceTimersByTimeAsync(1_000);
    }
    expect(platform.of("send")).toEqual([]);
    run.end();
    await vi.advanceTimersByTimeAsync(1_000);
    await delivering;
    expect(platform.of("send").map((call) => call.text)).toEqual([run.text.trim()]);
    expect(platform.of("edit")).toEqual([]);
  });

  it("an invalid streaming value is reported with its key and the defaults apply", async () => {
    const { platform, account, run, replies, logs } = setup({ id: "discord" }, { streaming: "fast" });
    const delivering = replies.deliver(account, inboundMessage({ channel: "discord" }), run.turn);
    run.delta(SENTENCE);
    run.end();
    await vi.advanceTimersByTimeAsync(1_000);
    await delivering;
    expect(
      logs.find((record) => record.msg.startsWith("channels.discord.streaming is invalid")),
    ).toBeDefined();
    expect(platform.of("send")).toHaveLength(1);
  });
});
