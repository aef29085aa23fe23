import { z } from "zod";
import { lazySchemas } from "../lazy-schemas.js";

/** The decisions an operator can give; OpenClaw's names, so its apps resolve our approvals unchanged. */
export const EXEC_APPROVAL_DECISIONS = ["allow-once", "allow-always", "deny"] as const;

/** Longest an approval may wait for an answer (ten minutes); the default is two. */
export const EXEC_APPROVAL_MAX_TIMEOUT_MS = 600_000;

export const EXEC_APPROVAL_DEFAULT_TIMEOUT_MS = 120_000;

/** Built on first use (see lazySchemas). */
function buildApprovalsSchemas() {
  const nullableString = z.string().nullable();

  const ExecApprovalDecisionSchema = z.enum(EXEC_APPROVAL_DECISIONS);

  /**
   * `exec.approval.request` params, mirroring OpenClaw's (additional properties are refused there too). Node-host
   * fields (`systemRunPlan`, `scope`, ...) are accepted so its clients validate, and carried through untouched.
   */
  const ExecApprovalRequestParamsSchema = z.strictObject({
    id: z.string().min(1).optional(),
    command: z.string().min(1).optional(),
    commandArgv: z.array(z.string()).optional(),
    systemRunPlan: z.looseObject({ commandText: z.string() }).optional(),
    env: z.record(z.string(), z.string()).optional(),
    cwd: nullableString.optional(),
    nodeId: z.string().min(1).nullable().optional(),
    host: nullableString.optional(),
    security: nullableString.optional(),
    ask: nullableString.optional(),
    warningText: nullableString.optional(),
    scope: z.unknown().optional(),
    unavailableDecisions: z.array(z.literal("allow-always")).min(1).max(1).optional(),
    commandSpans: z
      .array(z.strictObject({ startIndex: z.int().min(0), endIndex: z.int().min(1) }))
      .optional(),
    agentId: nullableString.optional(),
    resolvedPath: nullableString.optional(),
    sessionKey: nullableString.optional(),
    sessionId: nullableString.optional(),
    runId: nullableString.optional(),
    toolCallId: nullableString.optional(),
    turnSourceChannel: nullableString.optional(),
    turnSourceTo: nullableString.optional(),
    turnSourceAccountId: nullableString.optional(),
    turnSourceThreadId: z.union([z.string(), z.number()]).nullable().optional(),
    approvalReviewerDeviceIds: z.array(z.string().min(1)).optional(),
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
    id: z.string().min(1),
    decision: z.string().min(1),
    reviewer: z
      .strictObject({
        channel: z.string().min(1),
        accountId: z.string().min(1),
        senderId: z.string().min(1),
      })
      .optional(),
    grantExpiresInDays: z.int().min(1).max(3650).optional(),
  });

  const ExecApprovalResolveResultSchema = z.object({
    ok: z.literal(true),
    id: z.string().min(1),
    decision: ExecApprovalDecisionSchema,
  });

  /** The approvals still waiting, so a client that connects late (or reconnects) can still answer them. */
  const ExecApprovalListParamsSchema = z.looseObject({}).optional();
  const ExecApprovalListResultSchema = z.object({ approvals: z.array(ExecApprovalRecordSchema) });
  const ExecApprovalGetParamsSchema = z.strictObject({ id: z.string().min(1) });

  return {
    ExecApprovalDecisionSchema,
    ExecApprovalRequestParamsSchema,
    ExecApprovalRecordSchema,
    ExecApprovalResolutionReasonSchema,
    ExecApprovalRequestResultSchema,
    ExecApprovalResolveParamsSchema,
    ExecApprovalResolveResultSchema,
    ExecApprovalListParamsSchema,
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
export const ExecApprovalListResultSchema = z.lazy(() => schemas().ExecApprovalListResultSchema);
export const ExecApprovalGetParamsSchema = z.lazy(() => schemas().ExecApprovalGetParamsSchema);

export type ExecApprovalDecision = z.infer<typeof ExecApprovalDecisionSchema>;
export type ExecApprovalRequestParams = z.infer<typeof ExecApprovalRequestParamsSchema>;
export type ExecApprovalRecord = z.infer<typeof ExecApprovalRecordSchema>;
export type ExecApprovalRequestResult = z.infer<typeof ExecApprovalRequestResultSchema>;
export type ExecApprovalResolution = ExecApprovalRequestResult;
export type ExecApprovalResolveParams = z.infer<typeof ExecApprovalResolveParamsSchema>;
export type ExecApprovalResolveResult = z.infer<typeof ExecApprovalResolveResultSchema>;
