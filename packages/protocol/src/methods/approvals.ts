import { z } from "zod";
import { boundedJson, boundedLooseObject, boundedRecord } from "../bounded-schemas.js";
import { lazySchemas } from "../lazy-schemas.js";
import { LIMITS } from "../limits.js";

/** The decisions an operator can give; OpenClaw's names, so its apps resolve our approvals unchanged. */
export const EXEC_APPROVAL_DECISIONS = ["allow-once", "allow-always", "deny"] as const;

/** Longest an approval may wait for an answer (ten minutes); the default is two. */
export const EXEC_APPROVAL_MAX_TIMEOUT_MS = 600_000;

export const EXEC_APPROVAL_DEFAULT_TIMEOUT_MS = 120_000;

/** Built on first use (see lazySchemas). */
function buildApprovalsSchemas() {
  const id = z.string().min(1).max(LIMITS.idChars);
  const nullableId = z.string().max(LIMITS.idChars).nullable();
  const nullableKey = z.string().max(LIMITS.keyChars).nullable();
  const nullablePath = z.string().max(LIMITS.pathChars).nullable();
  const nullableText = z.string().max(LIMITS.textChars).nullable();

  const ExecApprovalDecisionSchema = z.enum(EXEC_APPROVAL_DECISIONS);

  /**
   * `exec.approval.request` params, mirroring OpenClaw's (additional properties are refused there too). Node-host
   * fields (`systemRunPlan`, `scope`, ...) are accepted so its clients validate, and carried through untouched.
   */
  const ExecApprovalRequestParamsSchema = z.strictObject({
    id: id.optional(),
    command: z.string().min(1).max(LIMITS.textChars).optional(),
    commandArgv: z.array(z.string().max(LIMITS.textChars)).max(LIMITS.argv).optional(),
    systemRunPlan: boundedLooseObject({ commandText: z.string().max(LIMITS.textChars) }).optional(),
    env: boundedRecord(z.string().max(LIMITS.idChars), z.string().max(LIMITS.textChars)).optional(),
    cwd: nullablePath.optional(),
    nodeId: id.nullable().optional(),
    host: nullableId.optional(),
    security: nullableId.optional(),
    ask: nullableId.optional(),
    warningText: nullableText.optional(),
    scope: boundedJson().optional(),
    unavailableDecisions: z.array(z.literal("allow-always")).min(1).max(1).optional(),
    commandSpans: z
      .array(z.strictObject({ startIndex: z.int().min(0), endIndex: z.int().min(1) }))
      .max(LIMITS.argv)
      .optional(),
    agentId: nullableId.optional(),
    resolvedPath: nullablePath.optional(),
    sessionKey: nullableKey.optional(),
    sessionId: nullableId.optional(),
    runId: nullableId.optional(),
    toolCallId: nullableId.optional(),
    turnSourceChannel: nullableId.optional(),
    turnSourceTo: nullableKey.optional(),
    turnSourceAccountId: nullableId.optional(),
    turnSourceThreadId: z
      .union([z.string().max(LIMITS.idChars), z.number()])
      .nullable()
      .optional(),
    approvalReviewerDeviceIds: z.array(id).max(LIMITS.listItems).optional(),
    requireDeliveryRoute: z.boolean().optional(),
    suppressDelivery: z.boolean().optional(),
    deliverToApprovalClientsOnly: z.boolean().optional(),
    timeoutMs: z.int().min(1).optional(),
    twoPhase: z.boolean().optional(),
  });

  /** What the operator sees and decides on; the payload of `exec.approval.requested`. */
  const ExecApprovalRecordSchema = z.object({
    id: z.string().min(1),
    commandText: z.string().min(1),
    commandArgv: z.array(z.string()).optional(),
    cwd: z.string().nullable(),
    agentId: z.string().nullable(),
    sessionKey: z.string().nullable(),
    host: z.string().nullable(),
    warningText: z.string().nullable(),
    allowedDecisions: z.array(ExecApprovalDecisionSchema),
    createdAtMs: z.int().min(0),
    expiresAtMs: z.int().min(0),
  });

  const ExecApprovalResolutionReasonSchema = z.enum(["operator", "timeout", "allowlist", "shutdown"]);

  /** The final word on one approval: the result of `exec.approval.request` and the `exec.approval.resolved` payload. */
  const ExecApprovalRequestResultSchema = z.object({
    id: z.string().min(1),
    decision: ExecApprovalDecisionSchema,
    reason: ExecApprovalResolutionReasonSchema,
    createdAtMs: z.int().min(0),
    resolvedAtMs: z.int().min(0),
    resolvedBy: z.string().optional(),
  });

  const ExecApprovalResolveParamsSchema = z.strictObject({
    id,
    decision: id,
    reviewer: z.strictObject({ channel: id, accountId: id, senderId: id }).optional(),
    grantExpiresInDays: z.int().min(1).max(3650).optional(),
  });

  const ExecApprovalResolveResultSchema = z.object({
    ok: z.literal(true),
    id: z.string().min(1),
    decision: ExecApprovalDecisionSchema,
  });

  /** The approvals still waiting, so a client that connects late (or reconnects) can still answer them. */
  const ExecApprovalListParamsSchema = boundedLooseObject({}).optional();
  /**
   * One row of `exec.approval.list`, as OpenClaw answers it: the id, the `request` as it was asked (OpenClaw's
   * clients read `request.command`), the times and `approvalKind: "exec"`; our record's flat fields ride along.
   */
  const ExecApprovalListEntrySchema = ExecApprovalRecordSchema.extend({
    approvalKind: z.literal("exec"),
    request: z.object({
      command: z.string().min(1),
      commandArgv: z.array(z.string()).optional(),
      cwd: z.string().nullable(),
      agentId: z.string().nullable(),
      sessionKey: z.string().nullable(),
      host: z.string().nullable(),
      warningText: z.string().nullable(),
    }),
  });
  /** OpenClaw answers a bare array. */
  const ExecApprovalListResultSchema = z.array(ExecApprovalListEntrySchema);
  const ExecApprovalGetParamsSchema = z.strictObject({ id });

  return {
    ExecApprovalDecisionSchema,
    ExecApprovalRequestParamsSchema,
    ExecApprovalRecordSchema,
    ExecApprovalResolutionReasonSchema,
    ExecApprovalRequestResultSchema,
    ExecApprovalResolveParamsSchema,
    ExecApprovalResolveResultSchema,
    ExecApprovalListParamsSchema,
    ExecApprovalListEntrySchema,
    ExecApprovalListResultSchema,
    ExecApprovalGetParamsSchema,
  };
}

const schemas = lazySchemas(buildApprovalsSchemas);

export const ExecApprovalDecisionSchema = z.lazy(() => schemas().ExecApprovalDecisionSchema);
export const ExecApprovalRequestParamsSchema = z.lazy(() => schemas().ExecApprovalRequestParamsSchema);
export const ExecApprovalRecordSchema = z.lazy(() => schemas().ExecApprovalRecordSchema);
export const ExecApprovalResolutionReasonSchema = z.lazy(() => schemas().ExecApprovalResolutionReasonSchema);
export const ExecApprovalRequestResultSchema = z.lazy(() => schemas().ExecApprovalRequestResultSchema);
export const ExecApprovalResolveParamsSchema = z.lazy(() => schemas().ExecApprovalResolveParamsSchema);
export const ExecApprovalResolveResultSchema = z.lazy(() => schemas().ExecApprovalResolveResultSchema);
export const ExecApprovalListParamsSchema = z.lazy(() => schemas().ExecApprovalListParamsSchema);
export const ExecApprovalListEntrySchema = z.lazy(() => schemas().ExecApprovalListEntrySchema);
export const ExecApprovalListResultSchema = z.lazy(() => schemas().ExecApprovalListResultSchema);
export const ExecApprovalGetParamsSchema = z.lazy(() => schemas().ExecApprovalGetParamsSchema);

export type ExecApprovalDecision = z.infer<typeof ExecApprovalDecisionSchema>;
export type ExecApprovalRequestParams = z.infer<typeof ExecApprovalRequestParamsSchema>;
export type ExecApprovalRecord = z.infer<typeof ExecApprovalRecordSchema>;
export type ExecApprovalListEntry = z.infer<typeof ExecApprovalListEntrySchema>;
export type ExecApprovalRequestResult = z.infer<typeof ExecApprovalRequestResultSchema>;
export type ExecApprovalResolution = ExecApprovalRequestResult;
export type ExecApprovalResolveParams = z.infer<typeof ExecApprovalResolveParamsSchema>;
export type ExecApprovalResolveResult = z.infer<typeof ExecApprovalResolveResultSchema>;
