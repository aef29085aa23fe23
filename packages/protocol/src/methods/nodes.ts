import { z } from "zod";

/** A node asking to expose a capability surface; created when an unapproved node connects. */
export const NodePairRequestSchema = z.object({
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
export type NodePairRequest = z.infer<typeof NodePairRequestSchema>;

export const PairedNodeSchema = z.object({
  nodeId: z.string().min(1),
  displayName: z.string().optional(),
  platform: z.string().optional(),
  version: z.string().optional(),
  caps: z.array(z.string()),
  commands: z.array(z.string()),
  approvedAtMs: z.int().min(0),
});
export type PairedNode = z.infer<typeof PairedNodeSchema>;

export const NodePairListParamsSchema = z.strictObject({});
export const NodePairListResultSchema = z.object({
  pending: z.array(NodePairRequestSchema),
  paired: z.array(PairedNodeSchema),
});
export type NodePairListResult = z.infer<typeof NodePairListResultSchema>;

export const NodePairRequestIdParamsSchema = z.strictObject({ requestId: z.string().min(1) });
export type NodePairRequestIdParams = z.infer<typeof NodePairRequestIdParamsSchema>;

export const NodePairApproveResultSchema = z.object({ requestId: z.string().min(1), node: PairedNodeSchema });
export const NodePairRejectResultSchema = z.object({
  requestId: z.string().min(1),
  nodeId: z.string().min(1),
});

export const NodePairRemoveParamsSchema = z.strictObject({ nodeId: z.string().min(1) });
export const NodePairRemoveResultSchema = z.object({ nodeId: z.string().min(1), removed: z.boolean() });

/** `node.pair.resolved`: a pending request was approved or rejected, or a paired node removed. */
export const NodePairResolvedEventSchema = z.object({
  requestId: z.string().min(1).optional(),
  nodeId: z.string().min(1),
  decision: z.enum(["approved", "rejected", "removed"]),
  ts: z.int().min(0),
});
export type NodePairResolvedEvent = z.infer<typeof NodePairResolvedEventSchema>;
