import { z } from "zod";

/**
 * Scheduled jobs (`cron.*`), shaped like OpenClaw's. This gateway runs `at`, `every` and `cron` schedules with
 * `agentTurn` and `systemEvent` payloads; the other kinds OpenClaw defines (`on-exit` and `stream` schedules,
 * `command` and `script` payloads) parse, so a valid OpenClaw request gets a clear refusal instead of a schema error.
 */

/** `error.details.code` of a lookup miss: `{ code: "CRON_JOB_NOT_FOUND", jobId }`. */
export const CRON_JOB_NOT_FOUND = "CRON_JOB_NOT_FOUND";

const epochMs = z.int().min(0).max(8_640_000_000_000_000);
const nonBlank = z.string().min(1).regex(/\S/);
const jobIdString = z.string().min(1);

export const CronScheduleSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("at"), at: z.string().min(1) }),
  z.object({
    kind: z.literal("every"),
    everyMs: z.int().min(1).max(8_640_000_000_000_000),
    anchorMs: epochMs.optional(),
  }),
  z.object({
    kind: z.literal("cron"),
    expr: z.string().min(1),
    tz: z.string().optional(),
    staggerMs: epochMs.optional(),
  }),
  z.looseObject({ kind: z.literal("on-exit") }),
  z.looseObject({ kind: z.literal("stream") }),
]);
export type CronSchedule = z.infer<typeof CronScheduleSchema>;
/** The schedule kinds this gateway runs. */
export type CronTimeSchedule = Extract<CronSchedule, { kind: "at" | "every" | "cron" }>;

const toolsAllow = z.array(z.string()).optional();

export const CronAgentTurnPayloadSchema = z.object({
  kind: z.literal("agentTurn"),
  message: z.string().min(1),
  model: z.string().optional(),
  fallbacks: z.array(z.string()).optional(),
  thinking: z.string().optional(),
  timeoutSeconds: z.number().min(0).optional(),
  allowUnsafeExternalContent: z.boolean().optional(),
  lightContext: z.boolean().optional(),
  toolsAllow,
  toolsAllowIsDefault: z.boolean().optional(),
});
export const CronSystemEventPayloadSchema = z.object({
  kind: z.literal("systemEvent"),
  text: z.string().min(1),
  toolsAllow,
  toolsAllowIsDefault: z.boolean().optional(),
});

export const CronPayloadSchema = z.discriminatedUnion("kind", [
  CronSystemEventPayloadSchema,
  CronAgentTurnPayloadSchema,
  z.looseObject({ kind: z.literal("command") }),
  z.looseObject({ kind: z.literal("script") }),
]);
export type CronPayload = z.infer<typeof CronPayloadSchema>;
/** The payload kinds this gateway runs. */
export type CronRunnablePayload = Extract<CronPayload, { kind: "agentTurn" | "systemEvent" }>;

const channelRef = z.union([z.literal("last"), nonBlank]);
const failureDestination = z.object({
  channel: channelRef.optional(),
  to: nonBlank.optional(),
  accountId: z.string().min(1).optional(),
  mode: z.enum(["announce", "webhook"]).optional(),
});
const deliveryCommon = {
  channel: channelRef.optional(),
  threadId: z.union([z.string(), z.number()]).optional(),
  accountId: z.string().min(1).optional(),
  bestEffort: z.boolean().optional(),
  failureDestination: failureDestination.optional(),
};

export const CronDeliverySchema = z.discriminatedUnion("mode", [
  z.object({ mode: z.literal("none"), ...deliveryCommon, to: nonBlank.optional() }),
  z.object({
    mode: z.literal("announce"),
    ...deliveryCommon,
    completionDestination: z.object({ mode: z.literal("webhook"), to: nonBlank }).optional(),
    to: nonBlank.optional(),
  }),
  z.object({ mode: z.literal("webhook"), ...deliveryCommon, to: nonBlank }),
]);
export type CronDelivery = z.infer<typeof CronDeliverySchema>;

export const CronSessionTargetSchema = z.union([
  z.literal("main"),
  z.literal("isolated"),
  z.literal("current"),
  z.string().regex(/^session:.+/),
]);
export type CronSessionTarget = z.infer<typeof CronSessionTargetSchema>;

export const CronWakeModeSchema = z.enum(["next-heartbeat", "now"]);
export const CronRunStatusSchema = z.enum(["ok", "error", "skipped"]);
export type CronRunStatus = z.infer<typeof CronRunStatusSchema>;
export const CronDeliveryStatusSchema = z.enum(["delivered", "not-delivered", "unknown", "not-requested"]);
export type CronDeliveryStatus = z.infer<typeof CronDeliveryStatusSchema>;

/** The part of OpenClaw's job state this gateway keeps. */
export const CronJobStateSchema = z.object({
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
export type CronJobState = z.infer<typeof CronJobStateSchema>;

/** A stored job as `cron.list`, `cron.add` and `cron.update` return it. */
export const CronJobSchema = z.object({
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
export type CronJob = z.infer<typeof CronJobSchema>;

const sortDir = z.enum(["asc", "desc"]);

export const CronListParamsSchema = z
  .object({
    includeDisabled: z.boolean().optional(),
    limit: z.int().min(1).max(200).optional(),
    offset: z.int().min(0).optional(),
    query: z.string().optional(),
    enabled: z.enum(["all", "enabled", "disabled"]).optional(),
    scheduleKind: z.enum(["all", "at", "every", "cron", "on-exit", "stream"]).optional(),
    lastRunStatus: z.enum(["all", "ok", "error", "skipped", "unknown"]).optional(),
    trigger: z.enum(["all", "conditional", "unconditional"]).optional(),
    sortBy: z.enum(["nextRunAtMs", "updatedAtMs", "name"]).optional(),
    sortDir: sortDir.optional(),
    agentId: z.string().min(1).optional(),
    compact: z.boolean().optional(),
    includeDeliveryPreviews: z.boolean().optional(),
  })
  .optional();
export type CronListParams = z.infer<typeof CronListParamsSchema>;

const page = {
  total: z.int().min(0),
  offset: z.int().min(0),
  limit: z.int().min(1),
  hasMore: z.boolean(),
  nextOffset: z.int().min(0).nullable(),
};

export const CronListResultSchema = z.object({ jobs: z.array(CronJobSchema), ...page });
export type CronListResult = z.infer<typeof CronListResultSchema>;

export const CronStatusParamsSchema = z.object({}).optional();
export type CronStatusParams = z.infer<typeof CronStatusParamsSchema>;
export const CronStatusResultSchema = z.object({
  /** False when `cron.enabled: false` (or `OPENCLAW_SKIP_CRON=1`): jobs are kept but nothing runs. */
  enabled: z.boolean(),
  storePath: z.string(),
  jobs: z.int().min(0),
  nextWakeAtMs: epochMs.nullable(),
});
export type CronStatusResult = z.infer<typeof CronStatusResultSchema>;

/** The oracle's `owner`, `pacing`, `trigger` and `failureAlert` parse; this gateway refuses them when set. */
const unsupportedObject = z.looseObject({});

export const CronAddParamsSchema = z.object({
  name: z.string().min(1),
  declarationKey: nonBlank.max(200).optional(),
  displayName: nonBlank.max(200).optional(),
  owner: unsupportedObject.optional(),
  agentId: z.string().min(1).nullable().optional(),
  sessionKey: z.string().min(1).nullable().optional(),
  description: z.string().optional(),
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
export type CronAddParams = z.infer<typeof CronAddParamsSchema>;
export const CronAddResultSchema = CronJobSchema;
export type CronAddResult = z.infer<typeof CronAddResultSchema>;

const payloadPatch = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("systemEvent"),
    text: z.string().min(1).optional(),
    toolsAllow: z.array(z.string()).nullable().optional(),
    toolsAllowIsDefault: z.boolean().optional(),
  }),
  z.object({
    kind: z.literal("agentTurn"),
    message: z.string().min(1).optional(),
    model: z.string().nullable().optional(),
    fallbacks: z.array(z.string()).nullable().optional(),
    thinking: z.string().nullable().optional(),
    timeoutSeconds: z.number().min(0).nullable().optional(),
    allowUnsafeExternalContent: z.boolean().optional(),
    lightContext: z.boolean().optional(),
    toolsAllow: z.array(z.string()).nullable().optional(),
    toolsAllowIsDefault: z.boolean().optional(),
  }),
  z.looseObject({ kind: z.literal("command") }),
  z.looseObject({ kind: z.literal("script") }),
]);

/** A delivery patch: fields merge into the stored delivery, `null` clears one. */
const deliveryPatch = z.object({
  mode: z.enum(["none", "announce", "webhook"]).optional(),
  channel: channelRef.nullable().optional(),
  threadId: z.union([z.string(), z.number()]).nullable().optional(),
  accountId: z.string().min(1).nullable().optional(),
  bestEffort: z.boolean().optional(),
  failureDestination: unsupportedObject.nullable().optional(),
  completionDestination: unsupportedObject.nullable().optional(),
  to: nonBlank.nullable().optional(),
});

export const CronJobPatchSchema = z.object({
  name: z.string().min(1).optional(),
  displayName: nonBlank.max(200).nullable().optional(),
  agentId: z.string().min(1).nullable().optional(),
  sessionKey: z.string().min(1).nullable().optional(),
  description: z.string().optional(),
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
export type CronJobPatch = z.infer<typeof CronJobPatchSchema>;

/** Each method that names a job takes `id` or its alias `jobId`. */
function byJobId<T extends z.ZodRawShape>(extra: T) {
  return z.union([z.object({ id: jobIdString, ...extra }), z.object({ jobId: jobIdString, ...extra })]);
}

export const CronUpdateParamsSchema = byJobId({
  patch: CronJobPatchSchema,
  expectedConfigRevision: z.string().min(1).max(128).optional(),
});
export type CronUpdateParams = z.infer<typeof CronUpdateParamsSchema>;
export const CronUpdateResultSchema = CronJobSchema;
export type CronUpdateResult = z.infer<typeof CronUpdateResultSchema>;

export const CronRemoveParamsSchema = byJobId({});
export type CronRemoveParams = z.infer<typeof CronRemoveParamsSchema>;
export const CronRemoveResultSchema = z.object({ ok: z.literal(true), removed: z.boolean() });
export type CronRemoveResult = z.infer<typeof CronRemoveResultSchema>;

export const CronRunModeSchema = z.enum(["due", "force", "if-enabled"]);
export type CronRunMode = z.infer<typeof CronRunModeSchema>;
export const CronRunParamsSchema = byJobId({
  mode: CronRunModeSchema.optional(),
  expectedProcessInstanceId: z.string().min(1).optional(),
});
export type CronRunParams = z.infer<typeof CronRunParamsSchema>;
/** `cron.run` enqueues: follow the returned `runId` with `cron.runs`. A run that was not started says why. */
export const CronRunResultSchema = z.union([
  z.object({ ok: z.literal(true), enqueued: z.literal(true), runId: z.string().min(1) }),
  z.object({
    ok: z.literal(true),
    enqueued: z.literal(false),
    ran: z.literal(false),
    reason: z.enum(["not-due", "disabled", "already-running"]),
  }),
]);
export type CronRunResult = z.infer<typeof CronRunResultSchema>;

const safeJobId = z
  .string()
  .min(1)
  .regex(/^[^/\\]+$/);
export const CronRunsParamsSchema = z
  .object({
    agentId: z.string().min(1).optional(),
    scope: z.enum(["job", "all"]).optional(),
    id: safeJobId.optional(),
    jobId: safeJobId.optional(),
    runId: z.string().min(1).optional(),
    limit: z.int().min(1).max(200).optional(),
    offset: z.int().min(0).optional(),
    statuses: z.array(CronRunStatusSchema).min(1).max(3).optional(),
    status: z.enum(["all", "ok", "error", "skipped"]).optional(),
    deliveryStatuses: z.array(CronDeliveryStatusSchema).min(1).max(4).optional(),
    deliveryStatus: CronDeliveryStatusSchema.optional(),
    query: z.string().optional(),
    sortDir: sortDir.optional(),
  })
  .optional();
export type CronRunsParams = z.infer<typeof CronRunsParamsSchema>;

/** One line of a job's run history (`<stateDir>/cron/runs/<jobId>.jsonl`). */
export const CronRunLogEntrySchema = z.object({
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
export type CronRunLogEntry = z.infer<typeof CronRunLogEntrySchema>;

export const CronRunsResultSchema = z.object({ entries: z.array(CronRunLogEntrySchema), ...page });
export type CronRunsResult = z.infer<typeof CronRunsResultSchema>;

/** The `cron` event: a job changed, or one of its runs started or finished. Sent to `operator.read` clients. */
export const CronEventSchema = z.object({
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
export type CronEvent = z.infer<typeof CronEventSchema>;
