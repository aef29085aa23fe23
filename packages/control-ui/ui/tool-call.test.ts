import { describe, expect, it } from "vitest";
import {
  clipText,
  formatToolPayload,
  parseToolEvent,
  settleRunningCalls,
  type ToolCall,
  toolCallFromHistory,
  toolCallSummary,
} from "./tool-call.js";

describe("tool calls", () => {
  it("parses OpenClaw's tool event phases and refuses anything else", () => {
    expect(
      parseToolEvent({ phase: "start", toolCallId: "c1", name: "exec", args: { command: "ls" } }),
    ).toEqual({
      phase: "start",
      toolCallId: "c1",
      name: "exec",
      args: { command: "ls" },
    });
    expect(
      parseToolEvent({ phase: "result", toolCallId: "c1", name: "exec", result: "x", isError: true }),
    ).toEqual({
      phase: "result",
      toolCallId: "c1",
      name: "exec",
      result: "x",
      isError: true,
    });
    expect(parseToolEvent({ phase: "update", toolCallId: "c1" })).toMatchObject({ name: "tool" });
    expect(parseToolEvent({ phase: "end", toolCallId: "c1", name: "exec" })).toBeUndefined();
    expect(parseToolEvent({ phase: "start", toolCallId: "", name: "exec" })).toBeUndefined();
    expect(parseToolEvent("start")).toBeUndefined();
  });

  it("turns a history row into a card whose status says whether the run may still answer", () => {
    const row = { toolCallId: "c1", toolName: "read", args: { path: "a" } };
    expect(toolCallFromHistory(row, true)?.status).toBe("running");
    expect(toolCallFromHistory(row, false)?.status).toBe("incomplete");
    expect(toolCallFromHistory({ ...row, result: "text" }, false)).toEqual({
      toolCallId: "c1",
      name: "read",
      args: { path: "a" },
      result: "text",
      status: "ok",
    });
    expect(toolCallFromHistory({ ...row, result: "boom", isError: true }, false)?.status).toBe("error");
    expect(toolCallFromHistory({ toolName: "read" }, false)).toBeUndefined();
  });

  it("settles only the calls still running", () => {
    const calls: ToolCall[] = [
      { toolCallId: "a", name: "exec", status: "running", partialResult: "half" },
      { toolCallId: "b", name: "exec", status: "ok", result: 1 },
    ];
    expect(settleRunningCalls(calls)).toBe(true);
    expect(calls.map((call) => call.status)).toEqual(["incomplete", "ok"]);
    expect(calls[0]).not.toHaveProperty("partialResult");
    expect(settleRunningCalls(calls)).toBe(false);
  });

  it("summarises args by the field that says what the call does, on one short line", () => {
    expect(toolCallSummary({ command: "echo hi\n  && ls", timeout: 5 })).toBe("echo hi && ls");
    expect(toolCallSummary({ path: "notes/today.md", content: "..." })).toBe("notes/today.md");
    expect(toolCallSummary({ a: 2, b: 3 })).toBe('{"a":2,"b":3}');
    expect(toolCallSummary({})).toBe("");
    expect(toolCallSummary(undefined)).toBe("");
    const long = toolCallSummary({ url: `https://example.com/${"x".repeat(200)}` });
    expect(long).toHaveLength(80);
    expect(long.endsWith("…")).toBe(true);
  });

  it("pretty-prints payloads and clips long text with the count left out", () => {
    expect(formatToolPayload({ sum: 5 })).toBe('{\n  "sum": 5\n}');
    expect(formatToolPayload("plain\ntext")).toBe("plain\ntext");
    expect(formatToolPayload(undefined)).toBe("");
    expect(clipText("abcdef", 4)).toEqual({ shown: "abcd", hiddenChars: 2 });
    expect(clipText("abc", 4)).toEqual({ shown: "abc", hiddenChars: 0 });
  });
});
