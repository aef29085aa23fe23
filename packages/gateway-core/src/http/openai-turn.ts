import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AgentRunResult, TranscriptEntry } from "@openclaw/agent";
import { normalizeSessionKey } from "@openclaw/sessions";
import type { TurnAttachment } from "../chat/turn-attachment.js";
import { defaultAgentId } from "../config/configured-agents.js";
import type { TraceContext } from "../diagnostics/trace-context.js";
import { listAgents } from "../methods/agents-methods.js";
import type { GatewayRuntime } from "../runtime/gateway-runtime.js";
import { OpenAiHttpError } from "./openai-http-support.js";

const RESERVED_SESSION_PREFIXES = ["subagent:", "cron:", "acp:"];

export interface OpenAiTarget {
  agentId: string;
  /** `<provider>/<model>` to run instead of the agent's configured model. */
  modelOverride?: string;
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  const text = Array.isArray(value) ? value[0] : value;
  return text?.trim() || undefined;
}

/**
 * The OpenAI `model` field names an agent (`openclaw`, `openclaw/default`, `openclaw/<id>`, `openclaw:<id>`,
 * `agent:<id>`) or a configured `<provider>/<model>`, which runs on the default agent.
 */
export function resolveOpenAiTarget(
  runtime: GatewayRuntime,
  model: string,
  request: IncomingMessage,
): OpenAiTarget {
  const config = runtime.configState.config;
  const known = new Set(listAgents(runtime).map((agent) => agent.id));
  const headerAgent = header(request, "x-openclaw-agent-id");
  const headerModel = header(request, "x-openclaw-model");
  let agentId = defaultAgentId(config);
  let modelOverride: string | undefined;
  const agentMatch = /^(?:openclaw[/:]|agent:)(.+)$/.exec(model);
  if (model === "openclaw" || model === "openclaw/default") {
    // the default agent
  } else if (agentMatch?.[1]) {
    agentId = agentMatch[1];
  } else if (model.includes("/")) {
    const configured = runtime.chat.agent
      .listModels()
      .some((choice) => `${choice.provider}/${choice.id}` === model);
    if (!configured) {
      throw new OpenAiHttpError(
        404,
        `The model \`${model}\` does not exist: use "openclaw", "openclaw/<agentId>" or a configured "<provider>/<model>" (GET /v1/models lists them)`,
        {
          code: "model_not_found",
          param: "model",
        },
      );
    }
    modelOverride = model;
  } else {
    throw new OpenAiHttpError(
      404,
      `The model \`${model}\` does not exist: use "openclaw" or "openclaw/<agentId>"`,
      {
        code: "model_not_found",
        param: "model",
      },
    );
  }
  if (headerAgent) agentId = headerAgent;
  if (headerModel) modelOverride = headerModel;
  if (!known.has(agentId)) {
    throw new OpenAiHttpError(404, `no agent "${agentId}" is configured (GET /v1/models lists the agents)`, {
      code: "model_not_found",
      param: "model",
    });
  }
  return modelOverride ? { agentId, modelOverride } : { agentId };
}

/**
 * `x-openclaw-session-key` routes explicitly; the OpenAI `user` field derives a stable per-user session; without
 * either the request is stateless (undefined).
 */
export function resolveOpenAiSessionKey(
  agentId: string,
  user: string | undefined,
  request: IncomingMessage,
): string | undefined {
  const explicit = header(request, "x-openclaw-session-key");
  if (explicit) {
    if (
      RESERVED_SESSION_PREFIXES.some(
        (prefix) => explicit.startsWith(prefix) || explicit.includes(`:${prefix}`),
      )
    ) {
      throw new OpenAiHttpError(
        400,
        `x-openclaw-session-key may not use a reserved namespace (${RESERVED_SESSION_PREFIXES.join(", ")})`,
        {
          param: "x-openclaw-session-key",
        },
      );
    }
    return normalizeSessionKey(explicit, { agentId });
  }
  if (user?.trim()) return `agent:${agentId}:openai-user:${encodeURIComponent(user.trim())}`;
  return undefined;
}

export interface OpenAiTurnRequest {
  target: OpenAiTarget;
  sessionKey: string | undefined;
  message: string;
  /** Media of the user's message, stored and understood (their text is already in `message`). */
  attachments?: TurnAttachment[];
  /** Earlier turns sent by the caller; used only for stateless requests (a session has its own history). */
  history: TranscriptEntry[];
  systemPrompt?: string;
  /** The run's W3C trace (the caller's `traceparent` continued). */
  trace?: TraceContext;
}

/**
 * Runs one turn through the shared chat path and streams its text to `onDelta`. The run is aborted when the HTTP
 * client goes away before it finishes.
 */
export async function runOpenAiTurn(
  runtime: GatewayRuntime,
  turnRequest: OpenAiTurnRequest,
  response: ServerResponse,
  onDelta?: (delta: string) => void,
): Promise<AgentRunResult> {
  const runId = randomUUID();
  const stateless = turnRequest.sessionKey === undefined;
  const sessionKey =
    turnRequest.sessionKey ?? `agent:${turnRequest.target.agentId}:openai:stateless:${runId}`;
  const unsubscribe = onDelta
    ? runtime.chat.agent.on((event) => {
        if (event.runId !== runId || event.stream !== "assistant") return;
        const delta = event.data.delta;
        if (typeof delta === "string" && delta !== "") onDelta(delta);
      })
    : () => undefined;
  let finished = false;
  const onClose = () => {
    if (!finished) runtime.chat.agent.abort({ runId });
  };
  response.once("close", onClose);
  try {
    const turn = runtime.chat.start({
      runId,
      sessionKey,
      agentId: turnRequest.target.agentId,
      message: turnRequest.message,
      ...(turnRequest.attachments && turnRequest.attachments.length > 0
        ? { attachments: turnRequest.attachments }
        : {}),
      model: turnRequest.target.modelOverride,
      extraSystemPrompt: turnRequest.systemPrompt,
      ephemeralHistory: stateless ? turnRequest.history : undefined,
      ...(turnRequest.trace ? { trace: turnRequest.trace } : {}),
      origin: { channel: "http", trigger: "api" },
    });
    return await turn.done;
  } finally {
    finished = true;
    unsubscribe();
    response.off("close", onClose);
  }
}

/** Maps a failed run to the HTTP status and OpenAI error an OpenAI client understands. */
export function runFailure(result: AgentRunResult): OpenAiHttpError {
  const message = result.error?.message ?? "the agent run failed";
  switch (result.error?.code) {
    case "NO_PROVIDER_CONFIGURED":
      return new OpenAiHttpError(503, message, { code: "no_provider_configured" });
    case "MODEL_NOT_FOUND":
      return new OpenAiHttpError(404, message, { code: "model_not_found", param: "model" });
    case "TIMEOUT":
      return new OpenAiHttpError(504, message, { code: "timeout" });
    case "RATE_LIMITED":
      return new OpenAiHttpError(429, message, { type: "rate_limit_error", code: "rate_limited" });
    default:
      return new OpenAiHttpError(502, message, {
        code: (result.error?.code ?? "provider_error").toLowerCase(),
      });
  }
}

/**
 * OpenAI message content is a string or an array of parts. Earlier messages' media are not sent again: they read as
 * short notes, as a session's replayed history does.
 */
export function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part) => {
      if (typeof part === "string") return part;
      const record = part as {
        type?: unknown;
        text?: unknown;
        filename?: unknown;
        file?: { filename?: unknown };
      };
      if (typeof record?.text === "string") return record.text;
      if (record?.type === "image_url" || record?.type === "input_image") return "[image attached earlier]";
      const fileName = record?.type === "file" ? record.file?.filename : record?.filename;
      if (record?.type === "file" || record?.type === "input_file") {
        return typeof fileName === "string"
          ? `[file attached earlier: ${fileName}]`
          : "[file attached earlier]";
      }
      if (record?.type === "input_audio") return "[audio attached earlier]";
      return "";
    })
    .filter((text) => text !== "")
    .join("\n");
}
