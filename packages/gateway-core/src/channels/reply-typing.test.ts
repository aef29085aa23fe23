import type { InboundMessage } from "@openclaw/plugin-sdk";
import { describe, expect, it } from "vitest";
import { resolveTypingPolicy, typingStartsOn } from "./reply-typing.js";

const dm = { chatKind: "dm", mentionsBot: false } as InboundMessage;
const group = (mentionsBot: boolean) => ({ chatKind: "group", mentionsBot }) as InboundMessage;

describe("resolveTypingPolicy", () => {
  it("unset: instant for direct chats and mentions, message for unmentioned group messages", () => {
    expect(resolveTypingPolicy(undefined, "main", dm)).toEqual({ mode: "instant" });
    expect(resolveTypingPolicy({}, "main", group(true)).mode).toBe("instant");
    expect(resolveTypingPolicy({}, "main", group(false)).mode).toBe("message");
  });

  it("the agent's typingMode wins over the defaults; typingIntervalSeconds becomes the cadence", () => {
    const agents = {
      defaults: { typingMode: "thinking", typingIntervalSeconds: 6 },
      entries: { Support: { typingMode: "never" } },
    };
    expect(resolveTypingPolicy(agents, "support", dm)).toEqual({ mode: "never", intervalMs: 6_000 });
    expect(resolveTypingPolicy(agents, "main", dm)).toEqual({ mode: "thinking", intervalMs: 6_000 });
    expect(resolveTypingPolicy({ list: [{ id: "ops", typingMode: "message" }] }, "ops", dm).mode).toBe(
      "message",
    );
  });

  it("an invalid value counts as unset", () => {
    expect(resolveTypingPolicy({ defaults: { typingMode: "sometimes" } }, "main", dm).mode).toBe("instant");
  });
});

describe("typingStartsOn", () => {
  const event = (stream: "lifecycle" | "assistant" | "tool") => ({
    runId: "r",
    sessionKey: "s",
    seq: 0,
    ts: 0,
    stream,
    data: { phase: "start" },
  });

  it("message and thinking start on answer text or a tool call, never on the run's start", () => {
    expect(typingStartsOn("message", event("lifecycle"))).toBe(false);
    expect(typingStartsOn("message", event("assistant"))).toBe(true);
    expect(typingStartsOn("thinking", event("tool"))).toBe(true);
    expect(typingStartsOn("instant", event("assistant"))).toBe(false);
  });
});
