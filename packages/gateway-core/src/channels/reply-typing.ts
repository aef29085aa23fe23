import type { AgentRunEvent } from "@openclaw/agent";
import type { InboundMessage } from "@openclaw/plugin-sdk";
import { z } from "zod";

/** OpenClaw's `typingMode`: when the typing indicator starts (it always stops when the answer is out). */
export type TypingMode = "never" | "instant" | "thinking" | "message";

const TypingModeSchema = z.enum(["never", "instant", "thinking", "message"]);
const TypingSettingsSchema = z.looseObject({
  typingMode: TypingModeSchema.optional(),
  typingIntervalSeconds: z.number().positive().max(300).optional(),
});
const AgentsSchema = z.looseObject({
  defaults: z.unknown().optional(),
  list: z.array(z.unknown()).optional(),
  entries: z.record(z.string(), z.unknown()).optional(),
});

export interface TypingPolicy {
  mode: TypingMode;
  /** `agents.defaults.typingIntervalSeconds` in ms; undefined keeps the delivery's own cadence. */
  intervalMs?: number;
}

/**
 * The typing policy of one reply, as OpenClaw resolves it: the agent's `typingMode`, else
 * `agents.defaults.typingMode`, else `instant` for direct chats and mentioned group messages and `message` for
 * unmentioned group messages; the refresh cadence from `agents.defaults.typingIntervalSeconds`.
 */
export function resolveTypingPolicy(agents: unknown, agentId: string, message: InboundMessage): TypingPolicy {
  const section = AgentsSchema.safeParse(agents ?? {});
  const read = (value: unknown) => {
    const parsed = TypingSettingsSchema.safeParse(value ?? {});
    return parsed.success ? parsed.data : {};
  };
  const defaults = section.success ? read(section.data.defaults) : {};
  const entry = section.success ? read(findEntry(section.data, agentId)) : {};
  const fallback: TypingMode = message.chatKind === "dm" || message.mentionsBot ? "instant" : "message";
  const seconds = defaults.typingIntervalSeconds;
  return {
    mode: entry.typingMode ?? defaults.typingMode ?? fallback,
    ...(seconds === undefined ? {} : { intervalMs: Math.round(seconds * 1000) }),
  };
}

function findEntry(section: z.infer<typeof AgentsSchema>, agentId: string): unknown {
  const wanted = agentId.toLowerCase();
  if (section.entries)
    return Object.entries(section.entries).find(([id]) => id.toLowerCase() === wanted)?.[1];
  return section.list?.find(
    (item) =>
      typeof item === "object" &&
      item !== null &&
      String((item as { id?: unknown }).id ?? "").toLowerCase() === wanted,
  );
}

/**
 * Whether a run event starts the indicator under `mode` (`message` and `thinking`): the first visible activity,
 * answer text or a tool call (this runtime streams no reasoning deltas, so `thinking` waits for the same).
 */
export function typingStartsOn(mode: TypingMode, event: AgentRunEvent): boolean {
  if (mode !== "message" && mode !== "thinking") return false;
  return event.stream === "assistant" || event.stream === "tool";
}
