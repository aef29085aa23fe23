import { z } from "zod";
import { lazySchemas } from "../lazy-schemas.js";
import { LIMITS } from "../limits.js";
import { ChatHistoryMessageSchema } from "./chat.js";

/**
 * What OpenClaw's Control UI loads when it opens a chat: the first page of history with the session's facts
 * (`chat.startup`), the slash commands and models (`chat.metadata`), the agent's name and avatar, and panels for
 * features this gateway does not have (progress cards, provider auth profiles), which answer OpenClaw's own
 * empty or "unavailable" shapes.
 */
function buildChatCompatSchemas() {
  const id = z.string().min(1).max(LIMITS.idChars);
  const sessionKey = z.string().min(1).max(LIMITS.keyChars);

  const ChatStartupParamsSchema = z.object({
    sessionKey,
    agentId: id.optional(),
    limit: z.int().min(1).max(1_000).optional(),
    maxBytes: z
      .int()
      .min(1)
      .max(16 * 1024 * 1024)
      .optional(),
  });
  const SessionDefaultsSchema = z.object({
    modelProvider: z.string().optional(),
    model: z.string().optional(),
    contextTokens: z.int().min(0).optional(),
    modelSelectionTarget: z.literal("session"),
  });
  /** The session's facts the chat header shows; `updatedAt: null` and no row fields for a chat not started yet. */
  const ChatSessionInfoSchema = z.object({
    key: z.string(),
    sessionId: z.string().optional(),
    label: z.string().optional(),
    displayName: z.string().optional(),
    thinkingLevel: z.string().optional(),
    kind: z.string(),
    agentId: z.string(),
    isMain: z.boolean(),
    updatedAt: z.number().nullable(),
    archived: z.boolean(),
    pinned: z.boolean(),
    unread: z.boolean(),
    modelProvider: z.string().optional(),
    model: z.string().optional(),
    hasActiveRun: z.boolean(),
    activeRunIds: z.array(z.string()),
    snapshotAt: z.int().min(0),
  });
  const ChatStartupResultSchema = z.object({
    sessionKey: z.string(),
    sessionId: z.string().optional(),
    messages: z.array(ChatHistoryMessageSchema),
    /** Messages queued behind a running turn; this gateway queues none that a client could list. */
    pendingInputs: z.object({ items: z.array(z.never()), total: z.literal(0) }),
    hasMore: z.boolean(),
    totalMessages: z.int().min(0),
    defaults: SessionDefaultsSchema,
    sessionInfo: ChatSessionInfoSchema,
  });

  const ChatMetadataParamsSchema = z.object({ agentId: id.optional(), sessionKey: sessionKey.optional() });
  const ChatCommandEntrySchema = z.object({
    name: z.string(),
    nativeName: z.string(),
    textAliases: z.array(z.string()),
    description: z.string(),
    source: z.literal("native"),
    scope: z.literal("both"),
    acceptsArgs: z.boolean(),
    args: z
      .array(z.object({ name: z.string(), description: z.string(), type: z.literal("string") }))
      .optional(),
  });
  const ChatMetadataResultSchema = z.object({
    models: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        provider: z.string(),
        contextWindow: z.int().min(0).optional(),
        available: z.boolean(),
      }),
    ),
    commands: z.array(ChatCommandEntrySchema),
  });

  const CommandsListParamsSchema = z.object({
    sessionKey: sessionKey.optional(),
    agentId: id.optional(),
    provider: id.optional(),
    scope: z.enum(["text", "native", "both"]).optional(),
    includeArgs: z.boolean().optional(),
  });
  const CommandsListResultSchema = z.object({ commands: z.array(ChatCommandEntrySchema) });

  const ProgressCardGetParamsSchema = z.object({ sessionKey });
  /** No progress cards exist here: OpenClaw answers `card: null` for a session without one. */
  const ProgressCardGetResultSchema = z.object({ card: z.null() });

  const AgentIdentityGetParamsSchema = z.object({
    agentId: id.optional(),
    sessionKey: sessionKey.optional(),
  });
  const AgentIdentityGetResultSchema = z.object({
    agentId: z.string(),
    name: z.string(),
    nameSource: z.enum(["config", "default"]),
    avatar: z.string(),
    emoji: z.string().optional(),
  });

  const ModelsAuthStatusParamsSchema = z.object({ agentId: id.optional(), refresh: z.boolean().optional() });
  /** OpenClaw's answer when it cannot report auth profiles: no providers, and `unavailable` saying why. */
  const ModelsAuthStatusResultSchema = z.object({
    ts: z.int().min(0),
    providers: z.array(z.never()),
    unavailable: z.object({ code: z.string(), message: z.string() }),
  });

  return {
    ChatStartupParamsSchema,
    ChatStartupResultSchema,
    ChatMetadataParamsSchema,
    ChatMetadataResultSchema,
    CommandsListParamsSchema,
    CommandsListResultSchema,
    ProgressCardGetParamsSchema,
    ProgressCardGetResultSchema,
    AgentIdentityGetParamsSchema,
    AgentIdentityGetResultSchema,
    ModelsAuthStatusParamsSchema,
    ModelsAuthStatusResultSchema,
  };
}

const schemas = lazySchemas(buildChatCompatSchemas);
export const ChatStartupParamsSchema = z.lazy(() => schemas().ChatStartupParamsSchema);
export const ChatStartupResultSchema = z.lazy(() => schemas().ChatStartupResultSchema);
export const ChatMetadataParamsSchema = z.lazy(() => schemas().ChatMetadataParamsSchema);
export const ChatMetadataResultSchema = z.lazy(() => schemas().ChatMetadataResultSchema);
export const CommandsListParamsSchema = z.lazy(() => schemas().CommandsListParamsSchema);
export const CommandsListResultSchema = z.lazy(() => schemas().CommandsListResultSchema);
export const ProgressCardGetParamsSchema = z.lazy(() => schemas().ProgressCardGetParamsSchema);
export const ProgressCardGetResultSchema = z.lazy(() => schemas().ProgressCardGetResultSchema);
export const AgentIdentityGetParamsSchema = z.lazy(() => schemas().AgentIdentityGetParamsSchema);
export const AgentIdentityGetResultSchema = z.lazy(() => schemas().AgentIdentityGetResultSchema);
export const ModelsAuthStatusParamsSchema = z.lazy(() => schemas().ModelsAuthStatusParamsSchema);
export const ModelsAuthStatusResultSchema = z.lazy(() => schemas().ModelsAuthStatusResultSchema);
export type ChatStartupResult = z.infer<typeof ChatStartupResultSchema>;
