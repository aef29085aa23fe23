import type { InboundMessage } from "@openclaw/plugin-sdk";
import {
  matchResetTrigger,
  resetPolicyFor,
  type SessionResetChatType,
  type SessionResetConfig,
  type SessionStore,
  sessionExpiry,
} from "@openclaw/sessions";
import { describeError } from "./channel-error.js";
import type { InboundCommandHandler, InboundTurnContext } from "./inbound-types.js";

/** Session start times learned from transcripts, by session id (a session id's start never changes). */
const MAX_KNOWN_STARTS = 10_000;

/** The built-in commands that reset; their text is left to the command handler and its authorisation. */
const RESET_COMMANDS = new Set(["/new", "/reset"]);

export interface InboundSessionResetOptions {
  sessions: Pick<SessionStore, "get" | "reset" | "readTranscript">;
  /** `session` of the current config (reset, resetByType, resetByChannel, resetTriggers), read per message. */
  getSession: () => SessionResetConfig & { resetTriggers?: readonly string[] };
  now: () => number;
}

/**
 * OpenClaw's automatic session reset for channel conversations, in front of the in-chat commands: before a message
 * is handled, a session that expired under its policy (daily at an hour, or after idle minutes) starts fresh, and a
 * message starting with one of `session.resetTriggers` starts a fresh session and carries on with the text after the
 * trigger. Everything else is the wrapped command handler's.
 */
export function withSessionReset(
  inner: InboundCommandHandler | undefined,
  o: InboundSessionResetOptions,
): InboundCommandHandler {
  const knownStarts = new Map<string, number>();

  async function startedAt(sessionKey: string, sessionId: string | undefined): Promise<number | undefined> {
    const known = sessionId === undefined ? undefined : knownStarts.get(sessionId);
    if (known !== undefined) return known;
    const [first] = await o.sessions.readTranscript(sessionKey);
    if (first === undefined) return undefined;
    if (sessionId === undefined) return first.ts;
    if (knownStarts.size >= MAX_KNOWN_STARTS) knownStarts.clear();
    knownStarts.set(sessionId, first.ts);
    return first.ts;
  }

  async function expireIfDue(context: InboundTurnContext): Promise<void> {
    const { message, sessionKey } = context;
    const policy = resetPolicyFor(o.getSession(), {
      channel: message.channel,
      chatType: chatTypeOf(message),
    });
    if (!policy) return;
    const row = await o.sessions.get(sessionKey);
    // A session with nothing in it has nothing to forget.
    if (!row || row.messageCount === 0) return;
    const lastInteractionAt = row.lastActiveAt ?? undefined;
    // Daily freshness counts from the session's first entry (read once per session id), idle from its last one.
    const start =
      policy.mode === "daily"
        ? await startedAt(sessionKey, row.sessionId)
        : (lastInteractionAt ?? row.updatedAt ?? undefined);
    if (start === undefined) return;
    const reason = sessionExpiry(policy, { startedAt: start, lastInteractionAt }, o.now());
    if (reason === undefined) return;
    await o.sessions.reset(sessionKey, { reason: "reset" });
    context.account.logger.info(
      "session expired under the session reset policy; this message starts a fresh one",
      {
        reason,
        chatKind: message.chatKind,
      },
    );
  }

  async function handle(context: InboundTurnContext): Promise<boolean | { followUp: string }> {
    // `/stop` and `/status` act on the session as it is (its running turn), so they never start a fresh one.
    const immediate = inner?.isImmediate?.(context.message) === true;
    try {
      if (!immediate) await expireIfDue(context);
    } catch (error) {
      // The message still runs, in the old session; the next message tries again.
      context.account.logger.warn("session reset policy could not be applied", {
        error: describeError(error),
      });
    }
    const triggers = (o.getSession().resetTriggers ?? []).filter(
      (trigger) => !RESET_COMMANDS.has(trigger.trim().toLowerCase()),
    );
    const triggered = matchResetTrigger(context.message.text, triggers);
    if (triggered) {
      await o.sessions.reset(context.sessionKey, { reason: "new" });
      if (triggered.rest === "") {
        await context.reply("✅ New session started.");
        return true;
      }
      return { followUp: triggered.rest };
    }
    return inner ? inner.handle(context) : false;
  }

  return {
    handle,
    ...(inner?.isImmediate ? { isImmediate: inner.isImmediate.bind(inner) } : {}),
    ...(inner?.addressesBot ? { addressesBot: inner.addressesBot.bind(inner) } : {}),
    ...(inner?.nativeCommands ? { nativeCommands: inner.nativeCommands.bind(inner) } : {}),
  };
}

function chatTypeOf(message: InboundMessage): SessionResetChatType {
  if (message.threadId) return "thread";
  return message.chatKind === "dm" ? "direct" : "group";
}
