import { z } from "zod";
import { boundedJson, boundedRecord } from "../bounded-schemas.js";
import { lazySchemas } from "../lazy-schemas.js";
import { LIMITS } from "../limits.js";

/** Longest a `node.invoke` may wait for its node (ten minutes); the default is 30 s. */
export const NODE_INVOKE_MAX_TIMEOUT_MS = 600_000;
export const NODE_INVOKE_DEFAULT_TIMEOUT_MS = 30_000;
/** Largest text chunk one `node.invoke.progress` carries (OpenClaw's bound). */
export const NODE_INVOKE_PROGRESS_CHUNK_CHARS = 16_384;

/** Built on first use (see lazySchemas). */
function buildNodeRuntimeSchemas() {
  const id = z.string().min(1).max(LIMITS.idChars);

  /** One node as `node.list` and `node.describe` show it: what was approved, what is connected now. */
  const NodeEntrySchema = z.object({
    nodeId: z.string().min(1),
    displayName: z.string().optional(),
    platform: z.string().optional(),
    version: z.string().optional(),
    clientId: z.string().optional(),
    clientMode: z.string().optional(),
    remoteIp: z.string().optional(),
    caps: z.array(z.string()),
    commands: z.array(z.string()),
    approvalState: z.enum(["approved", "pending-approval", "pending-reapproval", "unapproved"]),
    pendingRequestId: z.string().optional(),
    connectedAtMs: z.int().min(0).optional(),
    lastSeenAtMs: z.int().min(0).optional(),
    approvedAtMs: z.int().min(0).optional(),
    paired: z.boolean(),
    connected: z.boolean(),
  });

  const NodeListParamsSchema = z.strictObject({});
  const NodeListResultSchema = z.object({
    ts: z.int().min(0),
    activeNodeId: z.string().optional(),
    nodes: z.array(NodeEntrySchema),
  });
  const NodeDescribeParamsSchema = z.strictObject({ nodeId: id });
  const NodeDescribeResultSchema = NodeEntrySchema.extend({ ts: z.int().min(0) });
  const NodeRenameParamsSchema = z.strictObject({ nodeId: id, displayName: id });
  const NodeRenameResultSchema = z.object({ nodeId: z.string().min(1), displayName: z.string().min(1) });

  const NodeInvokeParamsSchema = z.strictObject({
    nodeId: id,
    command: id,
    params: boundedJson().optional(),
    timeoutMs: z.int().min(0).max(NODE_INVOKE_MAX_TIMEOUT_MS).optional(),
    idempotencyKey: id,
    sessionKey: z.string().min(1).max(LIMITS.keyChars).optional(),
    turnSourceChannel: z.string().max(LIMITS.idChars).optional(),
    turnSourceTo: z.string().max(LIMITS.keyChars).optional(),
    turnSourceAccountId: z.string().max(LIMITS.idChars).optional(),
    turnSourceThreadId: z.union([z.string().max(LIMITS.idChars), z.number()]).optional(),
  });
  const NodeInvokeResultSchema = z.object({
    ok: z.literal(true),
    nodeId: z.string().min(1),
    command: z.string().min(1),
    payload: z.unknown().optional(),
    payloadJSON: z.string().nullable(),
  });

  /** The node's answer to one `node.invoke.request`. */
  const NodeInvokeResultParamsSchema = z.strictObject({
    id,
    nodeId: id,
    ok: z.boolean(),
    payload: boundedJson().optional(),
    payloadJSON: z.string().max(LIMITS.messageChars).optional(),
    error: z
      .strictObject({
        code: id.optional(),
        message: z.string().min(1).max(LIMITS.textChars).optional(),
      })
      .optional(),
  });
  const NodeAckResultSchema = z.object({ ok: z.boolean(), ignored: z.boolean().optional() });

  const NodeInvokeProgressParamsSchema = z.strictObject({
    invokeId: id,
    nodeId: id,
    seq: z.int().min(0),
    chunk: z.string().max(NODE_INVOKE_PROGRESS_CHUNK_CHARS),
  });

  const NodeEventParamsSchema = z.strictObject({
    event: id,
    payload: boundedJson().optional(),
    payloadJSON: z.string().max(LIMITS.messageChars).optional(),
  });
  const NodeEventResultSchema = z.object({
    ok: z.boolean(),
    event: z.string().min(1),
    handled: z.boolean(),
    reason: z.string().min(1).optional(),
  });

  /** `node.invoke.request`: the event a node receives for one invoke. */
  const NodeInvokeRequestEventSchema = z.object({
    id: z.string().min(1),
    nodeId: z.string().min(1),
    command: z.string().min(1),
    paramsJSON: z.string().nullable(),
    timeoutMs: z.int().min(0).optional(),
    idempotencyKey: z.string().optional(),
    sessionKey: z.string().optional(),
  });
  /** `node.invoke.cancel`: the caller gave up (disconnect or timeout); the node stops the command. */
  const NodeInvokeCancelEventSchema = z.object({ invokeId: z.string().min(1), nodeId: z.string().min(1) });

  /**
   * OpenClaw's `system.run` params, the part this gateway and the headless host read: argv (run without a shell),
   * or the raw line an operator sees, a folder, env overrides and a timeout.
   */
  const SystemRunParamsSchema = z.looseObject({
    command: z.array(z.string().max(LIMITS.textChars)).min(1).max(LIMITS.argv),
    rawCommand: z.string().max(LIMITS.textChars).optional(),
    cwd: z.string().max(LIMITS.pathChars).optional(),
    env: boundedRecord(z.string().max(LIMITS.idChars), z.string().max(LIMITS.textChars)).optional(),
    timeoutMs: z.int().min(0).max(86_400_000).optional(),
  });

  return {
    SystemRunParamsSchema,
    NodeEntrySchema,
    NodeListParamsSchema,
    NodeListResultSchema,
    NodeDescribeParamsSchema,
    NodeDescribeResultSchema,
    NodeRenameParamsSchema,
    NodeRenameResultSchema,
    NodeInvokeParamsSchema,
    NodeInvokeResultSchema,
    NodeInvokeResultParamsSchema,
    NodeAckResultSchema,
    NodeInvokeProgressParamsSchema,
    NodeEventParamsSchema,
    NodeEventResultSchema,
    NodeInvokeRequestEventSchema,
    NodeInvokeCancelEventSchema,
  };
}

const schemas = lazySchemas(buildNodeRuntimeSchemas);

export const SystemRunParamsSchema = z.lazy(() => schemas().SystemRunParamsSchema);
export const NodeEntrySchema = z.lazy(() => schemas().NodeEntrySchema);
export const NodeListParamsSchema = z.lazy(() => schemas().NodeListParamsSchema);
export const NodeListResultSchema = z.lazy(() => schemas().NodeListResultSchema);
export const NodeDescribeParamsSchema = z.lazy(() => schemas().NodeDescribeParamsSchema);
export const NodeDescribeResultSchema = z.lazy(() => schemas().NodeDescribeResultSchema);
export const NodeRenameParamsSchema = z.lazy(() => schemas().NodeRenameParamsSchema);
export const NodeRenameResultSchema = z.lazy(() => schemas().NodeRenameResultSchema);
export const NodeInvokeParamsSchema = z.lazy(() => schemas().NodeInvokeParamsSchema);
export const NodeInvokeResultSchema = z.lazy(() => schemas().NodeInvokeResultSchema);
export const NodeInvokeResultParamsSchema = z.lazy(() => schemas().NodeInvokeResultParamsSchema);
export const NodeAckResultSchema = z.lazy(() => schemas().NodeAckResultSchema);
export const NodeInvokeProgressParamsSchema = z.lazy(() => schemas().NodeInvokeProgressParamsSchema);
export const NodeEventParamsSchema = z.lazy(() => schemas().NodeEventParamsSchema);
export const NodeEventResultSchema = z.lazy(() => schemas().NodeEventResultSchema);
export const NodeInvokeRequestEventSchema = z.lazy(() => schemas().NodeInvokeRequestEventSchema);
export const NodeInvokeCancelEventSchema = z.lazy(() => schemas().NodeInvokeCancelEventSchema);

export type SystemRunParams = z.infer<typeof SystemRunParamsSchema>;
export type NodeEntry = z.infer<typeof NodeEntrySchema>;
export type NodeInvokeParams = z.infer<typeof NodeInvokeParamsSchema>;
export type NodeInvokeResultParams = z.infer<typeof NodeInvokeResultParamsSchema>;
export type NodeInvokeRequestEvent = z.infer<typeof NodeInvokeRequestEventSchema>;
export type NodeInvokeCancelEvent = z.infer<typeof NodeInvokeCancelEventSchema>;
