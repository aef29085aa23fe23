import type { TranscriptEntry } from "@openclaw/sessions";
import { describe, expect, it } from "vitest";
import { chatHistoryRows, HISTORY_TOOL_PAYLOAD_MAX_CHARS } from "./chat-history-rows.js";

const call = (id: string, args: unknown, ts = 2): TranscriptEntry => ({
  role: "tool",
  text: "call add",
  ts,
  runId: "r1",
  toolCallId: id,
  toolName: "add",
  args,
});
const result = (id: string, value: unknown, isError?: boolean): TranscriptEntry => ({
  role: "tool",
  text: isError ? "error add" : "result add",
  ts: 3,
  runId: "r1",
  toolCallId: id,
  toolName: "add",
  result: value,
  ...(isError ? { isError } : {}),
});

describe("chatHistoryRows", () => {
  it("pairs a call and its result into one tool row at the call's place", () => {
    const rows = chatHistoryRows([
      { role: "user", text: "add 2 and 3", ts: 1, runId: "r1" },
      call("c1", { a: 2, b: 3 }),
      call("c2", { a: 1, b: 1 }),
      result("c2", { sum: 2 }),
      result("c1", "no such number", true),
      { role: "assistant", text: "5", ts: 4, runId: "r1" },
    ]);
    expect(rows.map((row) => row.role)).toEqual(["user", "tool", "tool", "assistant"]);
    expect(rows[1]).toEqual({
      role: "tool",
      text: "call add",
      ts: 2,
      runId: "r1",
      toolCallId: "c1",
      toolName: "add",
      args: { a: 2, b: 3 },
      result: "no such number",
      isError: true,
    });
    expect(rows[2]).toMatchObject({ toolCallId: "c2", args: { a: 1, b: 1 }, result: { sum: 2 } });
    expect(rows[2]).not.toHaveProperty("isError");
  });

  it("keeps a call without a result (still running) and a result whose call fell outside the window", () => {
    const rows = chatHistoryRows([result("old", { sum: 1 }), call("new", { a: 1 })]);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ toolCallId: "old", result: { sum: 1 } });
    expect(rows[0]).not.toHaveProperty("args");
    expect(rows[1]).toMatchObject({ toolCallId: "new", args: { a: 1 } });
    expect(rows[1]).not.toHaveProperty("result");
  });

  it("cuts long args and results at the cap with a note, and leaves short ones as they are", () => {
    const long = "x".repeat(HISTORY_TOOL_PAYLOAD_MAX_CHARS + 500);
    const rows = chatHistoryRows([call("c1", { command: long }), result("c1", long)]);
    const args = rows[0]?.args as string;
    expect(typeof args).toBe("string");
    expect(args.startsWith('{"command":"xxx')).toBe(true);
    expect(args).toContain(
      `[truncated in history: ${HISTORY_TOOL_PAYLOAD_MAX_CHARS} of ${long.length + 14} characters shown]`,
    );
    expect(rows[0]?.result).toContain(`${HISTORY_TOOL_PAYLOAD_MAX_CHARS} of ${long.length} characters`);

    const capped = chatHistoryRows([call("c2", { a: 1 }), result("c2", "abcdefghij")], { maxChars: 5 });
    expect(capped[0]?.args).toBe('{"a":\n…[truncated in history: 5 of 7 characters shown]');
    expect(capped[0]?.text).toBe("call …");
  });

  it("leaves rows without a tool call id alone", () => {
    const entry: TranscriptEntry = { role: "tool", text: "legacy tool line", ts: 1 };
    expect(chatHistoryRows([entry])).toEqual([entry]);
  });
});
