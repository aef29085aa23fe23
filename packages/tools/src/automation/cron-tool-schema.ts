import { z } from "zod";
import type { CronJobFields } from "../ports/cron-port.js";

/** Bounds for what a model may put into a job; the scheduler checks the job itself again. */
const TEXT_MAX = 64_000;
const ID_MAX = 512;
const MS_MAX = 8_640_000_000_000_000;

const nullable = <T extends z.ZodType>(schema: T) => schema.nullable().optional();

const ScheduleSchema = z.looseObject({
  kind: z
    .enum(["at", "every", "cron"])
    .optional()
    .describe("Schedule kind (inferred from the fields when omitted)"),
  at: z.string().max(ID_MAX).optional().describe("ISO-8601 time (kind=at)"),
  everyMs: z.int().min(1).max(MS_MAX).optional().describe("Interval ms (kind=every)"),
  anchorMs: z.int().min(0).max(MS_MAX).optional().describe("Start anchor ms (kind=every)"),
  expr: z
    .string()
    .max(ID_MAX)
    .optional()
    .describe('Cron wall-time expr, e.g. "0 18 * * *"; missing tz = Gateway local time'),
  tz: z.string().max(ID_MAX).optional().describe('IANA timezone, e.g. "Europe/Berlin"'),
  staggerMs: z.int().min(0).max(MS_MAX).optional().describe("Jitter ms (kind=cron)"),
});

const PayloadSchema = z.looseObject({
  kind: z.enum(["systemEvent", "agentTurn"]).optional().describe("Payload kind (inferred when omitted)"),
  text: z.string().max(TEXT_MAX).optional().describe("systemEvent text"),
  message: z.string().max(TEXT_MAX).optional().describe("agentTurn prompt"),
  model: nullable(z.string().max(ID_MAX)).describe("Model override, or null to clear"),
  timeoutSeconds: nullable(z.number().min(0).max(86_400)).describe(
    "Timeout seconds; null restores the default",
  ),
});

const DeliverySchema = z.looseObject({
  mode: z.enum(["none", "announce", "webhook"]).optional().describe("Delivery mode"),
  channel: nullable(z.string().max(ID_MAX)).describe("Delivery channel, or null to clear"),
  to: nullable(z.string().max(ID_MAX)).describe("Delivery target, or null to clear"),
  threadId: nullable(z.union([z.string().max(ID_MAX), z.number()])).describe("Thread/topic id"),
  accountId: nullable(z.string().max(ID_MAX)).describe("Delivery account, or null to clear"),
  bestEffort: z.boolean().optional(),
});

export const CronJobSchema = z
  .looseObject({
    name: z.string().max(ID_MAX).optional().describe("Job name"),
    declarationKey: z.string().min(1).max(200).optional().describe("Idempotent declaration key (add only)."),
    displayName: nullable(z.string().max(200)).describe("Human-readable label; null clears it"),
    schedule: ScheduleSchema.optional(),
    sessionTarget: z
      .string()
      .max(ID_MAX)
      .optional()
      .describe("main | isolated | current (agentTurn default) | session:<id>"),
    wakeMode: z.enum(["now", "next-heartbeat"]).optional().describe("Wake timing"),
    payload: PayloadSchema.optional(),
    delivery: DeliverySchema.optional(),
    description: z.string().max(TEXT_MAX).optional().describe("Human description"),
    enabled: z.boolean().optional(),
    deleteAfterRun: z.boolean().optional().describe("Delete a one-shot job after it ran successfully."),
    sessionKey: nullable(z.string().max(ID_MAX)).describe("Explicit session key, or null to clear it"),
  })
  .describe(
    'Job fields. action="add": full job. action="update": partial patch; only given fields change, null clears.',
  );

export const CRON_ACTIONS = [
  "status",
  "list",
  "get",
  "add",
  "update",
  "remove",
  "run",
  "runs",
  "next_check",
  "wake",
] as const;

export const CronToolSchema = z.object({
  action: z.enum(CRON_ACTIONS),
  includeDisabled: z.boolean().optional(),
  limit: z.int().min(1).max(200).optional().describe('Maximum jobs returned by action="list"'),
  offset: z
    .int()
    .min(0)
    .max(1_000_000)
    .optional()
    .describe('Offset for action="list"; pass nextOffset to go on'),
  job: CronJobSchema.optional(),
  jobId: z.string().min(1).max(ID_MAX).optional(),
  id: z.string().min(1).max(ID_MAX).optional(),
  runMode: z
    .enum(["due", "force"])
    .optional()
    .describe('Run mode for action="run": omitted defaults to "due"; use "force" to run now.'),
  agentId: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe('List filter for action="list" (only your own agent).'),
});

export type CronToolArgs = z.infer<typeof CronToolSchema>;

/**
 * OpenClaw's create-time defaults: schedule and payload kinds inferred from their fields, `wakeMode` "now",
 * `enabled` true, a name from the payload, `sessionTarget` "main" for a system event and "current" (the calling
 * session) for an agent turn, and one-shot jobs deleted after their run.
 */
export function withCreateDefaults(
  job: z.infer<typeof CronJobSchema>,
  callerSessionKey: string,
): CronJobFields {
  const next: Record<string, unknown> = { ...job };
  const schedule = job.schedule ? { ...job.schedule } : undefined;
  if (schedule && schedule.kind === undefined) {
    schedule.kind = schedule.at !== undefined ? "at" : schedule.everyMs !== undefined ? "every" : "cron";
  }
  if (schedule) next.schedule = schedule;
  const payload = job.payload ? { ...job.payload } : undefined;
  if (payload && payload.kind === undefined) {
    payload.kind = payload.message !== undefined ? "agentTurn" : "systemEvent";
  }
  if (payload) next.payload = payload;
  next.wakeMode ??= "now";
  next.enabled ??= true;
  if (typeof next.name !== "string" || next.name.trim() === "") next.name = inferName(payload);
  next.sessionTarget ??= payload?.kind === "agentTurn" ? "current" : "main";
  if (next.sessionTarget === "current" && (next.sessionKey === undefined || next.sessionKey === null)) {
    next.sessionKey = callerSessionKey;
  }
  if (schedule?.kind === "at" && next.deleteAfterRun === undefined) next.deleteAfterRun = true;
  return next;
}

function inferName(payload: { message?: string | undefined; text?: string | undefined } | undefined): string {
  const source = (payload?.message ?? payload?.text ?? "").replace(/\s+/g, " ").trim();
  if (source === "") return "Scheduled job";
  return source.length > 60 ? `${source.slice(0, 59)}…` : source;
}
