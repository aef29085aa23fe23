import { describe, expect, it } from "vitest";
import { buildContext } from "./context-window.js";
import type { TranscriptEntry } from "./types.js";

const entry = (
  role: TranscriptEntry["role"],
  text: string,
  extra: Partial<TranscriptEntry> = {},
): TranscriptEntry => ({
  role,
  text,
  ts: 0,
  ...extra,
});

describe("buildContext", () => {
  it("keeps every turn when they fit, leaving tool entries out", () => {
    const context = buildContext({
      history: [entry("user", "hi"), entry("tool", "call x", { toolName: "x" }), entry("assistant", "hello")],
      systemPrompt: "be kind",
      message: "again",
      contextWindow: 128_000,
      maxOutputTokens: undefined,
    });
    expect(context).toEqual({
      system: "be kind",
      droppedTurns: 0,
      messages: [
        { role: "user", content: "hi" },
        { role: "assistant", content: "hello" },
        { role: "user", content: "again" },
      ],
    });
  });

  it("drops the oldest turns first and says how many in the system prompt", () => {
    const history = Array.from({ length: 10 }, (_, i) => [
      entry("user", `q${i} ${"a".repeat(200)}`),
      entry("assistant", `r${i} ${"b".repeat(200)}`),
    ]).flat();
    const context = buildContext({
      history,
      systemPrompt: "sys",
      message: "now",
      contextWindow: 1_000,
      maxOutputTokens: 100,
    });
    expect(context.droppedTurns).toBeGreaterThan(0);
    expect(context.droppedTurns).toBeLessThan(10);
    expect(context.system).toBe(
      `sys\n\n[${context.droppedTurns} earlier turns were dropped to fit the context window]`,
    );
    expect(context.messages.at(-1)).toEqual({ role: "user", content: "now" });
    expect(context.messages[0]?.role).toBe("user");
    expect(String(context.messages.at(-2)?.content)).toContain("r9");
  });

  it("truncates a message larger than the whole window instead of failing", () => {
    const context = buildContext({
      history: [entry("user", "old"), entry("assistant", "old answer")],
      systemPrompt: "",
      message: "z".repeat(10_000),
      contextWindow: 200,
      maxOutputTokens: undefined,
    });
    const content = String(context.messages.at(-1)?.content);
    expect(content.length).toBeLessThan(800);
    expect(content).toContain("characters did not fit the context window");
    expect(context.droppedTurns).toBe(1);
    expect(context.messages).toHaveLength(1);
  });

  it("carries summary entries into the system prompt", () => {
    const context = buildContext({
      history: [entry("summary", "They talked about cats."), entry("user", "and dogs?")],
      systemPrompt: "",
      message: "more",
      contextWindow: 128_000,
      maxOutputTokens: undefined,
    });
    expect(context.system).toBe("They talked about cats.");
  });
});
