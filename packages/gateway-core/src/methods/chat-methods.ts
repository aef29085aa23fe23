import type { AgentRunResult } from "@openclaw/agent";
import { type ChatSendResult, ErrorDetailCodes, GatewayError, type ModelChoice } from "@openclaw/protocol";
import { buildMainSessionKey, normalizeSessionKey, parseSessionKey } from "@openclaw/sessions";
import { type MediaUnderstanding, resolveAttachmentLimits } from "../chat/attachment-intake.js";
import { prepareChatSendAttachments } from "../chat/chat-send-attachments.js";
import type { ChatTurn } from "../chat/chat-service.js";
import { openClawHistoryMessages } from "../chat/openclaw-history-message.js";
import { defaultAgentId } from "../config/configured-agents.js";
import { withFinalAnswer } from "../runtime/final-answer.js";
import type { GatewayRuntime } from "../runtime/gateway-runtime.js";
import type { MethodHandlers } from "../runtime/method-registry.js";
import { agentFinalAnswer } from "./agent-final-answer.js";
import { listAgents } from "./agents-methods.js";
import { sessionDefaults } from "./session-defaults.js";

const HISTORY_DEFAULT_LIMIT = 200;

/**
 * OpenClaw's paging of `chat.history`: `offset` entries are skipped from the newest end, the page is the `limit`
 * entries before them, and `nextOffset` is where the next (older) page starts.
 */
export function historyPage(
  total: number,
  limit: number,
  offset: number,
): { start: number; end: number; hasMore: boolean; nextOffset: number } {
  const end = Math.max(0, total - offset);
  const start = Math.max(0, end - limit);
  const nextOffset = offset + (end - start);
  return { start, end, hasMore: start > 0, nextOffset };
}

function turnResult(turn: ChatTurn, wasBusy: boolean): ChatSendResult {
  const result: ChatSendResult = {
    runId: turn.runId,
    sessionKey: turn.sessionKey,
    status: turn.deduped ? "in_flight" : "started",
  };
  if (turn.deduped) result.deduped = true;
  else if (wasBusy) result.queued = true;
  return result;
}

function waitResult(result: AgentRunResult) {
  const out: {
    runId: string;
    status: AgentRunResult["status"];
    sessionKey: string;
    text: string;
    usage: AgentRunResult["usage"];
    model?: string;
    error?: { code: string; message: string };
  } = {
    runId: result.runId,
    status: result.status,
    sessionKey: result.sessionKey,
    text: result.text,
    usage: result.usage,
  };
  if (result.model) out.model = result.model;
  if (result.error) out.error = result.error;
  return out;
}

/**
 * The media pipeline as `chat.send` and the HTTP API use it: the runtime's media store, sniffing, transcription and
 * document text. Undefined while the runtime runs no media store; attachments are then refused with a clear error.
 */
export function controlPlaneMedia(runtime: GatewayRuntime): MediaUnderstanding | undefined {
  return runtime.media;
}

const WEBCHAT_ORIGIN = { channel: "webchat", trigger: "user" } as const;

/**
 * Acknowledged only once the user message is durable: a crash after the ack cannot lose it. In a cluster, a key
 * this instance has not seen is accepted while no other instance accepts it, so a send that reached two instances
 * at once runs once (the second answers as a retry, from the transcript).
 */
async function acceptTurn(
  runtime: GatewayRuntime,
  request: Parameters<GatewayRuntime["chat"]["accept"]>[0],
  signal?: AbortSignal,
): Promise<ChatSendResult> {
  const accept = async () => {
    const wasBusy = runtime.chat.agent.isActive(request.sessionKey);
    return turnResult(await runtime.chat.accept({ origin: WEBCHAT_ORIGIN, ...request }), wasBusy);
  };
  const { cluster } = runtime;
  const { sessionKey, idempotencyKey } = request;
  if (!cluster || idempotencyKey === undefined || runtime.chat.hasTurn(sessionKey, idempotencyKey))
    return accept();
  return cluster.acceptExclusively({ sessionKey, idempotencyKey }, accept, signal);
}

/**
 * Refuses an agent id that is not configured before anything is written: a session for it would create
 * `agents/<id>/` in the state directory. The id comes from `agentId` or from an `agent:<id>:...` session key.
 */
function requireConfiguredAgent(
  runtime: GatewayRuntime,
  agentId: string | undefined,
  sessionKey?: string,
): void {
  const configured = listAgents(runtime).map((agent) => agent.id);
  for (const id of [agentId, sessionKey === undefined ? undefined : parseSessionKey(sessionKey)?.agentId]) {
    if (id === undefined || configured.includes(id)) continue;
    throw new GatewayError(
      "INVALID_REQUEST",
      `no agent "${id}" is configured (configured: ${configured.join(", ")}); add it with the agents.create method or under agents.list in openclaw.json, or use one of those`,
      { details: { code: ErrorDetailCodes.AGENT_NOT_FOUND, agentId: id, configured } },
    );
  }
}

/**
 * OpenClaw names a `chat.send` run by its idempotency key, so a client can match `chat` events to its send before
 * the answer arrives. The same key already naming a run of another session gets a fresh id instead: run ids must
 * stay unique, and that run is not this turn (a retry in the same session is answered with its original run).
 */
function chatSendRunId(runtime: GatewayRuntime, retry: boolean, idempotencyKey: string): string | undefined {
  if (retry) return undefined;
  return runtime.chat.agent.getRun(idempotencyKey) === undefined ? idempotencyKey : undefined;
}

export const chatMethods: Pick<
  MethodHandlers,
  "chat.send" | "chat.history" | "chat.abort" | "agent" | "agent.wait" | "models.list"
> = {
  "chat.send": async (
    { sessionKey, message, attachments, idempotencyKey, agentId, queueMode, timeoutMs, thinking },
    { runtime, signal },
  ) => {
    const key = normalizeSessionKey(sessionKey);
    requireConfiguredAgent(runtime, agentId, key);
    // A retry of a turn already started answers with that turn: its files are not stored (or transcribed) again.
    const retry = runtime.chat.hasTurn(key, idempotencyKey);
    const prepared = await prepareChatSendAttachments(
      message,
      retry ? undefined : attachments,
      controlPlaneMedia(runtime),
      resolveAttachmentLimits(runtime.configState.config),
    );
    return acceptTurn(
      runtime,
      {
        runId: chatSendRunId(runtime, retry, idempotencyKey),
        sessionKey: key,
        message: prepared.message,
        ...(prepared.attachments.length > 0 ? { attachments: prepared.attachments } : {}),
        idempotencyKey,
        agentId,
        queueMode: queueMode === "interrupt" ? "steer" : queueMode,
        timeoutMs,
        ...(thinking === undefined ? {} : { thinking }),
      },
      signal,
    );
  },
  agent: async (
    { message, idempotencyKey, agentId, sessionKey, model, provider, timeout, extraSystemPrompt },
    { runtime, signal },
  ) => {
    requireConfiguredAgent(runtime, agentId);
    const agent = agentId ?? defaultAgentId(runtime.configState.config);
    const key = sessionKey
      ? normalizeSessionKey(sessionKey)
      : buildMainSessionKey(agent, runtime.configState.config.session.mainKey);
    requireConfiguredAgent(runtime, undefined, key);
    const modelRef = model && provider && !model.includes("/") ? `${provider}/${model}` : model;
    const turn = await acceptTurn(
      runtime,
      {
        sessionKey: key,
        message,
        idempotencyKey,
        agentId: agent,
        model: modelRef,
        timeoutMs: timeout,
        extraSystemPrompt,
      },
      signal,
    );
    const first = {
      ...turn,
      agentId: agent,
      status: turn.status === "started" ? ("accepted" as const) : turn.status,
      acceptedAt: Date.now(),
    };
    // OpenClaw answers `agent` twice on the same id: this acknowledgement, then the run's result.
    const done = runtime.chat.runResult(turn.runId);
    return done ? withFinalAnswer(first, done.then(agentFinalAnswer)) : first;
  },
  "agent.wait": async ({ runId, timeoutMs }, { runtime }) => {
    const done = runtime.chat.runResult(runId);
    if (!done) {
      const known = runtime.chat.agent.getRun(runId);
      if (known?.result) return waitResult(known.result);
      if (known) return { runId, status: "running" as const };
      throw new GatewayError(
        "INVALID_REQUEST",
        `no run "${runId}" is known to this gateway (finished runs are kept for a while only)`,
        {
          details: { code: "RUN_NOT_FOUND", runId },
        },
      );
    }
    const limit = timeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), limit);
    });
    try {
      const outcome = await Promise.race([done, timedOut]);
      return outcome === "timeout" ? { runId, status: "timeout" as const } : waitResult(outcome);
    } finally {
      clearTimeout(timer);
    }
  },
  "chat.abort": ({ sessionKey, runId }, { runtime }) => ({
    ok: true as const,
    aborted: runtime.chat.agent.abort({ sessionKey: normalizeSessionKey(sessionKey), runId }),
  }),
  "chat.history": async ({ sessionKey, agentId, limit, offset, maxChars }, { runtime }) => {
    const key = normalizeSessionKey(sessionKey);
    const row = await runtime.sessions.get(key);
    // The whole transcript is read to count it (`totalMessages`); compaction keeps transcripts bounded.
    const entries = await runtime.sessions.readTranscript(key);
    const page = historyPage(entries.length, limit ?? HISTORY_DEFAULT_LIMIT, offset ?? 0);
    const messages = openClawHistoryMessages(entries.slice(page.start, page.end), {
      firstSeq: page.start,
      ...(maxChars === undefined ? {} : { maxChars }),
    });
    return {
      sessionKey: key,
      ...(row?.sessionId ? { sessionId: row.sessionId } : {}),
      messages,
      ...(offset === undefined ? {} : { offset }),
      ...(page.hasMore ? { nextOffset: page.nextOffset } : {}),
      hasMore: page.hasMore,
      totalMessages: entries.length,
      defaults: sessionDefaults(runtime, agentId ?? parseSessionKey(key)?.agentId),
      ...(row?.thinkingLevel ? { thinkingLevel: row.thinkingLevel } : {}),
    };
  },
  "models.list": (params, { runtime }) => ({
    models: runtime.chat.agent
      .listModels()
      .filter((model) => params?.provider === undefined || model.provider === params.provider)
      .map((model) => modelChoice(runtime, model)),
  }),
};

type ModelListing = ReturnType<GatewayRuntime["chat"]["agent"]["listModels"]>[number];

/** A configured model as OpenClaw's `models.list` row: the listing plus its config entry's `input` and `reasoning`. */
function modelChoice(runtime: GatewayRuntime, model: ModelListing): ModelChoice {
  const choice: ModelChoice = {
    id: model.id,
    name: model.name,
    provider: model.provider,
    available: model.available,
  };
  if (model.contextWindow !== undefined) choice.contextWindow = model.contextWindow;
  if (model.unavailableReason) choice.unavailableReason = model.unavailableReason;
  const entry = runtime.configState.config.models?.providers?.[model.provider]?.models?.find(
    (candidate) => candidate.id === model.id,
  );
  if (entry?.input !== undefined) choice.input = entry.input;
  if (entry?.reasoning !== undefined) choice.reasoning = entry.reasoning;
  return choice;
}
