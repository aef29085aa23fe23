import type { AgentRunEvent } from "@openclaw/agent";
import type { InboundMessage } from "@openclaw/plugin-sdk";
import { z } from "zod";

/** OpenClaw's `typingMode`: when the typing indicator starts (it always stops when the answer is out). */
export type TypingMode = "never" | "instant" | "thinking" | "message";

const TypingModeSchema = z.enum(["never", "instant", "thinking", "message"]);
const HumanDelaySchema = z.looseObject({
  mode: z.enum(["off", "natural", "custom"]).optional(),
  minMs: z.number().int().min(0).max(60_000).optional(),
  maxMs: z.number().int().min(0).max(60_000).optional(),
});
const TypingSettingsSchema = z.looseObject({
  typingMode: TypingModeSchema.optional(),
  typingIntervalSeconds: z.number().positive().max(300).optional(),
  humanDelay: HumanDelaySchema.optional(),
});

/** OpenClaw's `natural` pause between block replies. */
export const NATURAL_DELAY_MS = { min: 800, max: 2_500 } as const;
const AgentsSchema = z.looseObject({
  defaults: z.unknown().optional(),
  list: z.array(z.unknown()).optional(),
  entries: z.record(z.string(), z.unknown()).optional(),
});

export interface TypingPolicy {
  mode: TypingMode;
  /** `agents.defaults.typingIntervalSeconds` in ms; undefined keeps the delivery's own cadence. */
  intervalMs?: number;
  /** `humanDelay` (the agent's, else the defaults'): the pause range between block replies; undefined: none. */
  blockDelayMs?: { min: number; max: number };
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
  const delay = blockDelayRange(entry.humanDelay ?? defaults.humanDelay);
  return {
    mode: entry.typingMode ?? defaults.typingMode ?? fallback,
    ...(seconds === undefined ? {} : { intervalMs: Math.round(seconds * 1000) }),
    ...(delay ? { blockDelayMs: delay } : {}),
  };
}

/** `natural` is 800-2500 ms; `custom` takes minMs/maxMs, each falling back to the natural bound; `off`: none. */
function blockDelayRange(
  delay: z.infer<typeof HumanDelaySchema> | undefined,
): { min: number; max: number } | undefined {
  if (delay === undefined || (delay.mode ?? "off") === "off") return undefined;
  if (delay.mode === "natural") return { ...NATURAL_DELAY_MS };
  const min = delay.minMs ?? NATURAL_DELAY_MS.min;
  const max = Math.max(min, delay.maxMs ?? NATURAL_DELAY_MS.max);
  return { min, max };
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
