import { z } from "zod";

const ReconnectSchema = z.object({
  /** The first wait after a recoverable disconnect; doubled on each further failure. */
  initialDelayMs: z.int().min(0).default(1_000),
  maxDelayMs: z.int().min(0).default(30_000),
  /** Consecutive failed reconnects before the account gives up and the gateway restarts it. */
  maxAttempts: z.int().min(1).default(6),
});

/**
 * One WhatsApp account's config, as the gateway resolves it from `channels.whatsapp` (overlaid with
 * `channels.whatsapp.accounts.<id>`). Access-policy keys are read by the gateway and only tolerated here.
 */
export const WhatsAppConfigSchema = z.looseObject({
  enabled: z.boolean().optional(),
  /**
   * Where the linked-device credentials live (Baileys' multi-file auth state). Default:
   * `$OPENCLAW_STATE_DIR/credentials/whatsapp/<accountId>`, `OPENCLAW_STATE_DIR` defaulting to `~/.openclaw`.
   */
  authDir: z.string().min(1, { error: "must not be empty" }).optional(),
  /** Mark received messages read (blue ticks) once handed to the gateway. */
  sendReadReceipts: z.boolean().default(false),
  reconnect: ReconnectSchema.prefault({}),
  /**
   * The largest file sent, in megabytes (OpenClaw's key; default 50). The gateway applies the same key to
   * inbound downloads.
   */
  mediaMaxMb: z.number().positive().optional(),
  dmPolicy: z.unknown().optional(),
  allowFrom: z.unknown().optional(),
  groupPolicy: z.unknown().optional(),
  groups: z.unknown().optional(),
  requireMention: z.unknown().optional(),
});

export type WhatsAppConfig = z.infer<typeof WhatsAppConfigSchema>;
export type WhatsAppConfigInput = z.input<typeof WhatsAppConfigSchema>;
