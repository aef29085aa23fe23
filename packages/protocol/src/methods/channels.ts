import { z } from "zod";
import { lazySchemas } from "../lazy-schemas.js";
import { LIMITS } from "../limits.js";

/** Files one `send` may carry (OpenClaw groups up to 10 photos into an album). */
export const MAX_SEND_MEDIA = 10;

/** Built on first use (see lazySchemas). */
function buildChannelsSchemas() {
  const id = z.string().min(1).max(LIMITS.idChars);

  const ChannelTargetParamsSchema = z.object({ channel: id, accountId: id.optional() });
  const ChannelTargetResultSchema = z.object({
    ok: z.literal(true),
    channel: z.string(),
    accountIds: z.array(z.string()),
  });

  const ChannelsPairingListParamsSchema = z
    .object({ channel: id.optional(), accountId: id.optional() })
    .optional();
  const PairingRequestSchema = z.object({
    /** The one-time code the sender was given; approving it by this id is what `openclaw pairing approve` does. */
    requestId: z.string().min(1),
    channel: z.string().min(1),
    channelLabel: z.string().min(1),
    accountId: z.string().min(1),
    senderId: z.string().min(1),
    senderLabel: z.string().min(1),
    createdAt: z.string().min(1),
    lastSeenAt: z.string().min(1),
    expiresAt: z.string().min(1),
    notifySupported: z.boolean(),
  });
  const ChannelsPairingListResultSchema = z.object({
    accounts: z.array(
      z.object({
        channel: z.string().min(1),
        channelLabel: z.string().min(1),
        accountId: z.string().min(1),
        notifySupported: z.boolean(),
      }),
    ),
    requests: z.array(PairingRequestSchema),
    commandOwnerConfigured: z.boolean(),
    limits: z.object({ pendingPerAccount: z.int().min(0), ttlMs: z.int().min(0) }),
  });

  const ChannelsPairingApproveParamsSchema = z.object({
    channel: id,
    accountId: id.optional(),
    /** The pairing code. */
    requestId: id,
    notify: z.boolean().optional(),
  });
  const ChannelsPairingApproveResultSchema = z.object({
    requestId: z.string().min(1),
    senderId: z.string().min(1),
    notification: z.enum(["not-requested", "sent", "unsupported", "failed"]),
    commandOwnerBootstrap: z.enum(["not-requested", "configured", "already-configured", "unavailable"]),
  });

  const mediaSource = z.string().min(1).max(LIMITS.pathChars);
  const SendParamsSchema = z
    .object({
      to: z.string().min(1).max(LIMITS.keyChars),
      /** Optional when `mediaUrl` / `mediaUrls` carry the message (OpenClaw's shape). */
      message: z.string().max(LIMITS.messageChars).optional(),
      /** A file to send as a native photo, voice note, video or document: an http(s) URL or a path on the gateway. */
      mediaUrl: mediaSource.optional(),
      mediaUrls: z.array(mediaSource).max(MAX_SEND_MEDIA).optional(),
      /** Audio as a voice note rather than a file. */
      asVoice: z.boolean().optional(),
      /** Media as a document (no compression). */
      forceDocument: z.boolean().optional(),
      /** The agent whose workspace relative media paths are read from. */
      agentId: id.optional(),
      channel: id.optional(),
      accountId: id.optional(),
      threadId: z.string().max(LIMITS.idChars).optional(),
      replyToId: z.string().max(LIMITS.idChars).optional(),
      idempotencyKey: id,
    })
    .refine(
      (params) =>
        (params.message ?? "").trim() !== "" ||
        params.mediaUrl !== undefined ||
        (params.mediaUrls?.length ?? 0) > 0,
      { error: "send needs message text or mediaUrl / mediaUrls", path: ["message"] },
    );
  const SendResultSchema = z.object({
    ok: z.literal(true),
    channel: z.string(),
    accountId: z.string(),
    to: z.string(),
    messageIds: z.array(z.string()),
    deduped: z.boolean().optional(),
  });

  return {
    ChannelTargetParamsSchema,
    ChannelTargetResultSchema,
    ChannelsPairingListParamsSchema,
    PairingRequestSchema,
    ChannelsPairingListResultSchema,
    ChannelsPairingApproveParamsSchema,
    ChannelsPairingApproveResultSchema,
    SendParamsSchema,
    SendResultSchema,
  };
}

const schemas = lazySchemas(buildChannelsSchemas);

export const ChannelTargetParamsSchema = z.lazy(() => schemas().ChannelTargetParamsSchema);
export const ChannelTargetResultSchema = z.lazy(() => schemas().ChannelTargetResultSchema);
export const ChannelsPairingListParamsSchema = z.lazy(() => schemas().ChannelsPairingListParamsSchema);
export const PairingRequestSchema = z.lazy(() => schemas().PairingRequestSchema);
export const ChannelsPairingListResultSchema = z.lazy(() => schemas().ChannelsPairingListResultSchema);
export const ChannelsPairingApproveParamsSchema = z.lazy(() => schemas().ChannelsPairingApproveParamsSchema);
export const ChannelsPairingApproveResultSchema = z.lazy(() => schemas().ChannelsPairingApproveResultSchema);
export const SendParamsSchema = z.lazy(() => schemas().SendParamsSchema);
export const SendResultSchema = z.lazy(() => schemas().SendResultSchema);

export type ChannelTargetParams = z.infer<typeof ChannelTargetParamsSchema>;
export type ChannelTargetResult = z.infer<typeof ChannelTargetResultSchema>;
export type PairingRequest = z.infer<typeof PairingRequestSchema>;
export type ChannelsPairingListResult = z.infer<typeof ChannelsPairingListResultSchema>;
export type ChannelsPairingApproveParams = z.infer<typeof ChannelsPairingApproveParamsSchema>;
export type ChannelsPairingApproveResult = z.infer<typeof ChannelsPairingApproveResultSchema>;
export type SendParams = z.infer<typeof SendParamsSchema>;
export type SendResult = z.infer<typeof SendResultSchema>;
