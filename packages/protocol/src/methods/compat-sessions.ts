import { z } from "zod";
import { lazySchemas } from "../lazy-schemas.js";
import { LIMITS } from "../limits.js";
import {
  CHAT_ATTACHMENTS_MAX,
  ChatAttachmentSchema,
  ChatHistoryMessageSchema,
  ChatSendResultSchema,
} from "./chat.js";
import { contract } from "./contract.js";

/**
 * Session methods OpenClaw's Control UI calls on its chat screen beside the core families, with OpenClaw 2026.9.6's
 * params and answers: `sessions.send` / `sessions.abort` (the chat screen's send and stop, over the same path as
 * `chat.send` / `chat.abort`), `sessions.get` (a session's recent messages), `chat.inject` (a note written into a
 * transcript without a run), and the payload of the `session.message` event.
 */
function buildSessionsCompatSchemas() {
  const id = z.string().min(1).max(LIMITS.idChars);
  const sessionKey = z.string().min(1).max(LIMITS.keyChars);

  /** A mention of a person in the message (OpenClaw's user profiles). This gateway has no profiles: kept unread. */
  const HumanMentionSchema = z.object({
    profileId: id,
    start: z.int().min(0),
    end: z.int().min(1),
  });

  const SessionsSendParamsSchema = z.object({
    key: sessionKey,
    agentId: id.optional(),
    message: z.string().max(LIMITS.messageChars),
    thinking: id.optional(),
    attachments: z.array(ChatAttachmentSchema).max(CHAT_ATTACHMENTS_MAX).optional(),
    timeoutMs: z.int().min(0).optional(),
    /** Names the run, as for `chat.send`; a fresh one is made when missing. */
    idempotencyKey: id.optional(),
    mentions: z.array(HumanMentionSchema).max(10).optional(),
  });

  const SessionsAbortParamsSchema = z
    .object({
      key: sessionKey.optional(),
      runId: id.optional(),
      agentId: id.optional(),
      /** Queued turns of the session are dropped with its running one in any case (see `sessions.abort`). */
      clearQueued: z.boolean().optional(),
    })
    .refine((params) => params.key !== undefined || params.runId !== undefined, {
      message: "name the session (key) or the run (runId) to abort",
    });
  const SessionsAbortResultSchema = z.object({
    ok: z.literal(true),
    /** The run that was stopped; null when nothing was running. */
    abortedRunId: z.string().nullable(),
    status: z.enum(["aborted", "no-active-run"]),
  });

  const SessionsGetParamsSchema = z
    .object({
      key: sessionKey.optional(),
      /** OpenClaw takes either name for the session key. */
      sessionKey: sessionKey.optional(),
      agentId: id.optional(),
      limit: z.int().min(1).max(1000).optional(),
    })
    .refine((params) => params.key !== undefined || params.sessionKey !== undefined, {
      message: "name the session: key (or sessionKey)",
    });
  /** The session's most recent messages, oldest first; none for a session that does not exist. */
  const SessionsGetResultSchema = z.object({ messages: z.array(ChatHistoryMessageSchema) });

  const ChatInjectParamsSchema = z.object({
    sessionKey,
    agentId: id.optional(),
    message: z.string().min(1).max(LIMITS.messageChars),
    /** Shown before the message as `[label]`. */
    label: z.string().max(100).optional(),
  });
  const ChatInjectResultSchema = z.object({ ok: z.literal(true), messageId: z.string() });

  /**
   * `session.message`: one new transcript message of a session, to the connections that called
   * `sessions.messages.subscribe` for it. `message` is the row `chat.history` would show for it.
   */
  const SessionMessageEventSchema = z.object({
    sessionKey: z.string(),
    agentId: z.string().optional(),
    message: ChatHistoryMessageSchema,
    messageId: z.string(),
    /** The message's position in the transcript, counted from 1 as OpenClaw does. */
    messageSeq: z.int().min(1),
    runId: z.string().optional(),
  });

  return {
    SessionsSendParamsSchema,
    SessionsAbortParamsSchema,
    SessionsAbortResultSchema,
    SessionsGetParamsSchema,
    SessionsGetResultSchema,
    ChatInjectParamsSchema,
    ChatInjectResultSchema,
    SessionMessageEventSchema,
  };
}

const schemas = lazySchemas(buildSessionsCompatSchemas);
export const SessionsSendParamsSchema = z.lazy(() => schemas().SessionsSendParamsSchema);
export const SessionsAbortParamsSchema = z.lazy(() => schemas().SessionsAbortParamsSchema);
export const SessionsAbortResultSchema = z.lazy(() => schemas().SessionsAbortResultSchema);
export const SessionsGetParamsSchema = z.lazy(() => schemas().SessionsGetParamsSchema);
export const SessionsGetResultSchema = z.lazy(() => schemas().SessionsGetResultSchema);
export const ChatInjectParamsSchema = z.lazy(() => schemas().ChatInjectParamsSchema);
export const ChatInjectResultSchema = z.lazy(() => schemas().ChatInjectResultSchema);
export const SessionMessageEventSchema = z.lazy(() => schemas().SessionMessageEventSchema);
export type SessionMessageEvent = z.infer<typeof SessionMessageEventSchema>;

/** Session methods OpenClaw's Control UI calls beyond the core families: their contracts, with OpenClaw's shapes. */
export const SESSIONS_COMPAT_CONTRACTS = {
  "sessions.send": contract("operator.write", SessionsSendParamsSchema, ChatSendResultSchema),
  "sessions.abort": contract("operator.write", SessionsAbortParamsSchema, SessionsAbortResultSchema),
  "sessions.get": contract("operator.read", SessionsGetParamsSchema, SessionsGetResultSchema),
  "chat.inject": contract("operator.admin", ChatInjectParamsSchema, ChatInjectResultSchema),
} as const;
