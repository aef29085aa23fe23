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
    /**
     * OpenClaw's roster ownership: "sole" when a default agent resolves, which it always does here (the agent marked
     * `default`, else `main`), so no client has to ask which agent to use.
     */
    ownership: z.literal("sole"),
    selectionRequired: z.literal(false),
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

  // agents.files.*: the workspace's bootstrap files (AGENTS.md, SOUL.md, ...), named, never arbitrary paths.
  const AgentsFileEntrySchema = z.object({
    name: z.string().min(1),
    path: z.string().min(1),
    missing: z.boolean(),
    expectedAbsent: z.boolean().optional(),
    size: z.int().min(0).optional(),
    updatedAtMs: z.int().min(0).optional(),
    content: z.string().optional(),
  });
  const fileName = z.string().min(1).max(LIMITS.idChars);
  const AgentsFilesListParamsSchema = z.object({ agentId });
  const AgentsFilesListResultSchema = z.object({
    agentId: z.string().min(1),
    workspace: z.string().min(1),
    files: z.array(AgentsFileEntrySchema),
  });
  const AgentsFilesGetParamsSchema = z.object({ agentId, name: fileName });
  const AgentsFilesGetResultSchema = z.object({
    agentId: z.string().min(1),
    workspace: z.string().min(1),
    file: AgentsFileEntrySchema,
  });
  const AgentsFilesSetParamsSchema = z.object({
    agentId,
    name: fileName,
    content: z.string().max(LIMITS.messageChars),
    /** sha256 (hex) of the content the editor started from: a file changed since is refused, not overwritten. */
    expectedHash: z
      .string()
      .max(64)
      .regex(/^[0-9a-fA-F]{64}$/, { error: "expected a sha256 hex digest" })
      .optional(),
  });
  const AgentsFilesSetResultSchema = z.object({
    ok: z.literal(true),
    agentId: z.string().min(1),
    workspace: z.string().min(1),
    file: AgentsFileEntrySchema,
  });

  return {
    AgentsFileEntrySchema,
    AgentsFilesListParamsSchema,
    AgentsFilesListResultSchema,
    AgentsFilesGetParamsSchema,
    AgentsFilesGetResultSchema,
    AgentsFilesSetParamsSchema,
    AgentsFilesSetResultSchema,
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

export const AgentsFileEntrySchema = z.lazy(() => schemas().AgentsFileEntrySchema);
export const AgentsFilesListParamsSchema = z.lazy(() => schemas().AgentsFilesListParamsSchema);
export const AgentsFilesListResultSchema = z.lazy(() => schemas().AgentsFilesListResultSchema);
export const AgentsFilesGetParamsSchema = z.lazy(() => schemas().AgentsFilesGetParamsSchema);
export const AgentsFilesGetResultSchema = z.lazy(() => schemas().AgentsFilesGetResultSchema);
export const AgentsFilesSetParamsSchema = z.lazy(() => schemas().AgentsFilesSetParamsSchema);
export const AgentsFilesSetResultSchema = z.lazy(() => schemas().AgentsFilesSetResultSchema);

export type AgentSummary = z.infer<typeof AgentSummarySchema>;
export type AgentsFileEntry = z.infer<typeof AgentsFileEntrySchema>;
export type AgentsFilesListResult = z.infer<typeof AgentsFilesListResultSchema>;
export type AgentsFilesGetParams = z.infer<typeof AgentsFilesGetParamsSchema>;
export type AgentsFilesGetResult = z.infer<typeof AgentsFilesGetResultSchema>;
export type AgentsFilesSetParams = z.infer<typeof AgentsFilesSetParamsSchema>;
export type AgentsFilesSetResult = z.infer<typeof AgentsFilesSetResultSchema>;
export type AgentsListResult = z.infer<typeof AgentsListResultSchema>;
export type AgentsCreateParams = z.infer<typeof AgentsCreateParamsSchema>;
export type AgentsCreateResult = z.infer<typeof AgentsCreateResultSchema>;
export type AgentsUpdateParams = z.infer<typeof AgentsUpdateParamsSchema>;
export type AgentsDeleteParams = z.infer<typeof AgentsDeleteParamsSchema>;
export type AgentsDeleteResult = z.infer<typeof AgentsDeleteResultSchema>;
