import { z } from "zod";
import { lazySchemas } from "../lazy-schemas.js";
import { LIMITS } from "../limits.js";

/** Built on first use (see lazySchemas). */
function buildConfigSchemas() {
  const ConfigGetParamsSchema = z.object({}).optional();
  const ConfigObjectSchema = z.record(z.string(), z.unknown());
  /**
   * OpenClaw's config snapshot. `raw`, `parsed`, `hash`, `valid` and `issues` describe the file on disk; `sourceConfig`
   * and `resolved` are the file's object after includes (this gateway has no `$include`, so they equal `parsed`);
   * `runtimeConfig` and `config` are what runs, defaults filled in. `configRevisionHash` names the file's revision
   * and `appliedConfigHash` the running one: OpenClaw's UI offers "apply" while they differ. Secrets are redacted
   * everywhere but in `raw` for an admin.
   */
  const ConfigGetResultSchema = z.object({
    path: z.string(),
    exists: z.boolean(),
    raw: z.string(),
    parsed: ConfigObjectSchema,
    sourceConfig: ConfigObjectSchema,
    resolved: ConfigObjectSchema,
    runtimeConfig: ConfigObjectSchema,
    config: ConfigObjectSchema,
    /** `$include` files read; always empty here. */
    includedPaths: z.array(z.string()),
    includeProvenance: z.array(z.unknown()),
    agentRosterIncludeOwned: z.boolean(),
    bindingsIncludeOwned: z.boolean(),
    hash: z.string(),
    valid: z.boolean(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })),
    warnings: z.array(z.string()),
    legacyIssues: z.array(z.unknown()),
    configRevisionHash: z.string(),
    appliedConfigHash: z.string(),
    /** "last-good" while the file on disk is invalid and the gateway keeps running the last config that was valid. */
    running: z.enum(["file", "last-good"]).optional(),
  });

  const id = z.string().max(LIMITS.idChars);

  const DeliveryContextSchema = z.object({
    channel: id.optional(),
    to: z.string().max(LIMITS.keyChars).optional(),
    accountId: id.optional(),
    threadId: z.union([id, z.number()]).optional(),
  });

  const ConfigSetParamsSchema = z.object({
    raw: z.string().max(LIMITS.configChars),
    baseHash: id.optional(),
  });

  const ConfigApplyParamsSchema = ConfigSetParamsSchema.extend({
    sessionKey: z.string().max(LIMITS.keyChars).optional(),
    deliveryContext: DeliveryContextSchema.optional(),
    note: z.string().max(LIMITS.textChars).optional(),
    restartDelayMs: z.int().min(0).optional(),
  });

  const ConfigPatchParamsSchema = ConfigApplyParamsSchema.extend({
    replacePaths: z.array(z.string().max(LIMITS.pathChars)).max(LIMITS.listItems).optional(),
  });

  const ConfigWriteResultSchema = z.object({
    ok: z.literal(true),
    path: z.string(),
    hash: z.string(),
    config: z.record(z.string(), z.unknown()),
    warnings: z.array(z.string()),
    restartRequired: z.boolean(),
  });

  const ConfigSchemaParamsSchema = z.object({}).optional();
  const ConfigUiHintSchema = z.object({
    label: z.string().optional(),
    help: z.string().optional(),
    group: z.string().optional(),
    order: z.int().optional(),
    advanced: z.boolean().optional(),
    sensitive: z.boolean().optional(),
    placeholder: z.string().optional(),
  });
  const ConfigSchemaResultSchema = z.object({
    schema: z.unknown(),
    uiHints: z.record(z.string(), ConfigUiHintSchema),
    version: z.string(),
    generatedAt: z.string(),
  });

  return {
    ConfigGetParamsSchema,
    ConfigGetResultSchema,
    ConfigSetParamsSchema,
    ConfigApplyParamsSchema,
    ConfigPatchParamsSchema,
    ConfigWriteResultSchema,
    ConfigSchemaParamsSchema,
    ConfigUiHintSchema,
    ConfigSchemaResultSchema,
  };
}

const schemas = lazySchemas(buildConfigSchemas);

export const ConfigGetParamsSchema = z.lazy(() => schemas().ConfigGetParamsSchema);
export const ConfigGetResultSchema = z.lazy(() => schemas().ConfigGetResultSchema);
export const ConfigSetParamsSchema = z.lazy(() => schemas().ConfigSetParamsSchema);
export const ConfigApplyParamsSchema = z.lazy(() => schemas().ConfigApplyParamsSchema);
export const ConfigPatchParamsSchema = z.lazy(() => schemas().ConfigPatchParamsSchema);
export const ConfigWriteResultSchema = z.lazy(() => schemas().ConfigWriteResultSchema);
export const ConfigSchemaParamsSchema = z.lazy(() => schemas().ConfigSchemaParamsSchema);
export const ConfigUiHintSchema = z.lazy(() => schemas().ConfigUiHintSchema);
export const ConfigSchemaResultSchema = z.lazy(() => schemas().ConfigSchemaResultSchema);

export type ConfigGetResult = z.infer<typeof ConfigGetResultSchema>;
export type ConfigSetParams = z.infer<typeof ConfigSetParamsSchema>;
export type ConfigApplyParams = z.infer<typeof ConfigApplyParamsSchema>;
export type ConfigPatchParams = z.infer<typeof ConfigPatchParamsSchema>;
export type ConfigWriteResult = z.infer<typeof ConfigWriteResultSchema>;
export type ConfigSchemaResult = z.infer<typeof ConfigSchemaResultSchema>;
