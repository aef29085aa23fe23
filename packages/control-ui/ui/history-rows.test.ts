import type { ChatHistoryMessage } from "@openclaw/protocol";
import { describe, expect, it } from "vitest";
import { ChatTranscript } from "./chat-transcript.js";
import { historyRowsOf } from "./history-rows.js";

const meta = (seq: number, runId?: string) => ({
  id: `entry-${seq}`,
  seq,
  ...(runId === undefined ? {} : { runId }),
});

const messages: ChatHistoryMessage[] = [
  { role: "user", content: [{ type: "text", text: "q" }], timestamp: 1, __openclaw: meta(0, "r0") },
  {
    role: "assistant",
    content: [
      { type: "toolCall", id: "c1", name: "add", arguments: { a: 1 } },
      { type: "toolCall", id: "c2", name: "div", arguments: { a: 1, b: 0 } },
    ],
    stopReason: "toolUse",
    timestamp: 2,
    __openclaw: meta(1, "r0"),
  },
  {
    role: "toolResult",
    toolCallId: "c1",
    toolName: "add",
    content: [{ type: "text", text: "2" }],
    isError: false,
    timestamp: 3,
    __openclaw: meta(3, "r0"),
  },
  {
    role: "toolResult",
    toolCallId: "c2",
    toolName: "div",
    content: [{ type: "text", text: "division by zero" }],
    isError: true,
    timestamp: 3,
    __openclaw: meta(4, "r0"),
  },
  { role: "assistant", content: [{ type: "text", text: "a" }], timestamp: 4, __openclaw: meta(5, "r0") },
];

describe("historyRowsOf", () => {
  it("turns toolCall blocks and their toolResult messages into one tool row per call", () => {
    expect(historyRowsOf(messages)).toEqual([
      { role: "user", text: "q", runId: "r0" },
      { role: "tool", text: "", runId: "r0", toolCallId: "c1", toolName: "add", args: { a: 1 }, result: "2" },
      {
        role: "tool",
        text: "",
        runId: "r0",
        toolCallId: "c2",
        toolName: "div",
        args: { a: 1, b: 0 },
        result: "division by zero",
        isError: true,
      },
      { role: "assistant", text: "a", runId: "r0" },
    ]);
  });

  it("feeds the transcript: the run's tool cards sit on its answer", () => {
    const transcript = new ChatTranscript("agent:main:main");
    transcript.loadHistory(historyRowsOf(messages));
    expect(transcript.entries[1]).toMatchObject({
      role: "assistant",
      text: "a",
      tools: [
        { toolCallId: "c1", status: "ok", result: "2" },
        { toolCallId: "c2", status: "error", result: "division by zero" },
      ],
    });
  });

  it("keeps a result whose call is not on the page, and a user message's media", () => {
    const media = [{ kind: "image", path: "/m/a.png", mimeType: "image/png", sizeBytes: 3 }];
    const rows = historyRowsOf([
      {
        role: "toolResult",
        toolCallId: "old",
        toolName: "t",
        content: [{ type: "text", text: "late" }],
        timestamp: 1,
        __openclaw: meta(7),
      },
      { role: "user", content: [{ type: "text", text: "look" }], media, timestamp: 2, __openclaw: meta(8) },
    ]);
    expect(rows).toEqual([
      { role: "tool", text: "", toolCallId: "old", toolName: "t", result: "late" },
      { role: "user", text: "look", media },
    ]);
  });
});
