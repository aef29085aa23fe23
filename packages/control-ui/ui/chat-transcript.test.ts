import { describe, expect, it } from "vitest";
import {
  type AgentEventLike,
  type ChatEventLike,
  ChatTranscript,
  type HistoryMessageLike,
} from "./chat-transcript.js";

const delta = (runId: string, text: string, sessionKey = "agent:main:main"): ChatEventLike => ({
  runId,
  sessionKey,
  state: "delta",
  deltaText: text,
});

/** A `chat.history` tool row: a call and its result paired by the gateway. */
const toolRow = (
  runId: string,
  toolCallId: string,
  toolName: string,
  rest: Partial<HistoryMessageLike>,
): HistoryMessageLike => ({ role: "tool", text: `call ${toolName}`, runId, toolCallId, toolName, ...rest });

describe("ChatTranscript", () => {
  it("builds the answer from deltas and settles it with the final message", () => {
    const transcript = new ChatTranscript("main");
    transcript.addUserMessage("hi");
    transcript.trackRun("r1", "agent:main:main");
    expect(transcript.running).toBe(true);
    expect(transcript.apply(delta("r1", "Hel"))).toBe(true);
    transcript.apply(delta("r1", "lo"));
    expect(transcript.entries.at(-1)).toMatchObject({
      role: "assistant",
      text: "Hello",
      status: "streaming",
    });
    transcript.apply({
      runId: "r1",
      sessionKey: "agent:main:main",
      state: "final",
      message: { role: "assistant", text: "Hello!" },
    });
    expect(transcript.entries.map((entry) => [entry.role, entry.text, entry.status])).toEqual([
      ["user", "hi", "done"],
      ["assistant", "Hello!", "done"],
    ]);
    expect(transcript.running).toBe(false);
    expect(transcript.apply(delta("r1", "late"))).toBe(false);
  });

  it("holds events that arrive before chat.send answers, then replays them in order", () => {
    const transcript = new ChatTranscript("main");
    transcript.addUserMessage("hi");
    expect(transcript.apply(delta("r2", "a"))).toBe(false);
    expect(transcript.apply(delta("r2", "b"))).toBe(false);
    expect(transcript.entries).toHaveLength(1);
    expect(transcript.trackRun("r2", "agent:main:main")).toBe(true);
    expect(transcript.entries.at(-1)).toEqual({
      role: "assistant",
      text: "ab",
      status: "streaming",
      runId: "r2",
    });
    expect(transcript.activeRunId).toBe("r2");
  });

  it("holds nothing while no send is pending, and drops what it held when the send fails", () => {
    const transcript = new ChatTranscript("main");
    transcript.apply(delta("elsewhere", "x", "agent:main:work"));
    transcript.addUserMessage("hi");
    transcript.apply(delta("r5", "y"));
    transcript.sendFailed();
    expect(transcript.trackRun("r5", "agent:main:main")).toBe(false);
    expect(transcript.trackRun("elsewhere", "agent:main:main")).toBe(false);
    expect(
      transcript.entries.filter((entry) => entry.role === "assistant").map((entry) => entry.text),
    ).toEqual(["", ""]);
  });

  it("shows runs another client started on the same session, and ignores other sessions", () => {
    const transcript = new ChatTranscript("agent:main:main");
    expect(transcript.apply(delta("other", "x", "agent:main:work"))).toBe(false);
    expect(transcript.apply(delta("mirror", "y"))).toBe(true);
    expect(transcript.entries).toHaveLength(1);
  });

  it("marks aborted and failed runs", () => {
    const transcript = new ChatTranscript("main");
    transcript.trackRun("r3", "agent:main:main");
    transcript.apply(delta("r3", "partial"));
    transcript.apply({ runId: "r3", sessionKey: "agent:main:main", state: "aborted" });
    expect(transcript.entries[0]).toMatchObject({ text: "partial", status: "aborted" });
    transcript.trackRun("r4", "agent:main:main");
    transcript.apply({
      runId: "r4",
      sessionKey: "agent:main:main",
      state: "error",
      errorMessage: "rate limited",
    });
    expect(transcript.entries[1]).toMatchObject({ status: "error", errorMessage: "rate limited" });
    expect(transcript.running).toBe(false);
  });

  it("loads user and assistant history, and puts a run's tool rows on its answer", () => {
    const transcript = new ChatTranscript("main");
    transcript.loadHistory([
      { role: "user", text: "q", runId: "r0" },
      toolRow("r0", "c1", "add", { args: { a: 1 }, result: 2 }),
      toolRow("r0", "c2", "div", { args: { a: 1, b: 0 }, result: "division by zero", isError: true }),
      { role: "tool", text: "legacy line without a call id" },
      { role: "assistant", text: "a", runId: "r0" },
    ]);
    expect(transcript.entries).toEqual([
      { role: "user", text: "q", status: "done", runId: "r0" },
      {
        role: "assistant",
        text: "a",
        status: "done",
        runId: "r0",
        tools: [
          { toolCallId: "c1", name: "add", args: { a: 1 }, result: 2, status: "ok" },
          {
            toolCallId: "c2",
            name: "div",
            args: { a: 1, b: 0 },
            result: "division by zero",
            status: "error",
          },
        ],
      },
    ]);
  });

  it("keeps a run with tools and no answer yet streaming, so its live events continue it", () => {
    const transcript = new ChatTranscript("agent:main:main");
    transcript.loadHistory([
      { role: "user", text: "run it", runId: "r1" },
      toolRow("r1", "c1", "exec", { args: { command: "ls" } }),
      toolRow("r0", "c0", "exec", { args: {} }),
      { role: "assistant", text: "aborted earlier", runId: "r0" },
    ]);
    expect(transcript.entries.map((entry) => [entry.runId, entry.status, entry.tools?.[0]?.status])).toEqual([
      ["r1", "done", undefined],
      ["r1", "streaming", "running"],
      ["r0", "done", "incomplete"],
    ]);
    transcript.applyAgentEvent({
      runId: "r1",
      stream: "tool",
      sessionKey: "agent:main:main",
      data: { phase: "result", toolCallId: "c1", name: "exec", result: "a.txt" },
    });
    transcript.apply(delta("r1", "Found a.txt"));
    expect(transcript.entries[1]).toMatchObject({
      text: "Found a.txt",
      tools: [{ toolCallId: "c1", status: "ok", result: "a.txt", args: { command: "ls" } }],
    });
  });
});

const tool = (runId: string, data: Record<string, unknown>, sessionKey?: string): AgentEventLike => ({
  runId,
  stream: "tool",
  data,
  ...(sessionKey === undefined ? {} : { sessionKey }),
});

describe("ChatTranscript tool calls from agent events", () => {
  it("builds a card from start, update and result, and ignores other streams", () => {
    const transcript = new ChatTranscript("main");
    transcript.addUserMessage("list files");
    transcript.trackRun("r1", "agent:main:main");
    expect(transcript.applyAgentEvent({ runId: "r1", stream: "assistant", data: { delta: "x" } })).toBe(
      false,
    );
    const start = { phase: "start", toolCallId: "c1", name: "exec", args: { command: "ls" } };
    expect(transcript.applyAgentEvent(tool("r1", start))).toBe(true);
    expect(transcript.entries[1]?.tools).toEqual([
      { toolCallId: "c1", name: "exec", args: { command: "ls" }, status: "running" },
    ]);
    transcript.applyAgentEvent(
      tool("r1", { phase: "update", toolCallId: "c1", name: "exec", partialResult: "a" }),
    );
    expect(transcript.entries[1]?.tools?.[0]).toMatchObject({ partialResult: "a", status: "running" });
    transcript.applyAgentEvent(
      tool("r1", {
        phase: "result",
        toolCallId: "c1",
        name: "exec",
        result: { stdout: "a\n" },
        isError: false,
      }),
    );
    expect(transcript.entries[1]?.tools).toEqual([
      { toolCallId: "c1", name: "exec", args: { command: "ls" }, result: { stdout: "a\n" }, status: "ok" },
    ]);
    // A late update cannot reopen it.
    expect(
      transcript.applyAgentEvent(
        tool("r1", { phase: "update", toolCallId: "c1", name: "exec", partialResult: "b" }),
      ),
    ).toBe(false);
  });

  it("holds tool events of an unknown run until chat.send names it", () => {
    const transcript = new ChatTranscript("main");
    transcript.addUserMessage("hi");
    expect(transcript.applyAgentEvent(tool("r2", { phase: "start", toolCallId: "c1", name: "read" }))).toBe(
      false,
    );
    expect(transcript.entries).toHaveLength(1);
    expect(transcript.trackRun("r2", "agent:main:main")).toBe(true);
    expect(transcript.entries[1]?.tools?.map((call) => call.name)).toEqual(["read"]);
  });

  it("matches a run from another client by its first chat event, and drops held events of other sessions", () => {
    const transcript = new ChatTranscript("agent:main:main");
    transcript.applyAgentEvent(tool("mine", { phase: "start", toolCallId: "c1", name: "read" }));
    transcript.applyAgentEvent(tool("theirs", { phase: "start", toolCallId: "c2", name: "write" }));
    expect(transcript.apply(delta("theirs", "x", "agent:main:work"))).toBe(false);
    expect(transcript.apply(delta("mine", "Done"))).toBe(true);
    expect(transcript.entries).toHaveLength(1);
    expect(transcript.entries[0]).toMatchObject({ runId: "mine", text: "Done", tools: [{ name: "read" }] });
    // An event that names its session is shown at once, or ignored when it is another one's.
    expect(
      transcript.applyAgentEvent(
        tool("r9", { phase: "start", toolCallId: "c9", name: "ls" }, "agent:main:work"),
      ),
    ).toBe(false);
    expect(
      transcript.applyAgentEvent(
        tool("r8", { phase: "start", toolCallId: "c8", name: "ls" }, "agent:main:main"),
      ),
    ).toBe(true);
    expect(transcript.entries.map((entry) => entry.runId)).toEqual(["mine", "r8"]);
  });

  it("marks calls still running as incomplete when the run ends", () => {
    const transcript = new ChatTranscript("main");
    transcript.trackRun("r3", "agent:main:main");
    transcript.applyAgentEvent(tool("r3", { phase: "start", toolCallId: "c1", name: "exec" }));
    transcript.apply({ runId: "r3", sessionKey: "agent:main:main", state: "aborted" });
    expect(transcript.entries[0]).toMatchObject({ status: "aborted", tools: [{ status: "incomplete" }] });
  });

  it("ignores malformed tool data", () => {
    const transcript = new ChatTranscript("main");
    transcript.trackRun("r4", "agent:main:main");
    expect(transcript.applyAgentEvent(tool("r4", { phase: "start", name: "exec" }))).toBe(false);
    expect(transcript.applyAgentEvent(tool("r4", { phase: "finish", toolCallId: "c1" }))).toBe(false);
    expect(transcript.entries[0]?.tools).toBeUndefined();
  });
});
