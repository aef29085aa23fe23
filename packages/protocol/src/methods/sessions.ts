import { z } from "zod";

export const SessionKindSchema = z.enum(["direct", "group", "global", "unknown"]);
export type SessionKind = z.infer<typeof SessionKindSchema>;

/** One row of `sessions.list`: OpenClaw's fields plus `messageCount` and `lastActiveAt`. */
export const SessionRowSchema = z.object({
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
  unread: z.boolean().optional(),
  model: z.string().optional(),
  thinkingLevel: z.string().optional(),
  inputTokens: z.number().optional(),
  outputTokens: z.number().optional(),
  totalTokens: z.number().optional(),
  messageCount: z.int().min(0),
  lastActiveAt: z.number().nullable(),
});
export type SessionRow = z.infer<typeof SessionRowSchema>;

export const SessionsListParamsSchema = z
  .object({
    limit: z.int().min(1).optional(),
    offset: z.int().min(0).optional(),
    activeMinutes: z.int().min(1).optional(),
    includeGlobal: z.boolean().optional(),
    includeUnknown: z.boolean().optional(),
    includeLastMessage: z.boolean().optional(),
    label: z.string().max(512).optional(),
    agentId: z.string().optional(),
    search: z.string().optional(),
    archived: z.union([z.boolean(), z.literal("all")]).optional(),
  })
  .optional();
export type SessionsListParams = z.infer<typeof SessionsListParamsSchema>;
export const SessionsListResultSchema = z.object({
  ts: z.int().min(0),
  path: z.string(),
  count: z.int().min(0),
  total: z.int().min(0),
  sessions: z.array(SessionRowSchema),
});
export type SessionsListResult = z.infer<typeof SessionsListResultSchema>;

export const SessionsPreviewParamsSchema = z.object({
  keys: z.array(z.string()).min(1).max(100),
  limit: z.int().min(1).max(200).optional(),
  maxChars: z.int().min(20).max(100_000).optional(),
});
export type SessionsPreviewParams = z.infer<typeof SessionsPreviewParamsSchema>;
export const SessionPreviewItemSchema = z.object({
  role: z.string(),
  text: z.string(),
  ts: z.number().optional(),
});
export const SessionsPreviewResultSchema = z.object({
  ts: z.int().min(0),
  previews: z.array(
    z.object({
      key: z.string(),
      status: z.enum(["ok", "empty", "missing"]),
      items: z.array(SessionPreviewItemSchema),
    }),
  ),
});
export type SessionsPreviewResult = z.infer<typeof SessionsPreviewResultSchema>;

export const SessionsResolveParamsSchema = z.object({
  key: z.string().optional(),
  sessionId: z.string().optional(),
  label: z.string().max(512).optional(),
  agentId: z.string().optional(),
  includeGlobal: z.boolean().optional(),
  includeUnknown: z.boolean().optional(),
  allowMissing: z.boolean().optional(),
});
export type SessionsResolveParams = z.infer<typeof SessionsResolveParamsSchema>;
export const SessionsResolveCandidateSchema = z.object({
  key: z.string(),
  agentId: z.string(),
  displayName: z.string().optional(),
});
export const SessionsResolveResultSchema = z.union([
  z.object({ ok: z.literal(true), key: z.string(), agentId: z.string(), displayName: z.string().optional() }),
  z.object({ ok: z.literal(false), candidates: z.array(SessionsResolveCandidateSchema).max(10).optional() }),
]);
export type SessionsResolveResult = z.infer<typeof SessionsResolveResultSchema>;

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

export const SessionsPatchParamsSchema = z.object({
  key: z.string().min(1),
  agentId: z.string().optional(),
  expectedSessionId: z.string().optional(),
  label: z.string().max(512).nullable().optional(),
  icon: z.string().nullable().optional(),
  color: z.string().nullable().optional(),
  category: z.string().max(512).nullable().optional(),
  archived: z.boolean().optional(),
  pinned: z.boolean().optional(),
  unread: z.boolean().optional(),
  model: z.string().nullable().optional(),
  thinkingLevel: z.string().nullable().optional(),
  verboseLevel: z.string().nullable().optional(),
  sendPolicy: z.string().nullable().optional(),
  groupActivation: z.string().nullable().optional(),
});
export type SessionsPatchParams = z.infer<typeof SessionsPatchParamsSchema>;
export const SessionsPatchResultSchema = z.object({
  ok: z.literal(true),
  key: z.string(),
  entry: SessionRowSchema,
});
export type SessionsPatchResult = z.infer<typeof SessionsPatchResultSchema>;

export const SessionsResetParamsSchema = z.object({
  key: z.string().min(1),
  agentId: z.string().optional(),
  reason: z.enum(["new", "reset"]).optional(),
});
export type SessionsResetParams = z.infer<typeof SessionsResetParamsSchema>;
export const SessionsResetResultSchema = z.object({
  ok: z.literal(true),
  key: z.string(),
  entry: SessionRowSchema,
  previousSessionId: z.string().optional(),
});
export type SessionsResetResult = z.infer<typeof SessionsResetResultSchema>;

export const SessionsDeleteParamsSchema = z.object({
  key: z.string().min(1),
  agentId: z.string().optional(),
  deleteTranscript: z.boolean().optional(),
  expectedSessionId: z.string().optional(),
});
export type SessionsDeleteParams = z.infer<typeof SessionsDeleteParamsSchema>;
export const SessionsDeleteResultSchema = z.object({
  ok: z.literal(true),
  key: z.string(),
  deleted: z.boolean(),
  archived: z.array(z.string()),
});
export type SessionsDeleteResult = z.infer<typeof SessionsDeleteResultSchema>;

export const SessionsCompactParamsSchema = z.object({
  key: z.string().min(1),
  agentId: z.string().optional(),
  maxLines: z.int().min(1).optional(),
});
export type SessionsCompactParams = z.infer<typeof SessionsCompactParamsSchema>;
export const SessionsCompactResultSchema = z.object({
  ok: z.literal(true),
  key: z.string(),
  compacted: z.boolean(),
  kept: z.int().min(0),
  removed: z.int().min(0),
});
export type SessionsCompactResult = z.infer<typeof SessionsCompactResultSchema>;
