import { z } from "zod";
import { lazySchemas } from "../lazy-schemas.js";
import { LIMITS } from "../limits.js";

/** Built on first use (see lazySchemas). */
function buildNodesSchemas() {
  /** A node asking to expose a capability surface; created when an unapproved node connects. */
  const NodePairRequestSchema = z.object({
    requestId: z.string().min(1),
    nodeId: z.string().min(1),
    displayName: z.string().optional(),
    platform: z.string().optional(),
    version: z.string().optional(),
    caps: z.array(z.string()),
    commands: z.array(z.string()),
    remoteIp: z.string().optional(),
    requestedAtMs: z.int().min(0),
  });

  const PairedNodeSchema = z.object({
    nodeId: z.string().min(1),
    displayName: z.string().optional(),
    platform: z.string().optional(),
    version: z.string().optional(),
    caps: z.array(z.string()),
    commands: z.array(z.string()),
    approvedAtMs: z.int().min(0),
  });

  const NodePairListParamsSchema = z.strictObject({});
  const NodePairListResultSchema = z.object({
    pending: z.array(NodePairRequestSchema),
    paired: z.array(PairedNodeSchema),
  });

  const id = z.string().min(1).max(LIMITS.idChars);

  const NodePairRequestIdParamsSchema = z.strictObject({ requestId: id });

  const NodePairApproveResultSchema = z.object({ requestId: z.string().min(1), node: PairedNodeSchema });
  const NodePairRejectResultSchema = z.object({
    requestId: z.string().min(1),
    nodeId: z.string().min(1),
  });

  const NodePairRemoveParamsSchema = z.strictObject({ nodeId: id });
  const NodePairRemoveResultSchema = z.object({ nodeId: z.string().min(1), removed: z.boolean() });

  /** `node.pair.resolved`: a pending request was approved or rejected, or a paired node removed. */
  const NodePairResolvedEventSchema = z.object({
    requestId: z.string().min(1).optional(),
    nodeId: z.string().min(1),
    decision: z.enum(["approved", "rejected", "removed"]),
    ts: z.int().min(0),
  });

  return {
    NodePairRequestSchema,
    PairedNodeSchema,
    NodePairListParamsSchema,
    NodePairListResultSchema,
    NodePairRequestIdParamsSchema,
    NodePairApproveResultSchema,
    NodePairRejectResultSchema,
    NodePairRemoveParamsSchema,
    NodePairRemoveResultSchema,
    NodePairResolvedEventSchema,
  };
}

const schemas = lazySchemas(buildNodesSchemas);

export const NodePairRequestSchema = z.lazy(() => schemas().NodePairRequestSchema);
export const PairedNodeSchema = z.lazy(() => schemas().PairedNodeSchema);
export const NodePairListParamsSchema = z.lazy(() => schemas().NodePairListParamsSchema);
export const NodePairListResultSchema = z.lazy(() => schemas().NodePairListResultSchema);
export const NodePairRequestIdParamsSchema = z.lazy(() => schemas().NodePairRequestIdParamsSchema);
export const NodePairApproveResultSchema = z.lazy(() => schemas().NodePairApproveResultSchema);
export const NodePairRejectResultSchema = z.lazy(() => schemas().NodePairRejectResultSchema);
export const NodePairRemoveParamsSchema = z.lazy(() => schemas().NodePairRemoveParamsSchema);
export const NodePairRemoveResultSchema = z.lazy(() => schemas().NodePairRemoveResultSchema);
export const NodePairResolvedEventSchema = z.lazy(() => schemas().NodePairResolvedEventSchema);

export type NodePairRequest = z.infer<typeof NodePairRequestSchema>;
export type PairedNode = z.infer<typeof PairedNodeSchema>;
export type NodePairListResult = z.infer<typeof NodePairListResultSchema>;
export type NodePairRequestIdParams = z.infer<typeof NodePairRequestIdParamsSchema>;
export type NodePairResolvedEvent = z.infer<typeof NodePairResolvedEventSchema>;
