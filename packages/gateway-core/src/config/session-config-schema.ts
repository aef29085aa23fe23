import { z } from "zod";

/** `session`: how messages map to sessions (OpenClaw's keys; reset policies are reported, not applied). */
export const SessionSchema = z
  .looseObject({
    scope: z.enum(["per-sender", "global"]).default("per-sender").meta({ title: "Group session scope" }),
    dmScope: z
      .enum(["main", "per-peer", "per-channel-peer", "per-account-channel-peer"])
      .default("main")
      .meta({ title: "DM scope", description: "How direct messages map to sessions." }),
    groupScope: z.enum(["main", "per-group"]).optional().meta({ title: "Group scope" }),
    mainKey: z.string().min(1).default("main").meta({ title: "Main session key" }),
  })
  .meta({ title: "Sessions" });
