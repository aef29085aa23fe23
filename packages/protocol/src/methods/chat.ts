import { z } from "zod";
import { boundedLooseObject } from "../bounded-schemas.js";
import { lazySchemas } from "../lazy-schemas.js";
import { LIMITS } from "../limits.js";

/** Built on first use (see lazySchemas). */
function buildChatSchemas() {
  const QueueModeSchema = z.enum(["steer", "followup", "collect", "interrupt"]);

  const id = z.string().max(LIMITS.idChars);
  const sessionKey = z.string().min(1).max(LIMITS.keyChars);
  const idempotencyKey = z.string().min(1).max(LIMITS.idChars);
  const message = z.string().max(LIMITS.messageChars);

  /**
   * OpenClaw's permissive attachment envelope: `content` is base64 or a `data:` URL (or, as OpenClaw also takes,
   * `source: { type: "base64", media_type, data }`); the gateway sniffs the bytes and trusts no declared type.
   */
  const ChatAttachmentSchema = boundedLooseObject({
    type: id.optional(),
    mimeType: id.optional(),
    fileName: z.string().max(LIMITS.pathChars).optional(),
    origin: id.optional(),
    content: z.string().max(CHAT_ATTACHMENT_CONTENT_CHARS).optional(),
    source: z
      .object({
        type: id,
        media_type: id.optional(),
        data: z.string().max(CHAT_ATTACHMENT_CONTENT_CHARS).optional(),
      })
      .optional(),
    sizeBytes: z.number().min(0).optional(),
    durationMs: z.number().min(0).optional(),
    width: z.number().min(0).optional(),
    height: z.number().min(0).optional(),
  });

  const ChatSendParamsSchema = z.object({
    sessionKey,
    agentId: id.optional(),
    message,
    attachments: z.array(ChatAttachmentSchema).max(CHAT_ATTACHMENTS_MAX).optional(),
    idempotencyKey,
    queueMode: QueueModeSchema.optional(),
    timeoutMs: z.int().min(0).optional(),
    thinking: id.optional(),
    deliver: z.boolean().optional(),
  });
  const ChatSendResultSchema = z.object({
    runId: z.string(),
    sessionKey: z.string(),
    /** OpenClaw's acknowledgements: `started` (also for a turn queued behind a running one), `in_flight` (a retry). */
    status: z.enum(["started", "in_flight", "ok"]),
    /** The turn waits for the session's running answer (our addition; OpenClaw's clients see `started`). */
    queued: z.boolean().optional(),
    deduped: z.boolean().optional(),
  });

  const ChatHistoryParamsSchema = z.object({
    sessionKey,
    agentId: id.optional(),
    limit: z.int().min(1).max(1000).optional(),
    /** Transcript entries to skip from the newest end, as OpenClaw pages back (`nextOffset` of the page before). */
    offset: z.int().min(0).max(10_000_000).optional(),
    maxChars: z.int().min(1).max(500_000).optional(),
  });
  /** A block of a history message's `content`, as OpenClaw's transcripts hold them. */
  const ChatHistoryContentBlockSchema = z.discriminatedUnion("type", [
    z.object({ type: z.literal("text"), text: z.string() }),
    z.object({ type: z.literal("toolCall"), id: z.string(), name: z.string(), arguments: z.unknown() }),
  ]);
  /**
   * One history message in OpenClaw's shape: `role`, `content` blocks and `timestamp`. A tool call is a `toolCall`
   * block in an assistant message, answered by a `role: "toolResult"` message (`toolCallId`, `toolName`, `isError`,
   * its output as a text block). `__openclaw` carries the row's id and position, its run and idempotency key.
   */
  const ChatHistoryMessageSchema = z.object({
    role: z.enum(["user", "assistant", "toolResult", "system"]),
    content: z.array(ChatHistoryContentBlockSchema),
    timestamp: z.number(),
    toolCallId: z.string().optional(),
    toolName: z.string().optional(),
    isError: z.boolean().optional(),
    provider: z.string().optional(),
    model: z.string().optional(),
    usage: z
      .object({
        input: z.number(),
        output: z.number(),
        cacheRead: z.number().optional(),
        cacheWrite: z.number().optional(),
        totalTokens: z.number(),
        /** US dollars at the configured price when the turn ran; absent when the model has no price. */
        cost: z
          .object({
            input: z.number(),
            output: z.number(),
            cacheRead: z.number(),
            cacheWrite: z.number(),
            total: z.number(),
          })
          .optional(),
      })
      .optional(),
    stopReason: z.enum(["stop", "toolUse", "error"]).optional(),
    /** On a user message: the media sent with it, by reference (the files stay in the gateway's media store). */
    media: z
      .array(
        z.object({
          kind: z.string(),
          path: z.string(),
          mimeType: z.string(),
          fileName: z.string().optional(),
          sizeBytes: z.number(),
          transcript: z.string().optional(),
        }),
      )
      .optional(),
    __openclaw: z.object({
      id: z.string(),
      seq: z.int().min(0),
      runId: z.string().optional(),
      idempotencyKey: z.string().optional(),
      kind: z.literal("compaction").optional(),
    }),
  });
  const ChatHistoryResultSchema = z.object({
    sessionKey: z.string(),
    sessionId: z.string().optional(),
    messages: z.array(ChatHistoryMessageSchema),
    /** The `offset` this page starts at, echoed when the caller paged. */
    offset: z.int().min(0).optional(),
    /** Present while older entries remain: the `offset` of the next (older) page. */
    nextOffset: z.int().min(0).optional(),
    hasMore: z.boolean(),
    /** Entries in the whole transcript. */
    totalMessages: z.int().min(0),
    /** The model a session of this agent runs with unless it picks its own (OpenClaw's TUI shows it). */
    defaults: z.object({
      modelProvider: z.string().nullable(),
      model: z.string().nullable(),
      contextTokens: z.int().min(1).nullable(),
      thinkingDefault: z.string().optional(),
    }),
    /** The session's own thinking level, when it set one. */
    thinkingLevel: z.string().optional(),
  });

  const ChatAbortParamsSchema = z.object({
    sessionKey,
    agentId: id.optional(),
    runId: id.optional(),
  });
  const ChatAbortResultSchema = z.object({ ok: z.literal(true), aborted: z.int().min(0) });

  const AgentParamsSchema = z.object({
    message,
    idempotencyKey,
    agentId: id.optional(),
    sessionKey: z.string().max(LIMITS.keyChars).optional(),
    model: id.optional(),
    provider: id.optional(),
    timeout: z.int().min(0).optional(),
    extraSystemPrompt: message.optional(),
  });
  /** The first answer to `agent`: OpenClaw's acknowledgement; the final one follows on the same request id. */
  const AgentResultSchema = z.object({
    runId: z.string(),
    sessionKey: z.string(),
    agentId: z.string(),
    status: z.enum(["accepted", "in_flight", "ok"]),
    acceptedAt: z.number(),
    queued: z.boolean().optional(),
    deduped: z.boolean().optional(),
  });

  /** The second answer to `agent`, once the run ended (what OpenClaw's `openclaw agent` prints from). */
  const AgentFinalResultSchema = z.object({
    runId: z.string(),
    status: z.enum(["ok", "error", "timeout"]),
    summary: z.string(),
    result: z.object({
      payloads: z.array(z.object({ text: z.string() })),
      meta: z.object({
        model: z.string().optional(),
        usage: z.object({ inputTokens: z.int(), outputTokens: z.int(), totalTokens: z.int() }).optional(),
      }),
    }),
  });

  const AgentWaitParamsSchema = z.object({
    runId: id.min(1),
    timeoutMs: z.int().min(0).optional(),
  });
  const AgentWaitResultSchema = z.object({
    runId: z.string(),
    status: z.enum(["ok", "error", "aborted", "timeout", "running"]),
    sessionKey: z.string().optional(),
    text: z.string().optional(),
    usage: z
      .object({ inputTokens: z.number(), outputTokens: z.number(), totalTokens: z.number() })
      .optional(),
    model: z.string().optional(),
    error: z.object({ code: z.string(), message: z.string() }).optional(),
  });

  /**
   * OpenClaw's params. This gateway knows only the models configured under `models.providers`, so every `view`
   * lists those; `provider` narrows them to one provider. `includeDetails`, `refresh`, `preparedOnly` and
   * `includeProviderCapabilities` ask OpenClaw to read or refresh its bundled catalog, which this gateway has not.
   */
  const ModelsListParamsSchema = z
    .object({
      agentId: id.optional(),
      view: z.enum(["default", "configured", "provider-config", "all"]).optional(),
      provider: id.optional(),
      sessionKey: z.string().max(LIMITS.keyChars).optional(),
      includeDetails: z.boolean().optional(),
      includeProviderCapabilities: z.boolean().optional(),
      refresh: z.boolean().optional(),
      preparedOnly: z.boolean().optional(),
    })
    .optional();
  const ModelChoiceSchema = z.object({
    id: z.string(),
    name: z.string(),
    provider: z.string(),
    contextWindow: z.int().min(1).optional(),
    /** Input kinds the model takes (`text`, `image`, ...), from its config entry; OpenClaw's CLI shows them. */
    input: z.array(z.string()).optional(),
    reasoning: z.boolean().optional(),
    available: z.boolean().optional(),
    unavailableReason: z.enum(["missing-auth", "auth-failed", "cooldown"]).optional(),
  });
  const ModelsListResultSchema = z.object({ models: z.array(ModelChoiceSchema) });

  /** Payload of the `agent` event: one step of a run, numbered per run. */
  const AgentEventSchema = z.object({
    runId: z.string(),
    seq: z.int().min(0),
    stream: z.string(),
    ts: z.int().min(0),
    data: z.record(z.string(), z.unknown()),
  });

  /** The assistant message on a `chat` event, in OpenClaw's shape: on a `delta` the whole text so far. */
  const ChatEventMessageSchema = z.object({
    role: z.literal("assistant"),
    content: z.array(ChatHistoryContentBlockSchema),
    timestamp: z.number(),
    provider: z.string().optional(),
    model: z.string().optional(),
  });

  /** Payload of the `chat` event: `delta`* then one of `final`, `aborted`, `error`. */
  const ChatEventSchema = z.object({
    runId: z.string(),
    sessionKey: z.string(),
    agentId: z.string().optional(),
    seq: z.int().min(0),
    state: z.enum(["delta", "final", "aborted", "error"]),
    deltaText: z.string().optional(),
    message: ChatEventMessageSchema.optional(),
    usage: z.unknown().optional(),
    stopReason: z.string().optional(),
    errorMessage: z.string().optional(),
    errorKind: z.enum(["refusal", "timeout", "rate_limit", "context_length", "unknown"]).optional(),
  });

  return {
    QueueModeSchema,
    ChatAttachmentSchema,
    ChatSendParamsSchema,
    ChatSendResultSchema,
    ChatHistoryParamsSchema,
    ChatHistoryContentBlockSchema,
    ChatHistoryMessageSchema,
    ChatHistoryResultSchema,
    ChatAbortParamsSchema,
    ChatAbortResultSchema,
    AgentParamsSchema,
    AgentResultSchema,
    AgentFinalResultSchema,
    AgentWaitParamsSchema,
    AgentWaitResultSchema,
    ModelsListParamsSchema,
    ModelChoiceSchema,
    ModelsListResultSchema,
    AgentEventSchema,
    ChatEventMessageSchema,
    ChatEventSchema,
  };
}

/** Items one `chat.send` may carry. */
export const CHAT_ATTACHMENTS_MAX = 10;
/**
 * Characters of one attachment's base64 content: a 20 MB file (OpenClaw's default `mediaMaxMb`) and a data-URL
 * prefix. The frame limit (`hello-ok.policy.maxPayload`) usually bites first; the decoded size is checked again by
 * the gateway against `policy.attachments`.
 */
export const CHAT_ATTACHMENT_CONTENT_CHARS = Math.ceil((20 * 1024 * 1024 * 4) / 3) + 1024;

const schemas = lazySchemas(buildChatSchemas);

export const QueueModeSchema = z.lazy(() => schemas().QueueModeSchema);
export const ChatAttachmentSchema = z.lazy(() => schemas().ChatAttachmentSchema);
export const ChatSendParamsSchema = z.lazy(() => schemas().ChatSendParamsSchema);
export const ChatSendResultSchema = z.lazy(() => schemas().ChatSendResultSchema);
export const ChatHistoryParamsSchema = z.lazy(() => schemas().ChatHistoryParamsSchema);
export const ChatHistoryContentBlockSchema = z.lazy(() => schemas().ChatHistoryContentBlockSchema);
export const ChatHistoryMessageSchema = z.lazy(() => schemas().ChatHistoryMessageSchema);
export const ChatHistoryResultSchema = z.lazy(() => schemas().ChatHistoryResultSchema);
export const ChatAbortParamsSchema = z.lazy(() => schemas().ChatAbortParamsSchema);
export const ChatAbortResultSchema = z.lazy(() => schemas().ChatAbortResultSchema);
export const AgentParamsSchema = z.lazy(() => schemas().AgentParamsSchema);
export const AgentResultSchema = z.lazy(() => schemas().AgentResultSchema);
export const AgentFinalResultSchema = z.lazy(() => schemas().AgentFinalResultSchema);
export type AgentFinalResult = z.infer<typeof AgentFinalResultSchema>;
export const AgentWaitParamsSchema = z.lazy(() => schemas().AgentWaitParamsSchema);
export const AgentWaitResultSchema = z.lazy(() => schemas().AgentWaitResultSchema);
export const ModelsListParamsSchema = z.lazy(() => schemas().ModelsListParamsSchema);
export const ModelChoiceSchema = z.lazy(() => schemas().ModelChoiceSchema);
export const ModelsListResultSchema = z.lazy(() => schemas().ModelsListResultSchema);
export const AgentEventSchema = z.lazy(() => schemas().AgentEventSchema);
export const ChatEventMessageSchema = z.lazy(() => schemas().ChatEventMessageSchema);
export const ChatEventSchema = z.lazy(() => schemas().ChatEventSchema);

export type QueueMode = z.infer<typeof QueueModeSchema>;
export type ChatAttachment = z.infer<typeof ChatAttachmentSchema>;
export type ChatSendParams = z.infer<typeof ChatSendParamsSchema>;
export type ChatSendResult = z.infer<typeof ChatSendResultSchema>;
export type ChatHistoryParams = z.infer<typeof ChatHistoryParamsSchema>;
export type ChatHistoryContentBlock = z.infer<typeof ChatHistoryContentBlockSchema>;
export type ChatHistoryMessage = z.infer<typeof ChatHistoryMessageSchema>;
export type ChatHistoryResult = z.infer<typeof ChatHistoryResultSchema>;
export type ChatAbortParams = z.infer<typeof ChatAbortParamsSchema>;
export type AgentParams = z.infer<typeof AgentParamsSchema>;
export type AgentWaitParams = z.infer<typeof AgentWaitParamsSchema>;
export type AgentWaitResult = z.infer<typeof AgentWaitResultSchema>;
export type ModelChoice = z.infer<typeof ModelChoiceSchema>;
export type ModelsListResult = z.infer<typeof ModelsListResultSchema>;
export type AgentEvent = z.infer<typeof AgentEventSchema>;
export type ChatEvent = z.infer<typeof ChatEventSchema>;
