import { z } from "zod";
import { lazySchemas } from "../lazy-schemas.js";
import { LIMITS } from "../limits.js";

/** Built on first use (see lazySchemas). */
function buildAgentsSchemas() {
  const AgentSummarySchema = z.object({
    id: z.string(),
    kind: z.enum(["agent", "system"]).optional(),
    name: z.string().optional(),
    identity: z
      .object({ name: z.string().optional(), emoji: z.string().optional(), avatar: z.string().optional() })
      .optional(),
    workspace: z.string().optional(),
    model: z.object({ primary: z.string().optional(), fallbacks: z.array(z.string()).optional() }).optional(),
  });

  const AgentsListParamsSchema = z.object({}).optional();
  const AgentsListResultSchema = z.object({
    defaultId: z.string(),
    mainKey: z.string(),
    scope: z.enum(["per-sender", "global"]),
    agents: z.array(AgentSummarySchema),
  });

  const agentId = z.string().min(1).max(LIMITS.idChars);
  const agentName = z.string().min(1).max(128);
  const workspace = z.string().max(LIMITS.pathChars);
  const model = z.string().max(LIMITS.idChars);
  const emoji = z.string().max(LIMITS.idChars);
  const avatar = z.string().max(LIMITS.pathChars);

  const AgentsCreateParamsSchema = z.object({
    name: agentName,
    workspace: workspace.optional(),
    model: model.optional(),
    emoji: emoji.optional(),
    avatar: avatar.optional(),
  });
  const AgentsCreateResultSchema = z.object({
    ok: z.literal(true),
    agentId: z.string(),
    name: z.string(),
    workspace: z.string(),
    model: z.string().optional(),
  });

  const AgentsUpdateParamsSchema = z.object({
    agentId,
    name: agentName.optional(),
    workspace: workspace.optional(),
    model: model.nullable().optional(),
    emoji: emoji.optional(),
    avatar: avatar.optional(),
  });
  const AgentsUpdateResultSchema = z.object({ ok: z.literal(true), agentId: z.string() });

  const AgentsDeleteParamsSchema = z.object({
    agentId,
    deleteFiles: z.boolean().optional(),
  });
  const AgentsDeleteResultSchema = z.object({
    ok: z.literal(true),
    agentId: z.string(),
    removedBindings: z.int().min(0),
  });

  return {
    AgentSummarySchema,
    AgentsListParamsSchema,
    AgentsListResultSchema,
    AgentsCreateParamsSchema,
    AgentsCreateResultSchema,
    AgentsUpdateParamsSchema,
    AgentsUpdateResultSchema,
    AgentsDeleteParamsSchema,
    AgentsDeleteResultSchema,
  };
}

const schemas = lazySchemas(buildAgentsSchemas);

export const AgentSummarySchema = z.lazy(() => schemas().AgentSummarySchema);
export const AgentsListParamsSchema = z.lazy(() => schemas().AgentsListParamsSchema);
export const AgentsListResultSchema = z.lazy(() => schemas().AgentsListResultSchema);
export const AgentsCreateParamsSchema = z.lazy(() => schemas().AgentsCreateParamsSchema);
export const AgentsCreateResultSchema = z.lazy(() => schemas().AgentsCreateResultSchema);
export const AgentsUpdateParamsSchema = z.lazy(() => schemas().AgentsUpdateParamsSchema);
export const AgentsUpdateResultSchema = z.lazy(() => schemas().AgentsUpdateResultSchema);
export const AgentsDeleteParamsSchema = z.lazy(() => schemas().AgentsDeleteParamsSchema);
export const AgentsDeleteResultSchema = z.lazy(() => schemas().AgentsDeleteResultSchema);

export type AgentSummary = z.infer<typeof AgentSummarySchema>;
export type AgentsListResult = z.infer<typeof AgentsListResultSchema>;
export type AgentsCreateParams = z.infer<typeof AgentsCreateParamsSchema>;
export type AgentsCreateResult = z.infer<typeof AgentsCreateResultSchema>;
export type AgentsUpdateParams = z.infer<typeof AgentsUpdateParamsSchema>;
export type AgentsDeleteParams = z.infer<typeof AgentsDeleteParamsSchema>;
export type AgentsDeleteResult = z.infer<typeof AgentsDeleteResultSchema>;
