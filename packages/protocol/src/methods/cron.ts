import { z } from "zod";
import { boundedJson, boundedLooseObject } from "../bounded-schemas.js";
import { lazySchemas } from "../lazy-schemas.js";
import { LIMITS } from "../limits.js";

/**
 * Scheduled jobs (`cron.*`), shaped like OpenClaw's. This gateway runs `at`, `every` and `cron` schedules with
 * `agentTurn` and `systemEvent` payloads; the other kinds OpenClaw defines (`on-exit` and `stream` schedules,
 * `command` and `script` payloads) parse, so a valid OpenClaw request gets a clear refusal instead of a schema error.
 */

/** `error.details.code` of a lookup miss: `{ code: "CRON_JOB_NOT_FOUND", jobId }`. */
export const CRON_JOB_NOT_FOUND = "CRON_JOB_NOT_FOUND";

/** Built on first use (see lazySchemas). */
function buildCronSchemas() {
  const epochMs = z.int().min(0).max(8_640_000_000_000_000);
  const nonBlank = z.string().min(1).max(LIMITS.keyChars).regex(/\S/);
  const jobIdString = z.string().min(1).max(LIMITS.idChars);
  const id = z.string().min(1).max(LIMITS.idChars);
  const sessionKey = z.string().min(1).max(LIMITS.keyChars);
  const jobName = z.string().min(1).max(LIMITS.keyChars);
  const description = z.string().max(LIMITS.textChars);
  const message = z.string().min(1).max(LIMITS.messageChars);
  const idList = z.array(z.string().max(LIMITS.idChars)).max(LIMITS.listItems);
  const threadId = z.union([z.string().max(LIMITS.idChars), z.number()]);
  /** A kind this gateway does not run: its other fields parse (bounded) and are refused later. */
  const foreignKind = <K extends string>(kind: K) =>
    z.object({ kind: z.literal(kind) }).catchall(boundedJson());

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
  /** The schedule kinds this gateway runs. */

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
  /** The payload kinds this gateway runs. */

  const channelRef = z.union([z.literal("last"), nonBlank]);
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

  const sortDir = z.enum(["asc", "desc"]);

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

  const CronListResultSchema = z.object({ jobs: z.array(CronJobSchema), ...page });

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

  /** One line of a job's run history (`<stateDir>/cron/runs/<jobId>.jsonl`). */
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

  const CronRunsResultSchema = z.object({ entries: z.array(CronRunLogEntrySchema), ...page });

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
    CronRunLogEntrySchema,
    CronRunsResultSchema,
    CronEventSchema,
  };
}

const schemas = lazySchemas(buildCronSchemas);

export const CronScheduleSchema = z.lazy(() => schemas().CronScheduleSchema);
export const CronAgentTurnPayloadSchema = z.lazy(() => schemas().CronAgentTurnPayloadSchema);
export const CronSystemEventPayloadSchema = z.lazy(() => schemas().CronSystemEventPayloadSchema);
export const CronPayloadSchema = z.lazy(() => schemas().CronPayloadSchema);
export const CronDeliverySchema = z.lazy(() => schemas().CronDeliverySchema);
export const CronSessionTargetSchema = z.lazy(() => schemas().CronSessionTargetSchema);
export const CronWakeModeSchema = z.lazy(() => schemas().CronWakeModeSchema);
export const CronRunStatusSchema = z.lazy(() => schemas().CronRunStatusSchema);
export const CronDeliveryStatusSchema = z.lazy(() => schemas().CronDeliveryStatusSchema);
export const CronJobStateSchema = z.lazy(() => schemas().CronJobStateSchema);
export const CronJobSchema = z.lazy(() => schemas().CronJobSchema);
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
export const CronRunLogEntrySchema = z.lazy(() => schemas().CronRunLogEntrySchema);
export const CronRunsResultSchema = z.lazy(() => schemas().CronRunsResultSchema);
export const CronEventSchema = z.lazy(() => schemas().CronEventSchema);

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
export type CronRunLogEntry = z.infer<typeof CronRunLogEntrySchema>;
export type CronRunsResult = z.infer<typeof CronRunsResultSchema>;
export type CronEvent = z.infer<typeof CronEventSchema>;
