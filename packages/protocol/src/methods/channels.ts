import { z } from "zod";

export const ChannelTargetParamsSchema = z.object({
  channel: z.string().min(1),
  accountId: z.string().min(1).optional(),
});
export type ChannelTargetParams = z.infer<typeof ChannelTargetParamsSchema>;
export const ChannelTargetResultSchema = z.object({
  ok: z.literal(true),
  channel: z.string(),
  accountIds: z.array(z.string()),
});
export type ChannelTargetResult = z.infer<typeof ChannelTargetResultSchema>;

export const ChannelsPairingListParamsSchema = z
  .object({ channel: z.string().min(1).optional(), accountId: z.string().min(1).optional() })
  .optional();
export const PairingRequestSchema = z.object({
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
export type PairingRequest = z.infer<typeof PairingRequestSchema>;
export const ChannelsPairingListResultSchema = z.object({
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
export type ChannelsPairingListResult = z.infer<typeof ChannelsPairingListResultSchema>;

export const ChannelsPairingApproveParamsSchema = z.object({
  channel: z.string().min(1),
  accountId: z.string().min(1).optional(),
  /** The pairing code. */
  requestId: z.string().min(1),
  notify: z.boolean().optional(),
});
export type ChannelsPairingApproveParams = z.infer<typeof ChannelsPairingApproveParamsSchema>;
export const ChannelsPairingApproveResultSchema = z.object({
  requestId: z.string().min(1),
  senderId: z.string().min(1),
  notification: z.enum(["not-requested", "sent", "unsupported", "failed"]),
  commandOwnerBootstrap: z.enum(["not-requested", "configured", "already-configured", "unavailable"]),
});
export type ChannelsPairingApproveResult = z.infer<typeof ChannelsPairingApproveResultSchema>;

export const SendParamsSchema = z.object({
  to: z.string().min(1),
  message: z.string().min(1),
  channel: z.string().min(1).optional(),
  accountId: z.string().min(1).optional(),
  threadId: z.string().optional(),
  replyToId: z.string().optional(),
  idempotencyKey: z.string().min(1).max(256),
});
export type SendParams = z.infer<typeof SendParamsSchema>;
export const SendResultSchema = z.object({
  ok: z.literal(true),
  channel: z.string(),
  accountId: z.string(),
  to: z.string(),
  messageIds: z.array(z.string()),
  deduped: z.boolean().optional(),
});
export type SendResult = z.infer<typeof SendResultSchema>;
