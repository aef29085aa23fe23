import { randomUUID } from "node:crypto";
import { ErrorDetailCodes, GatewayError, type SESSIONS_COMPAT_CONTRACTS } from "@openclaw/protocol";
import { buildMainSessionKey, normalizeSessionKey, parseSessionKey } from "@openclaw/sessions";
import { openClawAssistantMessage, openClawHistoryMessages } from "../chat/openclaw-history-message.js";
import type { GatewayRuntime } from "../runtime/gateway-runtime.js";
import type { MethodHandlers } from "../runtime/method-registry.js";
import { chatMethods, historyPage } from "./chat-methods.js";

const GET_DEFAULT_LIMIT = 200;
/** How OpenClaw names the author of a note written by `chat.inject`: no model wrote it. */
const INJECTED_MODEL_REF = "openclaw/gateway-injected";

/** The key as the store writes it; a bare main key (`main`) becomes the named agent's main session. */
function sessionKeyOf(key: string, agentId: string | undefined): string {
  return normalizeSessionKey(key, agentId === undefined ? {} : { agentId });
}

function sessionNotFound(key: string, fix: string): GatewayError {
  return new GatewayError("INVALID_REQUEST", `session not found: ${key}; ${fix}`, {
    details: { code: ErrorDetailCodes.SESSION_NOT_FOUND, key },
  });
}

/** An agent's main session (`agent:<id>:<mainKey>`) always exists for OpenClaw: a send to it creates it. */
function isAgentMainSessionKey(runtime: GatewayRuntime, key: string): boolean {
  const agentId = parseSessionKey(key)?.agentId;
  return (
    agentId !== undefined && key === buildMainSessionKey(agentId, runtime.configState.config.session.mainKey)
  );
}

/**
 * The chat screen's methods of OpenClaw's Control UI that are not `chat.*`: its send and stop go through the very
 * handlers of `chat.send` and `chat.abort` (same acceptance, durability and run naming), `sessions.get` reads
 * recent messages as `chat.history` shows them, and `chat.inject` writes a note into a transcript without a run.
 */
export const sessionsCompatMethods: Pick<MethodHandlers, keyof typeof SESSIONS_COMPAT_CONTRACTS> = {
  "sessions.send": async (
    { key, agentId, message, thinking, attachments, timeoutMs, idempotencyKey },
    context,
  ) => {
    const sessionKey = sessionKeyOf(key, agentId);
    // As OpenClaw: a send goes into an existing session (an agent's main session is made on first use).
    if (
      !isAgentMainSessionKey(context.runtime, sessionKey) &&
      !(await context.runtime.sessions.get(sessionKey))
    ) {
      throw sessionNotFound(sessionKey, "create it with sessions.create, or send to an agent's main session");
    }
    // `mentions` name people of OpenClaw's user profiles, which this gateway has not: the text is sent as typed.
    return chatMethods["chat.send"](
      {
        sessionKey,
        message,
        idempotencyKey: idempotencyKey ?? randomUUID(),
        ...(agentId === undefined ? {} : { agentId }),
        ...(attachments === undefined ? {} : { attachments }),
        ...(timeoutMs === undefined ? {} : { timeoutMs }),
        ...(thinking === undefined ? {} : { thinking }),
      },
      context,
    );
  },
  "sessions.abort": async ({ key, runId, agentId }, context) => {
    const sessionKey = key === undefined ? undefined : sessionKeyOf(key, agentId);
    const keyAgent = sessionKey === undefined ? undefined : parseSessionKey(sessionKey)?.agentId;
    if (agentId !== undefined && keyAgent !== undefined && keyAgent !== agentId) {
      throw new GatewayError(
        "INVALID_REQUEST",
        `session key "${sessionKey}" belongs to agent "${keyAgent}", not "${agentId}": drop agentId or fix the key`,
      );
    }
    const agent = context.runtime.chat.agent;
    // Named before the abort: once stopped, the session no longer says which run it was running.
    const running = runId ?? (sessionKey === undefined ? undefined : agent.activeRunId(sessionKey));
    // Queued turns of the session are dropped with its running one, as `chat.abort` does (OpenClaw's clearQueued).
    const { aborted } =
      sessionKey === undefined
        ? { aborted: agent.abort({ runId }) }
        : await chatMethods["chat.abort"]({ sessionKey, ...(runId === undefined ? {} : { runId }) }, context);
    return {
      ok: true as const,
      abortedRunId: aborted > 0 ? (running ?? null) : null,
      status: aborted > 0 ? ("aborted" as const) : ("no-active-run" as const),
    };
  },
  "sessions.get": async ({ key, sessionKey, agentId, limit }, { runtime }) => {
    const resolved = sessionKeyOf((key ?? sessionKey) as string, agentId);
    if (!(await runtime.sessions.get(resolved))) return { messages: [] };
    // The whole transcript is read so each message keeps its position (`__openclaw.seq`), as in chat.history.
    const entries = await runtime.sessions.readTranscript(resolved);
    const page = historyPage(entries.length, limit ?? GET_DEFAULT_LIMIT, 0);
    return {
      messages: openClawHistoryMessages(entries.slice(page.start, page.end), { firstSeq: page.start }),
    };
  },
  "chat.inject": async ({ sessionKey, agentId, message, label }, { runtime }) => {
    const key = sessionKeyOf(sessionKey, agentId);
    if (!(await runtime.sessions.get(key))) {
      throw sessionNotFound(
        key,
        "chat.inject writes into an existing session: start it with chat.send first",
      );
    }
    const text = label ? `[${label}]\n\n${message}` : message;
    const ts = Date.now();
    const injectId = randomUUID();
    // An assistant line no model wrote, as OpenClaw records it; the next turn's model sees it like any other.
    await runtime.sessions.appendTranscript(key, {
      role: "assistant",
      text,
      ts,
      model: INJECTED_MODEL_REF,
      injectId,
    });
    const entries = await runtime.sessions.readTranscript(key);
    const seq = entries.findLastIndex((entry) => entry.injectId === injectId);
    const messageId = `entry-${seq === -1 ? entries.length - 1 : seq}`;
    const keyAgent = parseSessionKey(key)?.agentId;
    // Open chat screens show it at once, as the final message of a run of its own.
    runtime.broadcast(
      "chat",
      {
        runId: `inject-${messageId}`,
        sessionKey: key,
        ...(keyAgent === undefined ? {} : { agentId: keyAgent }),
        seq: 0,
        state: "final",
        message: openClawAssistantMessage(text, ts, INJECTED_MODEL_REF),
      },
      "operator.read",
    );
    return { ok: true as const, messageId };
  },
};
