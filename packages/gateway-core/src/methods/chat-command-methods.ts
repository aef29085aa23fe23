import type { ChatEvent, ChatSendResult } from "@openclaw/protocol";
import { normalizeSessionKey, parseSessionKey } from "@openclaw/sessions";
import { IdempotencyCache } from "../chat/idempotency-cache.js";
import { openClawAssistantMessage } from "../chat/openclaw-history-message.js";
import { defaultAgentId } from "../config/configured-agents.js";
import type { MethodHandler } from "../runtime/method-registry.js";
import { listAgents } from "./agents-methods.js";

/**
 * `chat.send` for a message that is an in-chat command (`/status`, `/new`, `/stop`, ...): the command runs for that
 * session instead of a model turn, and its reply arrives as the run's `chat` final event, which the Control UI shows
 * like any answer. Other messages, and a command for an agent that is not configured (refused by `chat.send`
 * itself), go to `send` unchanged.
 */
export function withTypedCommands(send: MethodHandler<"chat.send">): MethodHandler<"chat.send"> {
  // A retried send (same idempotency key) answers with the first run instead of running `/new` twice.
  const seen = new IdempotencyCache<ChatSendResult>({ maxEntries: 1_000 });
  return async (params, context) => {
    const { runtime } = context;
    if (!runtime.commands || !params.message.trimStart().startsWith("/")) return send(params, context);
    const sessionKey = normalizeSessionKey(params.sessionKey);
    const dedupeKey = `${sessionKey}\u0000${params.idempotencyKey}`;
    const earlier = seen.get(dedupeKey);
    if (earlier) return { ...earlier, deduped: true };
    const agentId =
      params.agentId ?? parseSessionKey(sessionKey)?.agentId ?? defaultAgentId(runtime.configState.config);
    if (!listAgents(runtime).some((agent) => agent.id === agentId)) return send(params, context);
    const outcome = await runtime.commands.runTyped({ sessionKey, agentId, text: params.message });
    if (outcome === undefined) return send(params, context);
    // `/new hello`: the fresh session's first message is what the operator sees answered.
    if (outcome.followUp) return send({ ...params, message: outcome.followUp }, context);
    // As for a model turn, the run is named by the idempotency key (OpenClaw's clients match their send by it).
    const result: ChatSendResult = { runId: params.idempotencyKey, sessionKey, status: "started" };
    seen.set(dedupeKey, result);
    const final: ChatEvent = {
      runId: result.runId,
      sessionKey,
      agentId,
      seq: 0,
      state: "final",
      message: openClawAssistantMessage(outcome.reply, Date.now()),
    };
    // After the answer to `chat.send` is on the wire, so the client knows the run before its final arrives.
    setImmediate(() => runtime.broadcast("chat", final, "operator.read"));
    return result;
  };
}
