import { z } from "zod";
import { lazySchemas } from "../lazy-schemas.js";
import { LIMITS } from "../limits.js";
import { cronFields, foreignKind } from "./cron-fields.js";

/**
 * What a scheduled job is, shaped like OpenClaw's: its schedule, payload, delivery and state, one line of its run
 * history, and the `cron` event. The `cron.*` method contracts built from these live in `cron.ts`.
 */

/** Built on first use (see lazySchemas); `cron.ts` builds its contracts from the same instances. */
export const cronJobSchemas = lazySchemas(buildCronJobSchemas);

function buildCronJobSchemas() {
  const { epochMs, nonBlank, jobIdString, id, message, idList, threadId, channelRef } = cronFields();

  const CronScheduleSchema = z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("at"), at: id }),
    z.object({
      kind: z.literal("every"),
      everyMs: z.int().min(1).max(8_640_000_000_000_000),
      anchorMs: epochMs.optional(),
    }),
    z.object({
      kind: z.literal("cron"),
      expr: id,
      tz: id.optional(),
      staggerMs: epochMs.optional(),
    }),
    foreignKind("on-exit"),
    foreignKind("stream"),
  ]);

  const toolsAllow = idList.optional();

  const CronAgentTurnPayloadSchema = z.object({
    kind: z.literal("agentTurn"),
    message,
    model: id.optional(),
    fallbacks: idList.optional(),
    thinking: id.optional(),
    timeoutSeconds: z.number().min(0).optional(),
    allowUnsafeExternalContent: z.boolean().optional(),
    lightContext: z.boolean().optional(),
    toolsAllow,
    toolsAllowIsDefault: z.boolean().optional(),
  });
  const CronSystemEventPayloadSchema = z.object({
    kind: z.literal("systemEvent"),
    text: message,
    toolsAllow,
    toolsAllowIsDefault: z.boolean().optional(),
  });

  const CronPayloadSchema = z.discriminatedUnion("kind", [
    CronSystemEventPayloadSchema,
    CronAgentTurnPayloadSchema,
    foreignKind("command"),
    foreignKind("script"),
  ]);

  const failureDestination = z.object({
    channel: channelRef.optional(),
    to: nonBlank.optional(),
    accountId: id.optional(),
    mode: z.enum(["announce", "webhook"]).optional(),
  });
  const deliveryCommon = {
    channel: channelRef.optional(),
    threadId: threadId.optional(),
    accountId: id.optional(),
    bestEffort: z.boolean().optional(),
    failureDestination: failureDestination.optional(),
  };

  const CronDeliverySchema = z.discriminatedUnion("mode", [
    z.object({ mode: z.literal("none"), ...deliveryCommon, to: nonBlank.optional() }),
    z.object({
      mode: z.literal("announce"),
      ...deliveryCommon,
      completionDestination: z.object({ mode: z.literal("webhook"), to: nonBlank }).optional(),
      to: nonBlank.optional(),
    }),
    z.object({ mode: z.literal("webhook"), ...deliveryCommon, to: nonBlank }),
  ]);

  const CronSessionTargetSchema = z.union([
    z.literal("main"),
    z.literal("isolated"),
    z.literal("current"),
    z
      .string()
      .max(LIMITS.keyChars)
      .regex(/^session:.+/),
  ]);

  const CronWakeModeSchema = z.enum(["next-heartbeat", "now"]);
  const CronRunStatusSchema = z.enum(["ok", "error", "skipped"]);
  const CronDeliveryStatusSchema = z.enum(["delivered", "not-delivered", "unknown", "not-requested"]);

  /** The part of OpenClaw's job state this gateway keeps. */
  const CronJobStateSchema = z.object({
    nextRunAtMs: epochMs.optional(),
    runningAtMs: epochMs.optional(),
    lastRunAtMs: epochMs.optional(),
    lastRunStatus: CronRunStatusSchema.optional(),
    lastStatus: CronRunStatusSchema.optional(),
    lastError: z.string().optional(),
    lastDurationMs: z.int().min(0).optional(),
    consecutiveErrors: z.int().min(0).optional(),
    consecutiveSkipped: z.int().min(0).optional(),
    lastDelivered: z.boolean().optional(),
    lastDeliveryStatus: CronDeliveryStatusSchema.optional(),
    lastDeliveryError: z.string().optional(),
  });

  /** A stored job as `cron.list`, `cron.add` and `cron.update` return it. */
  const CronJobSchema = z.object({
    id: jobIdString,
    declarationKey: nonBlank.max(200).optional(),
    agentId: z.string().min(1).optional(),
    sessionKey: z.string().min(1).optional(),
    name: z.string().min(1),
    displayName: nonBlank.max(200).optional(),
    description: z.string().optional(),
    enabled: z.boolean(),
    deleteAfterRun: z.boolean().optional(),
    createdAtMs: epochMs,
    updatedAtMs: epochMs,
    schedule: CronScheduleSchema,
    sessionTarget: CronSessionTargetSchema,
    wakeMode: CronWakeModeSchema,
    payload: CronPayloadSchema,
    delivery: CronDeliverySchema.optional(),
    state: CronJobStateSchema,
    nextRunAtMs: epochMs.optional(),
    lastRunAtMs: epochMs.optional(),
    lastRunStatus: CronRunStatusSchema.optional(),
    lastRunError: z.string().optional(),
    lastDelivered: z.boolean().optional(),
    lastDeliveryStatus: CronDeliveryStatusSchema.optional(),
    lastDeliveryError: z.string().optional(),
  });

  /** One entry of a job's run history (a line of `<stateDir>/cron/runs/<jobId>.jsonl`, or a row of the `cron.runs` table). */
  const CronRunLogEntrySchema = z.object({
    ts: z.int().min(0),
    jobId: jobIdString,
    action: z.literal("finished"),
    status: CronRunStatusSchema.optional(),
    completionStatus: z.enum(["succeeded", "failed", "unknown"]).optional(),
    error: z.string().optional(),
    summary: z.string().optional(),
    delivered: z.boolean().optional(),
    deliveryStatus: CronDeliveryStatusSchema.optional(),
    deliveryError: z.string().optional(),
    sessionKey: z.string().min(1).optional(),
    runId: z.string().min(1).optional(),
    runAtMs: z.int().min(0).optional(),
    durationMs: z.int().min(0).optional(),
    nextRunAtMs: z.int().min(0).optional(),
    model: z.string().optional(),
    provider: z.string().optional(),
    jobName: z.string().optional(),
  });

  /** The `cron` event: a job changed, or one of its runs started or finished. Sent to `operator.read` clients. */
  const CronEventSchema = z.object({
    jobId: jobIdString,
    action: z.enum(["added", "updated", "removed", "started", "finished"]),
    runId: z.string().optional(),
    runAtMs: z.int().min(0).optional(),
    durationMs: z.int().min(0).optional(),
    status: CronRunStatusSchema.optional(),
    error: z.string().optional(),
    summary: z.string().optional(),
    delivered: z.boolean().optional(),
    deliveryStatus: CronDeliveryStatusSchema.optional(),
    sessionKey: z.string().optional(),
    nextRunAtMs: z.int().min(0).optional(),
  });

  return {
    CronScheduleSchema,
    CronAgentTurnPayloadSchema,
    CronSystemEventPayloadSchema,
    CronPayloadSchema,
    CronDeliverySchema,
    CronSessionTargetSchema,
    CronWakeModeSchema,
    CronRunStatusSchema,
    CronDeliveryStatusSchema,
    CronJobStateSchema,
    CronJobSchema,
    CronRunLogEntrySchema,
    CronEventSchema,
  };
}

export const CronScheduleSchema = z.lazy(() => cronJobSchemas().CronScheduleSchema);
export const CronAgentTurnPayloadSchema = z.lazy(() => cronJobSchemas().CronAgentTurnPayloadSchema);
export const CronSystemEventPayloadSchema = z.lazy(() => cronJobSchemas().CronSystemEventPayloadSchema);
export const CronPayloadSchema = z.lazy(() => cronJobSchemas().CronPayloadSchema);
export const CronDeliverySchema = z.lazy(() => cronJobSchemas().CronDeliverySchema);
export const CronSessionTargetSchema = z.lazy(() => cronJobSchemas().CronSessionTargetSchema);
export const CronWakeModeSchema = z.lazy(() => cronJobSchemas().CronWakeModeSchema);
export const CronRunStatusSchema = z.lazy(() => cronJobSchemas().CronRunStatusSchema);
export const CronDeliveryStatusSchema = z.lazy(() => cronJobSchemas().CronDeliveryStatusSchema);
export const CronJobStateSchema = z.lazy(() => cronJobSchemas().CronJobStateSchema);
export const CronJobSchema = z.lazy(() => cronJobSchemas().CronJobSchema);
export const CronRunLogEntrySchema = z.lazy(() => cronJobSchemas().CronRunLogEntrySchema);
export const CronEventSchema = z.lazy(() => cronJobSchemas().CronEventSchema);

export type CronSchedule = z.infer<typeof CronScheduleSchema>;
export type CronTimeSchedule = Extract<CronSchedule, { kind: "at" | "every" | "cron" }>;
export type CronPayload = z.infer<typeof CronPayloadSchema>;
export type CronRunnablePayload = Extract<CronPayload, { kind: "agentTurn" | "systemEvent" }>;
export type CronDelivery = z.infer<typeof CronDeliverySchema>;
export type CronSessionTarget = z.infer<typeof CronSessionTargetSchema>;
export type CronRunStatus = z.infer<typeof CronRunStatusSchema>;
export type CronDeliveryStatus = z.infer<typeof CronDeliveryStatusSchema>;
export type CronJobState = z.infer<typeof CronJobStateSchema>;
export type CronJob = z.infer<typeof CronJobSchema>;
export type CronRunLogEntry = z.infer<typeof CronRunLogEntrySchema>;
export type CronEvent = z.infer<typeof CronEventSchema>;
