import { parseSessionKey } from "@openclaw/sessions";

/**
 * What a session is, for deciding which workspace files its runs see:
 * - `private`: the agent's main session or a one-to-one chat with a person (MEMORY.md is loaded);
 * - `shared`: a group, a channel, or the one session everybody shares (`global`): never anyone's memory;
 * - `subagent`: a sub-agent's run, which sees only AGENTS.md;
 * - `cron`: a scheduled job, which sees the persona and the user but no memory;
 * - `hook`: a webhook-triggered run: its input comes from outside, so no memory either.
 */
export type PromptSessionKind = "private" | "shared" | "subagent" | "cron" | "hook";

const SHARED_SENTINELS = new Set(["global", "unknown"]);

export function promptSessionKind(sessionKey: string, options: { mainKey?: string } = {}): PromptSessionKind {
  const parsed = parseSessionKey(sessionKey, options);
  if (!parsed) {
    // A free-form key (an operator's own `@alice/pi-main`) is an operator talking to their agent.
    return SHARED_SENTINELS.has(sessionKey.trim().toLowerCase()) ? "shared" : "private";
  }
  if (parsed.kind !== "direct") return "shared";
  const first = parsed.rest.split(":")[0]?.toLowerCase();
  if (first === "subagent") return "subagent";
  if (first === "cron") return "cron";
  if (first === "hook") return "hook";
  return "private";
}

/** The main session or a direct (one-to-one) chat: the only sessions whose runs get MEMORY.md, as in OpenClaw. */
export function isMainSession(sessionKey: string, options: { mainKey?: string } = {}): boolean {
  return promptSessionKind(sessionKey, options) === "private";
}
