import { z } from "zod";
import { lazySchemas } from "../lazy-schemas.js";
import { LIMITS } from "../limits.js";

/** Built on first use (see lazySchemas). Shapes follow OpenClaw's `tools.catalog` and `tools.effective`. */
function buildToolsSchemas() {
  const id = z.string().min(1).max(LIMITS.idChars);
  const ProfileIdSchema = z.enum(["minimal", "coding", "messaging", "full"]);
  const RiskSchema = z.enum(["low", "medium", "high"]);

  const ToolsCatalogParamsSchema = z
    .object({ agentId: id.optional(), includePlugins: z.boolean().optional() })
    .optional();

  const ToolCatalogEntrySchema = z.object({
    id: z.string(),
    label: z.string(),
    description: z.string(),
    source: z.enum(["core", "plugin"]),
    pluginId: z.string().optional(),
    optional: z.boolean().optional(),
    risk: RiskSchema.optional(),
    tags: z.array(z.string()).optional(),
    /** The profiles that select this tool by default (`full` is implied for every tool). */
    defaultProfiles: z.array(ProfileIdSchema),
  });

  const ToolCatalogGroupSchema = z.object({
    /** A core section (`fs`, `runtime`, `web`, ... as in `group:<id>`) or `plugin:<pluginId>`. */
    id: z.string(),
    label: z.string(),
    source: z.enum(["core", "plugin"]),
    pluginId: z.string().optional(),
    tools: z.array(ToolCatalogEntrySchema),
  });

  const ToolsCatalogResultSchema = z.object({
    agentId: z.string(),
    profiles: z.array(z.object({ id: ProfileIdSchema, label: z.string() })),
    groups: z.array(ToolCatalogGroupSchema),
  });

  /** OpenClaw requires `sessionKey`; here it defaults to the agent's main session. */
  const ToolsEffectiveParamsSchema = z
    .object({ agentId: id.optional(), sessionKey: z.string().min(1).max(LIMITS.keyChars).optional() })
    .optional();

  const EffectiveSourceSchema = z.enum(["core", "plugin", "channel", "mcp"]);

  const ToolsEffectiveEntrySchema = z.object({
    id: z.string(),
    label: z.string(),
    description: z.string(),
    rawDescription: z.string(),
    source: EffectiveSourceSchema,
    pluginId: z.string().optional(),
    channelId: z.string().optional(),
    risk: RiskSchema.optional(),
    tags: z.array(z.string()).optional(),
  });

  const ToolsEffectiveNoticeSchema = z.object({
    id: z.string(),
    severity: z.enum(["info", "warning"]),
    message: z.string(),
  });

  const ToolsEffectiveResultSchema = z.object({
    agentId: z.string(),
    /** The profile in force; "full" when none is configured (every tool, as in OpenClaw). */
    profile: z.string(),
    groups: z.array(
      z.object({
        id: EffectiveSourceSchema,
        label: z.string(),
        source: EffectiveSourceSchema,
        tools: z.array(ToolsEffectiveEntrySchema),
      }),
    ),
    /** One `tool-removed:<name>` notice per registered tool the policy removed, naming the config key that did. */
    notices: z.array(ToolsEffectiveNoticeSchema).optional(),
  });

  return {
    ToolsCatalogParamsSchema,
    ToolCatalogEntrySchema,
    ToolsCatalogResultSchema,
    ToolsEffectiveParamsSchema,
    ToolsEffectiveEntrySchema,
    ToolsEffectiveResultSchema,
  };
}

const schemas = lazySchemas(buildToolsSchemas);

export const ToolsCatalogParamsSchema = z.lazy(() => schemas().ToolsCatalogParamsSchema);
export const ToolCatalogEntrySchema = z.lazy(() => schemas().ToolCatalogEntrySchema);
export const ToolsCatalogResultSchema = z.lazy(() => schemas().ToolsCatalogResultSchema);
export const ToolsEffectiveParamsSchema = z.lazy(() => schemas().ToolsEffectiveParamsSchema);
export const ToolsEffectiveEntrySchema = z.lazy(() => schemas().ToolsEffectiveEntrySchema);
export const ToolsEffectiveResultSchema = z.lazy(() => schemas().ToolsEffectiveResultSchema);

export type ToolsCatalogParams = z.infer<typeof ToolsCatalogParamsSchema>;
export type ToolCatalogEntry = z.infer<typeof ToolCatalogEntrySchema>;
export type ToolsCatalogResult = z.infer<typeof ToolsCatalogResultSchema>;
export type ToolsEffectiveParams = z.infer<typeof ToolsEffectiveParamsSchema>;
export type ToolsEffectiveEntry = z.infer<typeof ToolsEffectiveEntrySchema>;
export type ToolsEffectiveResult = z.infer<typeof ToolsEffectiveResultSchema>;
