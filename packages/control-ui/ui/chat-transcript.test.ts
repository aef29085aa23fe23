import { describe, expect, it } from "vitest";
import { type ChatEventLike, ChatTranscript } from "./chat-transcript.js";

const delta = (runId: string, text: string, sessionKey = "agent:main:main"): ChatEventLike => ({
  runId,
  sessionKey,
  state: "delta",
  deltaText: text,
});

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

  it("loads user and assistant history and skips tool rows", () => {
    const transcript = new ChatTranscript("main");
    transcript.loadHistory([
      { role: "user", text: "q" },
      { role: "tool", text: "{}" },
      { role: "assistant", text: "a", runId: "r0" },
    ]);
    expect(transcript.entries).toEqual([
      { role: "user", text: "q", status: "done" },
      { role: "assistant", text: "a", status: "done", runId: "r0" },
    ]);
  });
});
