import { z } from "zod";

/** One reset policy (`session.reset` and the entries of `resetByType` / `resetByChannel`). */
const ResetPolicySchema = z
  .strictObject({
    mode: z.enum(["none", "daily", "idle"], { error: 'expected "none", "daily" or "idle"' }).meta({
      title: "Reset mode",
      description: '"daily" starts a fresh session at atHour; "idle" after idleMinutes without a message.',
    }),
    atHour: z
      .int()
      .min(0)
      .max(23)
      .optional()
      .meta({ title: "Daily reset hour (local, 0-23)", description: "Default 4." }),
    idleMinutes: z.int().min(1).max(525_600).optional().meta({
      title: "Idle minutes",
      description: 'With "daily" too: whichever comes first. Default 60 for "idle".',
    }),
  })
  .meta({ title: "Reset policy" });

/** `session`: how messages map to sessions and when a conversation's session starts over (OpenClaw's keys). */
export const SessionSchema = z
  .looseObject({
    scope: z.enum(["per-sender", "global"]).default("per-sender").meta({ title: "Group session scope" }),
    dmScope: z
      .enum(["main", "per-peer", "per-channel-peer", "per-account-channel-peer"])
      .default("main")
      .meta({ title: "DM scope", description: "How direct messages map to sessions." }),
    groupScope: z.enum(["main", "per-group"]).optional().meta({ title: "Group scope" }),
    mainKey: z.string().min(1).default("main").meta({ title: "Main session key" }),
    identityLinks: z
      .record(z.string().min(1).max(128), z.array(z.string().min(1).max(256)).max(64))
      .optional()
      .meta({
        title: "Identity links",
        description:
          'canonical id -> the person\'s ids per channel ("telegram:123456789"): their DMs share one session (not with dmScope "main").',
      }),
    reset: ResetPolicySchema.optional().meta({
      title: "Automatic reset",
      description:
        'When a channel conversation\'s session starts over by itself. Unset (or mode "none"): never.',
    }),
    resetByType: z
      .strictObject({
        direct: ResetPolicySchema.optional(),
        group: ResetPolicySchema.optional(),
        thread: ResetPolicySchema.optional(),
      })
      .optional()
      .meta({
        title: "Reset by chat type",
        description: "direct, group or thread: replaces reset for that type.",
      }),
    resetByChannel: z.record(z.string().min(1), ResetPolicySchema).optional().meta({
      title: "Reset by channel",
      description: "channel id -> policy; wins over resetByType and reset.",
    }),
    resetTriggers: z.array(z.string().min(1).max(64)).max(32).optional().meta({
      title: "Reset triggers",
      description:
        "Messages starting with one of these (case-insensitive) start a fresh session; text after it is sent on. /new and /reset always work.",
    }),
  })
  .meta({ title: "Sessions" });
export type SessionConfig = z.infer<typeof SessionSchema>;
