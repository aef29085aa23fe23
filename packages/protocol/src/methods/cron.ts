import { z } from "zod";
import { boundedLooseObject } from "../bounded-schemas.js";
import { lazySchemas } from "../lazy-schemas.js";
import { LIMITS } from "../limits.js";
import { cronFields, foreignKind } from "./cron-fields.js";
import { cronJobSchemas } from "./cron-job.js";

/**
 * The `cron.*` method contracts, shaped like OpenClaw's. This gateway runs `at`, `every` and `cron` schedules with
 * `agentTurn` and `systemEvent` payloads; the other kinds OpenClaw defines (`on-exit` and `stream` schedules,
 * `command` and `script` payloads) parse, so a valid OpenClaw request gets a clear refusal instead of a schema error.
 * The job itself (schedule, payload, delivery, state, run history entry, event) is in `cron-job.ts`.
 */

export {
  CronAgentTurnPayloadSchema,
  type CronDelivery,
  CronDeliverySchema,
  type CronDeliveryStatus,
  CronDeliveryStatusSchema,
  type CronEvent,
  CronEventSchema,
  type CronJob,
  CronJobSchema,
  type CronJobState,
  CronJobStateSchema,
  type CronPayload,
  CronPayloadSchema,
  type CronRunLogEntry,
  CronRunLogEntrySchema,
  type CronRunnablePayload,
  type CronRunStatus,
  CronRunStatusSchema,
  type CronSchedule,
  CronScheduleSchema,
  type CronSessionTarget,
  CronSessionTargetSchema,
  CronSystemEventPayloadSchema,
  type CronTimeSchedule,
  CronWakeModeSchema,
} from "./cron-job.js";

/** `error.details.code` of a lookup miss: `{ code: "CRON_JOB_NOT_FOUND", jobId }`. */
export const CRON_JOB_NOT_FOUND = "CRON_JOB_NOT_FOUND";

/** Built on first use (see lazySchemas). */
function buildCronMethodSchemas() {
  const {
    epochMs,
    nonBlank,
    jobIdString,
    id,
    sessionKey,
    jobName,
    description,
    message,
    idList,
    threadId,
    sortDir,
    channelRef,
  } = cronFields();
  const {
    CronScheduleSchema,
    CronPayloadSchema,
    CronDeliverySchema,
    CronSessionTargetSchema,
    CronWakeModeSchema,
    CronRunStatusSchema,
    CronDeliveryStatusSchema,
    CronJobSchema,
    CronRunLogEntrySchema,
  } = cronJobSchemas();

  const CronListParamsSchema = z
    .object({
      includeDisabled: z.boolean().optional(),
      limit: z.int().min(1).max(200).optional(),
      offset: z.int().min(0).optional(),
      query: z.string().max(LIMITS.keyChars).optional(),
      enabled: z.enum(["all", "enabled", "disabled"]).optional(),
      scheduleKind: z.enum(["all", "at", "every", "cron", "on-exit", "stream"]).optional(),
      lastRunStatus: z.enum(["all", "ok", "error", "skipped", "unknown"]).optional(),
      trigger: z.enum(["all", "conditional", "unconditional"]).optional(),
      sortBy: z.enum(["nextRunAtMs", "updatedAtMs", "name"]).optional(),
      sortDir: sortDir.optional(),
      agentId: id.optional(),
      compact: z.boolean().optional(),
      includeDeliveryPreviews: z.boolean().optional(),
    })
    .optional();

  const page = {
    total: z.int().min(0),
    offset: z.int().min(0),
    limit: z.int().min(1),
    hasMore: z.boolean(),
    nextOffset: z.int().min(0).nullable(),
  };

  const CronListResultSchema = z.object({
    jobs: z.array(CronJobSchema),
    /** A digest of every stored job: it changes whenever any job does (OpenClaw's clients compare it across pages). */
    snapshotRevision: z.string().min(1),
    ...page,
  });

  const CronStatusParamsSchema = z.object({}).optional();
  const CronStatusResultSchema = z.object({
    /** False when `cron.enabled: false` (or `OPENCLAW_SKIP_CRON=1`): jobs are kept but nothing runs. */
    enabled: z.boolean(),
    storePath: z.string(),
    jobs: z.int().min(0),
    nextWakeAtMs: epochMs.nullable(),
  });

  /** The oracle's `owner`, `pacing`, `trigger` and `failureAlert` parse; this gateway refuses them when set. */
  const unsupportedObject = boundedLooseObject({});

  const CronAddParamsSchema = z.object({
    name: jobName,
    declarationKey: nonBlank.max(200).optional(),
    displayName: nonBlank.max(200).optional(),
    owner: unsupportedObject.optional(),
    agentId: id.nullable().optional(),
    sessionKey: sessionKey.nullable().optional(),
    description: description.optional(),
    enabled: z.boolean().optional(),
    deleteAfterRun: z.boolean().optional(),
    schedule: CronScheduleSchema,
    pacing: unsupportedObject.optional(),
    trigger: unsupportedObject.optional(),
    sessionTarget: CronSessionTargetSchema,
    wakeMode: CronWakeModeSchema,
    payload: CronPayloadSchema,
    delivery: CronDeliverySchema.optional(),
    failureAlert: z.union([z.literal(false), unsupportedObject]).optional(),
  });
  const CronAddResultSchema = CronJobSchema;

  const payloadPatch = z.discriminatedUnion("kind", [
    z.object({
      kind: z.literal("systemEvent"),
      text: message.optional(),
      toolsAllow: idList.nullable().optional(),
      toolsAllowIsDefault: z.boolean().optional(),
    }),
    z.object({
      kind: z.literal("agentTurn"),
      message: message.optional(),
      model: id.nullable().optional(),
      fallbacks: idList.nullable().optional(),
      thinking: id.nullable().optional(),
      timeoutSeconds: z.number().min(0).nullable().optional(),
      allowUnsafeExternalContent: z.boolean().optional(),
      lightContext: z.boolean().optional(),
      toolsAllow: idList.nullable().optional(),
      toolsAllowIsDefault: z.boolean().optional(),
    }),
    foreignKind("command"),
    foreignKind("script"),
  ]);

  /** A delivery patch: fields merge into the stored delivery, `null` clears one. */
  const deliveryPatch = z.object({
    mode: z.enum(["none", "announce", "webhook"]).optional(),
    channel: channelRef.nullable().optional(),
    threadId: threadId.nullable().optional(),
    accountId: id.nullable().optional(),
    bestEffort: z.boolean().optional(),
    failureDestination: unsupportedObject.nullable().optional(),
    completionDestination: unsupportedObject.nullable().optional(),
    to: nonBlank.nullable().optional(),
  });

  const CronJobPatchSchema = z.object({
    name: jobName.optional(),
    displayName: nonBlank.max(200).nullable().optional(),
    agentId: id.nullable().optional(),
    sessionKey: sessionKey.nullable().optional(),
    description: description.optional(),
    enabled: z.boolean().optional(),
    deleteAfterRun: z.boolean().optional(),
    schedule: CronScheduleSchema.optional(),
    pacing: unsupportedObject.nullable().optional(),
    trigger: unsupportedObject.nullable().optional(),
    sessionTarget: CronSessionTargetSchema.optional(),
    wakeMode: CronWakeModeSchema.optional(),
    payload: payloadPatch.optional(),
    delivery: deliveryPatch.optional(),
    failureAlert: z
      .union([z.literal(false), unsupportedObject])
      .nullable()
      .optional(),
    /** OpenClaw lets a patch write runtime state; this gateway owns its state and ignores it. */
    state: unsupportedObject.optional(),
  });

  /** Each method that names a job takes `id` or its alias `jobId`. */
  function byJobId<T extends z.ZodRawShape>(extra: T) {
    return z.union([z.object({ id: jobIdString, ...extra }), z.object({ jobId: jobIdString, ...extra })]);
  }

  const CronUpdateParamsSchema = byJobId({
    patch: CronJobPatchSchema,
    expectedConfigRevision: z.string().min(1).max(128).optional(),
  });
  const CronUpdateResultSchema = CronJobSchema;

  const CronRemoveParamsSchema = byJobId({});
  const CronRemoveResultSchema = z.object({ ok: z.literal(true), removed: z.boolean() });

  const CronRunModeSchema = z.enum(["due", "force", "if-enabled"]);
  const CronRunParamsSchema = byJobId({
    mode: CronRunModeSchema.optional(),
    expectedProcessInstanceId: id.optional(),
  });
  /** `cron.run` enqueues: follow the returned `runId` with `cron.runs`. A run that was not started says why. */
  const CronRunResultSchema = z.union([
    z.object({ ok: z.literal(true), enqueued: z.literal(true), runId: z.string().min(1) }),
    z.object({
      ok: z.literal(true),
      enqueued: z.literal(false),
      ran: z.literal(false),
      reason: z.enum(["not-due", "disabled", "already-running"]),
    }),
  ]);

  const safeJobId = z
    .string()
    .min(1)
    .max(LIMITS.idChars)
    .regex(/^[^/\\]+$/);
  const CronRunsParamsSchema = z
    .object({
      agentId: id.optional(),
      scope: z.enum(["job", "all"]).optional(),
      id: safeJobId.optional(),
      jobId: safeJobId.optional(),
      runId: id.optional(),
      limit: z.int().min(1).max(200).optional(),
      offset: z.int().min(0).optional(),
      statuses: z.array(CronRunStatusSchema).min(1).max(3).optional(),
      status: z.enum(["all", "ok", "error", "skipped"]).optional(),
      deliveryStatuses: z.array(CronDeliveryStatusSchema).min(1).max(4).optional(),
      deliveryStatus: CronDeliveryStatusSchema.optional(),
      query: z.string().max(LIMITS.keyChars).optional(),
      sortDir: sortDir.optional(),
    })
    .optional();

  const CronRunsResultSchema = z.object({ entries: z.array(CronRunLogEntrySchema), ...page });

  return {
    CronListParamsSchema,
    CronListResultSchema,
    CronStatusParamsSchema,
    CronStatusResultSchema,
    CronAddParamsSchema,
    CronAddResultSchema,
    CronJobPatchSchema,
    CronUpdateParamsSchema,
    CronUpdateResultSchema,
    CronRemoveParamsSchema,
    CronRemoveResultSchema,
    CronRunModeSchema,
    CronRunParamsSchema,
    CronRunResultSchema,
    CronRunsParamsSchema,
    CronRunsResultSchema,
  };
}

const schemas = lazySchemas(buildCronMethodSchemas);

export const CronListParamsSchema = z.lazy(() => schemas().CronListParamsSchema);
export const CronListResultSchema = z.lazy(() => schemas().CronListResultSchema);
export const CronStatusParamsSchema = z.lazy(() => schemas().CronStatusParamsSchema);
export const CronStatusResultSchema = z.lazy(() => schemas().CronStatusResultSchema);
export const CronAddParamsSchema = z.lazy(() => schemas().CronAddParamsSchema);
export const CronAddResultSchema = z.lazy(() => schemas().CronAddResultSchema);
export const CronJobPatchSchema = z.lazy(() => schemas().CronJobPatchSchema);
export const CronUpdateParamsSchema = z.lazy(() => schemas().CronUpdateParamsSchema);
export const CronUpdateResultSchema = z.lazy(() => schemas().CronUpdateResultSchema);
export const CronRemoveParamsSchema = z.lazy(() => schemas().CronRemoveParamsSchema);
export const CronRemoveResultSchema = z.lazy(() => schemas().CronRemoveResultSchema);
export const CronRunModeSchema = z.lazy(() => schemas().CronRunModeSchema);
export const CronRunParamsSchema = z.lazy(() => schemas().CronRunParamsSchema);
export const CronRunResultSchema = z.lazy(() => schemas().CronRunResultSchema);
export const CronRunsParamsSchema = z.lazy(() => schemas().CronRunsParamsSchema);
export const CronRunsResultSchema = z.lazy(() => schemas().CronRunsResultSchema);

export type CronListParams = z.infer<typeof CronListParamsSchema>;
export type CronListResult = z.infer<typeof CronListResultSchema>;
export type CronStatusParams = z.infer<typeof CronStatusParamsSchema>;
export type CronStatusResult = z.infer<typeof CronStatusResultSchema>;
export type CronAddParams = z.infer<typeof CronAddParamsSchema>;
export type CronAddResult = z.infer<typeof CronAddResultSchema>;
export type CronJobPatch = z.infer<typeof CronJobPatchSchema>;
export type CronUpdateParams = z.infer<typeof CronUpdateParamsSchema>;
export type CronUpdateResult = z.infer<typeof CronUpdateResultSchema>;
export type CronRemoveParams = z.infer<typeof CronRemoveParamsSchema>;
export type CronRemoveResult = z.infer<typeof CronRemoveResultSchema>;
export type CronRunMode = z.infer<typeof CronRunModeSchema>;
export type CronRunParams = z.infer<typeof CronRunParamsSchema>;
export type CronRunResult = z.infer<typeof CronRunResultSchema>;
export type CronRunsParams = z.infer<typeof CronRunsParamsSchema>;
export type CronRunsResult = z.infer<typeof CronRunsResultSchema>;
