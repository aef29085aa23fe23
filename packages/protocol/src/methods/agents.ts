import { z } from "zod";

export const AgentSummarySchema = z.object({
  id: z.string(),
  kind: z.enum(["agent", "system"]).optional(),
  name: z.string().optional(),
  identity: z
    .object({ name: z.string().optional(), emoji: z.string().optional(), avatar: z.string().optional() })
    .optional(),
  workspace: z.string().optional(),
  model: z.object({ primary: z.string().optional(), fallbacks: z.array(z.string()).optional() }).optional(),
});
export type AgentSummary = z.infer<typeof AgentSummarySchema>;

export const AgentsListParamsSchema = z.object({}).optional();
export const AgentsListResultSchema = z.object({
  defaultId: z.string(),
  mainKey: z.string(),
  scope: z.enum(["per-sender", "global"]),
  agents: z.array(AgentSummarySchema),
});
export type AgentsListResult = z.infer<typeof AgentsListResultSchema>;

export const AgentsCreateParamsSchema = z.object({
  name: z.string().min(1).max(128),
  workspace: z.string().optional(),
  model: z.string().optional(),
  emoji: z.string().optional(),
  avatar: z.string().optional(),
});
export type AgentsCreateParams = z.infer<typeof AgentsCreateParamsSchema>;
export const AgentsCreateResultSchema = z.object({
  ok: z.literal(true),
  agentId: z.string(),
  name: z.string(),
  workspace: z.string(),
  model: z.string().optional(),
});
export type AgentsCreateResult = z.infer<typeof AgentsCreateResultSchema>;

export const AgentsUpdateParamsSchema = z.object({
  agentId: z.string().min(1),
  name: z.string().min(1).max(128).optional(),
  workspace: z.string().optional(),
  model: z.string().nullable().optional(),
  emoji: z.string().optional(),
  avatar: z.string().optional(),
});
export type AgentsUpdateParams = z.infer<typeof AgentsUpdateParamsSchema>;
export const AgentsUpdateResultSchema = z.object({ ok: z.literal(true), agentId: z.string() });

export const AgentsDeleteParamsSchema = z.object({
  agentId: z.string().min(1),
  deleteFiles: z.boolean().optional(),
});
export type AgentsDeleteParams = z.infer<typeof AgentsDeleteParamsSchema>;
export const AgentsDeleteResultSchema = z.object({
  ok: z.literal(true),
  agentId: z.string(),
  removedBindings: z.int().min(0),
});
export type AgentsDeleteResult = z.infer<typeof AgentsDeleteResultSchema>;
