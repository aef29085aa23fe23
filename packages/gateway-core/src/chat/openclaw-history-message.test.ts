import type { TranscriptEntry } from "@openclaw/sessions";
import { describe, expect, it } from "vitest";
import {
  capPayload,
  HISTORY_TOOL_PAYLOAD_MAX_CHARS,
  openClawHistoryMessages,
  openClawMessageText,
} from "./openclaw-history-message.js";

const turn: TranscriptEntry[] = [
  { role: "user", text: "write a note", ts: 1, runId: "r1", idempotencyKey: "k1" },
  {
    role: "tool",
    text: "call write",
    ts: 2,
    runId: "r1",
    toolCallId: "c1",
    toolName: "write",
    args: { path: "a" },
  },
  {
    role: "tool",
    text: "call read",
    ts: 2,
    runId: "r1",
    toolCallId: "c2",
    toolName: "read",
    args: { path: "b" },
  },
  {
    role: "tool",
    text: "result write",
    ts: 3,
    runId: "r1",
    toolCallId: "c1",
    toolName: "write",
    result: "ok",
  },
  {
    role: "tool",
    text: "error read",
    ts: 3,
    runId: "r1",
    toolCallId: "c2",
    toolName: "read",
    result: "no such file",
    isError: true,
  },
  {
    role: "assistant",
    text: "done",
    ts: 4,
    runId: "r1",
    model: "fake/m1",
    usage: { inputTokens: 5, outputTokens: 3 },
  },
];

describe("openClawHistoryMessages", () => {
  it("turns tool entries into an assistant message with toolCall blocks and one toolResult per call", () => {
    const messages = openClawHistoryMessages(turn);
    expect(messages.map((message) => message.role)).toEqual([
      "user",
      "assistant",
      "toolResult",
      "toolResult",
      "assistant",
    ]);
    expect(messages[0]).toEqual({
      role: "user",
      content: [{ type: "text", text: "write a note" }],
      timestamp: 1,
      __openclaw: { id: "entry-0", seq: 0, runId: "r1", idempotencyKey: "k1" },
    });
    expect(messages[1]?.content).toEqual([
      { type: "toolCall", id: "c1", name: "write", arguments: { path: "a" } },
      { type: "toolCall", id: "c2", name: "read", arguments: { path: "b" } },
    ]);
    expect(messages[1]?.stopReason).toBe("toolUse");
    expect(messages[3]).toMatchObject({
      role: "toolResult",
      toolCallId: "c2",
      toolName: "read",
      isError: true,
      content: [{ type: "text", text: "no such file" }],
    });
    expect(messages[4]).toMatchObject({
      role: "assistant",
      provider: "fake",
      model: "m1",
      stopReason: "stop",
      usage: { input: 5, output: 3, totalTokens: 8 },
      content: [{ type: "text", text: "done" }],
    });
  });

  it("numbers rows from firstSeq so a later page keeps its ids", () => {
    const messages = openClawHistoryMessages(turn.slice(5), { firstSeq: 5 });
    expect(messages[0]?.__openclaw).toMatchObject({ id: "entry-5", seq: 5 });
  });

  it("caps texts and tool payloads at maxChars", () => {
    const long = "x".repeat(50);
    const [user, call] = openClawHistoryMessages(
      [
        { role: "user", text: long, ts: 1 },
        { role: "tool", text: "call t", ts: 2, toolCallId: "c", toolName: "t", args: { long } },
      ],
      { maxChars: 10 },
    );
    expect(openClawMessageText(user ?? { content: [] })).toBe(`${"x".repeat(10)}…`);
    const block = call?.content[0];
    expect(block?.type === "toolCall" && typeof block.arguments === "string").toBe(true);
  });

  it("marks a compaction summary as OpenClaw marks its compaction rows", () => {
    const [summary] = openClawHistoryMessages([{ role: "summary", text: "earlier: hello", ts: 9 }]);
    expect(summary).toMatchObject({ role: "system", __openclaw: { kind: "compaction" } });
  });

  it("cuts long tool payloads at the default cap with a note, and leaves short ones as they are", () => {
    const long = "x".repeat(HISTORY_TOOL_PAYLOAD_MAX_CHARS + 500);
    const [call, result] = openClawHistoryMessages([
      { role: "tool", text: "call exec", ts: 1, toolCallId: "c", toolName: "exec", args: { command: long } },
      { role: "tool", text: "result exec", ts: 2, toolCallId: "c", toolName: "exec", result: long },
    ]);
    const block = call?.content[0];
    const args = block?.type === "toolCall" ? block.arguments : undefined;
    expect(typeof args === "string" && args.startsWith('{"command":"xxx')).toBe(true);
    expect(args).toContain(
      `[truncated in history: ${HISTORY_TOOL_PAYLOAD_MAX_CHARS} of ${long.length + 14} characters shown]`,
    );
    expect(openClawMessageText(result ?? { content: [] })).toContain(
      `${HISTORY_TOOL_PAYLOAD_MAX_CHARS} of ${long.length} characters`,
    );
    expect(capPayload({ a: 1 }, 100)).toEqual({ a: 1 });
    expect(capPayload({ a: 1 }, 5)).toBe('{"a":\n…[truncated in history: 5 of 7 characters shown]');
  });

  it("shows a result whose call fell outside the window on its own, and an unanswered call as a call", () => {
    const messages = openClawHistoryMessages([
      { role: "tool", text: "result t", ts: 1, toolCallId: "old", toolName: "t", result: { ok: true } },
      { role: "tool", text: "call t", ts: 2, toolCallId: "new", toolName: "t", args: { a: 1 } },
    ]);
    expect(messages.map((message) => message.role)).toEqual(["toolResult", "assistant"]);
    expect(openClawMessageText(messages[0] ?? { content: [] })).toBe('{"ok":true}');
  });
});
