/**
 * OpenClaw's automatic session reset (`session.reset`, `session.resetByType`, `session.resetByChannel`): when a
 * conversation's session has expired, its next message starts a fresh session, as `/new` would.
 */
export interface SessionResetPolicy {
  /** `none` (OpenClaw's default) never expires; `daily` expires at `atHour`; `idle` after `idleMinutes` of quiet. */
  mode?: "none" | "daily" | "idle";
  /** Local hour (0-23) at which `daily` sessions expire; default 4. */
  atHour?: number;
  /** Minutes without a message after which the session expires (with `daily` too: whichever comes first). */
  idleMinutes?: number;
}

export interface SessionResetConfig {
  reset?: SessionResetPolicy;
  resetByType?: Partial<Record<SessionResetChatType, SessionResetPolicy>>;
  resetByChannel?: Record<string, SessionResetPolicy>;
}

/** The conversation kinds `resetByType` distinguishes. */
export type SessionResetChatType = "direct" | "group" | "thread";

export const DEFAULT_RESET_AT_HOUR = 4;
/** `idle` without `idleMinutes` (OpenClaw's documented example value). */
export const DEFAULT_IDLE_MINUTES = 60;

/**
 * The policy for one conversation, as OpenClaw picks it: the channel's entry in `resetByChannel` wins outright;
 * else the chat type's entry in `resetByType`; else `reset`. Undefined: the session never expires.
 */
export function resetPolicyFor(
  config: SessionResetConfig,
  conversation: { channel?: string; chatType: SessionResetChatType },
): SessionResetPolicy | undefined {
  const byChannel = conversation.channel ? config.resetByChannel?.[conversation.channel] : undefined;
  const policy = byChannel ?? config.resetByType?.[conversation.chatType] ?? config.reset;
  if (policy === undefined || (policy.mode ?? "none") === "none") return undefined;
  return policy;
}

/** The most recent daily reset moment at or before `now` (host local time). */
export function lastDailyBoundary(now: number, atHour: number): number {
  const boundary = new Date(now);
  boundary.setHours(atHour, 0, 0, 0);
  if (boundary.getTime() > now) boundary.setDate(boundary.getDate() - 1);
  return boundary.getTime();
}

/**
 * Why the session has expired under `policy` (`daily` or `idle`), or undefined when it is still fresh. Daily
 * freshness counts from when the session started; idle freshness from its last message.
 */
export function sessionExpiry(
  policy: SessionResetPolicy,
  session: { startedAt: number; lastInteractionAt: number | undefined },
  now: number,
): "daily" | "idle" | undefined {
  if (policy.mode === "daily") {
    const boundary = lastDailyBoundary(now, policy.atHour ?? DEFAULT_RESET_AT_HOUR);
    if (session.startedAt < boundary) return "daily";
  }
  const idleMinutes = policy.idleMinutes ?? (policy.mode === "idle" ? DEFAULT_IDLE_MINUTES : undefined);
  const last = session.lastInteractionAt ?? session.startedAt;
  if (idleMinutes !== undefined && now - last >= idleMinutes * 60_000) return "idle";
  return undefined;
}

/**
 * `session.resetTriggers`: when the message starts with one of the triggers (case-insensitive, followed by the end
 * or whitespace), the text after it (kept whole, later lines included); otherwise undefined.
 */
export function matchResetTrigger(text: string, triggers: readonly string[]): { rest: string } | undefined {
  const trimmed = text.trimStart();
  const lower = trimmed.toLowerCase();
  for (const trigger of triggers) {
    const word = trigger.trim().toLowerCase();
    if (word === "" || !lower.startsWith(word)) continue;
    const after = trimmed.slice(word.length);
    if (after !== "" && !/^\s/.test(after)) continue;
    return { rest: after.trim() };
  }
  return undefined;
}
