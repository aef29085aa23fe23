import { z } from "zod";
import { lazySchemas } from "../lazy-schemas.js";
import { LIMITS } from "../limits.js";

/** Fields an operator with `operator.write` may patch; anything else needs `operator.admin`. */
export const SESSION_PATCH_WRITE_FIELDS = [
  "label",
  "icon",
  "color",
  "category",
  "archived",
  "pinned",
  "unread",
  "model",
  "thinkingLevel",
] as const;

/** Built on first use (see lazySchemas). */
function buildSessionsSchemas() {
  const SessionKindSchema = z.enum(["direct", "group", "global", "unknown"]);

  /** One row of `sessions.list`: OpenClaw's fields plus `messageCount` and `lastActiveAt`. */
  const SessionRowSchema = z.object({
    key: z.string(),
    kind: SessionKindSchema,
    sessionId: z.string().optional(),
    label: z.string().optional(),
    icon: z.string().optional(),
    color: z.string().optional(),
    category: z.string().optional(),
    displayName: z.string().optional(),
    lastMessagePreview: z.string().optional(),
    channel: z.string().optional(),
    agentId: z.string().optional(),
    accountId: z.string().optional(),
    isMain: z.boolean().optional(),
    chatType: z.enum(["direct", "group", "channel"]).optional(),
    updatedAt: z.number().nullable().optional(),
    createdAt: z.number().optional(),
    lastActivityAt: z.number().optional(),
    archived: z.boolean().optional(),
    pinned: z.boolean().optional(),
    /** When it was archived / pinned (ms): OpenClaw's CLI confirms `sessions archive` by `archivedAt`. */
    archivedAt: z.number().optional(),
    pinnedAt: z.number().optional(),
    unread: z.boolean().optional(),
    model: z.string().optional(),
    thinkingLevel: z.string().optional(),
    inputTokens: z.number().optional(),
    outputTokens: z.number().optional(),
    totalTokens: z.number().optional(),
    messageCount: z.int().min(0),
    lastActiveAt: z.number().nullable(),
  });

  const id = z.string().max(LIMITS.idChars);
  const label = z.string().max(LIMITS.keyChars);
  const sessionKey = z.string().min(1).max(LIMITS.keyChars);

  const SessionsListParamsSchema = z
    .object({
      limit: z.int().min(1).optional(),
      offset: z.int().min(0).optional(),
      activeMinutes: z.int().min(1).optional(),
      includeGlobal: z.boolean().optional(),
      includeUnknown: z.boolean().optional(),
      includeLastMessage: z.boolean().optional(),
      label: label.optional(),
      agentId: id.optional(),
      search: label.optional(),
      archived: z.union([z.boolean(), z.literal("all")]).optional(),
      /** Only the sub-agent sessions this session spawned. */
      spawnedBy: sessionKey.optional(),
    })
    .optional();
  /**
   * The defaults a session without its own model runs with, as OpenClaw reports them beside its session list (and
   * in `chat.startup`): null where no model provider is configured.
   */
  const SessionDefaultsSchema = z.object({
    modelProvider: z.string().nullable(),
    model: z.string().nullable(),
    contextTokens: z.int().min(1).nullable(),
    thinkingDefault: z.string().optional(),
  });
  /** OpenClaw's page envelope: `count` rows of `totalCount`; `nextOffset` (null on the last page) asks for more. */
  const SessionsListResultSchema = z.object({
    ts: z.int().min(0),
    path: z.string(),
    count: z.int().min(0),
    totalCount: z.int().min(0),
    /** The `limit` that was applied; absent when the caller asked for every row. */
    limitApplied: z.int().min(1).optional(),
    /** Echoed when the page does not start at the first row. */
    offset: z.int().min(1).optional(),
    nextOffset: z.int().min(0).nullable(),
    hasMore: z.boolean(),
    /** OpenClaw's owner profiles; this gateway has none, so the list is always empty. */
    owners: z.array(z.unknown()).max(0),
    defaults: SessionDefaultsSchema,
    sessions: z.array(SessionRowSchema),
  });

  const SessionsPreviewParamsSchema = z.object({
    keys: z.array(z.string().max(LIMITS.keyChars)).min(1).max(100),
    limit: z.int().min(1).max(200).optional(),
    maxChars: z.int().min(20).max(100_000).optional(),
  });
  const SessionPreviewItemSchema = z.object({
    role: z.string(),
    text: z.string(),
    ts: z.number().optional(),
  });
  const SessionsPreviewResultSchema = z.object({
    ts: z.int().min(0),
    previews: z.array(
      z.object({
        key: z.string(),
        status: z.enum(["ok", "empty", "missing"]),
        items: z.array(SessionPreviewItemSchema),
      }),
    ),
  });

  const SessionsResolveParamsSchema = z.object({
    key: label.optional(),
    sessionId: id.optional(),
    label: label.optional(),
    agentId: id.optional(),
    includeGlobal: z.boolean().optional(),
    includeUnknown: z.boolean().optional(),
    allowMissing: z.boolean().optional(),
  });
  const SessionsResolveCandidateSchema = z.object({
    key: z.string(),
    agentId: z.string(),
    displayName: z.string().optional(),
  });
  const SessionsResolveResultSchema = z.union([
    z.object({
      ok: z.literal(true),
      key: z.string(),
      agentId: z.string(),
      displayName: z.string().optional(),
    }),
    z.object({
      ok: z.literal(false),
      candidates: z.array(SessionsResolveCandidateSchema).max(10).optional(),
    }),
  ]);

  const SessionsPatchParamsSchema = z.object({
    key: sessionKey,
    agentId: id.optional(),
    expectedSessionId: id.optional(),
    label: label.nullable().optional(),
    icon: id.nullable().optional(),
    color: id.nullable().optional(),
    category: label.nullable().optional(),
    archived: z.boolean().optional(),
    pinned: z.boolean().optional(),
    unread: z.boolean().optional(),
    model: id.nullable().optional(),
    thinkingLevel: id.nullable().optional(),
    verboseLevel: id.nullable().optional(),
    sendPolicy: id.nullable().optional(),
    groupActivation: id.nullable().optional(),
  });
  const SessionsPatchResultSchema = z.object({
    ok: z.literal(true),
    key: z.string(),
    entry: SessionRowSchema,
  });

  const SessionsResetParamsSchema = z.object({
    key: sessionKey,
    agentId: id.optional(),
    reason: z.enum(["new", "reset"]).optional(),
  });
  const SessionsResetResultSchema = z.object({
    ok: z.literal(true),
    key: z.string(),
    entry: SessionRowSchema,
    previousSessionId: z.string().optional(),
  });

  const SessionsDeleteParamsSchema = z.object({
    key: sessionKey,
    agentId: id.optional(),
    deleteTranscript: z.boolean().optional(),
    expectedSessionId: id.optional(),
  });
  const SessionsDeleteResultSchema = z.object({
    ok: z.literal(true),
    key: z.string(),
    deleted: z.boolean(),
    archived: z.array(z.string()),
  });

  const SessionsCompactParamsSchema = z.object({
    key: sessionKey,
    agentId: id.optional(),
    maxLines: z.int().min(1).optional(),
  });
  const SessionsCompactResultSchema = z.object({
    ok: z.literal(true),
    key: z.string(),
    compacted: z.boolean(),
    kept: z.int().min(0),
    removed: z.int().min(0),
  });

  return {
    SessionKindSchema,
    SessionRowSchema,
    SessionsListParamsSchema,
    SessionDefaultsSchema,
    SessionsListResultSchema,
    SessionsPreviewParamsSchema,
    SessionPreviewItemSchema,
    SessionsPreviewResultSchema,
    SessionsResolveParamsSchema,
    SessionsResolveCandidateSchema,
    SessionsResolveResultSchema,
    SessionsPatchParamsSchema,
    SessionsPatchResultSchema,
    SessionsResetParamsSchema,
    SessionsResetResultSchema,
    SessionsDeleteParamsSchema,
    SessionsDeleteResultSchema,
    SessionsCompactParamsSchema,
    SessionsCompactResultSchema,
  };
}

const schemas = lazySchemas(buildSessionsSchemas);

export const SessionKindSchema = z.lazy(() => schemas().SessionKindSchema);
export const SessionRowSchema = z.lazy(() => schemas().SessionRowSchema);
export const SessionsListParamsSchema = z.lazy(() => schemas().SessionsListParamsSchema);
export const SessionsListResultSchema = z.lazy(() => schemas().SessionsListResultSchema);
export const SessionsPreviewParamsSchema = z.lazy(() => schemas().SessionsPreviewParamsSchema);
export const SessionPreviewItemSchema = z.lazy(() => schemas().SessionPreviewItemSchema);
export const SessionsPreviewResultSchema = z.lazy(() => schemas().SessionsPreviewResultSchema);
export const SessionsResolveParamsSchema = z.lazy(() => schemas().SessionsResolveParamsSchema);
export const SessionsResolveCandidateSchema = z.lazy(() => schemas().SessionsResolveCandidateSchema);
export const SessionsResolveResultSchema = z.lazy(() => schemas().SessionsResolveResultSchema);
export const SessionsPatchParamsSchema = z.lazy(() => schemas().SessionsPatchParamsSchema);
export const SessionsPatchResultSchema = z.lazy(() => schemas().SessionsPatchResultSchema);
export const SessionsResetParamsSchema = z.lazy(() => schemas().SessionsResetParamsSchema);
export const SessionsResetResultSchema = z.lazy(() => schemas().SessionsResetResultSchema);
export const SessionsDeleteParamsSchema = z.lazy(() => schemas().SessionsDeleteParamsSchema);
export const SessionsDeleteResultSchema = z.lazy(() => schemas().SessionsDeleteResultSchema);
export const SessionsCompactParamsSchema = z.lazy(() => schemas().SessionsCompactParamsSchema);
export const SessionsCompactResultSchema = z.lazy(() => schemas().SessionsCompactResultSchema);

export type SessionKind = z.infer<typeof SessionKindSchema>;
export type SessionRow = z.infer<typeof SessionRowSchema>;
export type SessionsListParams = z.infer<typeof SessionsListParamsSchema>;
export type SessionsListResult = z.infer<typeof SessionsListResultSchema>;
export type SessionsPreviewParams = z.infer<typeof SessionsPreviewParamsSchema>;
export type SessionsPreviewResult = z.infer<typeof SessionsPreviewResultSchema>;
export type SessionsResolveParams = z.infer<typeof SessionsResolveParamsSchema>;
export type SessionsResolveResult = z.infer<typeof SessionsResolveResultSchema>;
export type SessionsPatchParams = z.infer<typeof SessionsPatchParamsSchema>;
export type SessionsPatchResult = z.infer<typeof SessionsPatchResultSchema>;
export type SessionsResetParams = z.infer<typeof SessionsResetParamsSchema>;
export type SessionsResetResult = z.infer<typeof SessionsResetResultSchema>;
export type SessionsDeleteParams = z.infer<typeof SessionsDeleteParamsSchema>;
export type SessionsDeleteResult = z.infer<typeof SessionsDeleteResultSchema>;
export type SessionsCompactParams = z.infer<typeof SessionsCompactParamsSchema>;
export type SessionsCompactResult = z.infer<typeof SessionsCompactResultSchema>;
