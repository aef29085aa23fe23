import { z } from "zod";
import { lazySchemas } from "../lazy-schemas.js";
import { LIMITS } from "../limits.js";

/** Built on first use (see lazySchemas). */
function buildConfigSchemas() {
  const ConfigGetParamsSchema = z.object({}).optional();
  const ConfigGetResultSchema = z.object({
    path: z.string(),
    exists: z.boolean(),
    raw: z.string(),
    /** The parsed config with every secret replaced by a redaction marker. */
    config: z.record(z.string(), z.unknown()),
    hash: z.string(),
    valid: z.boolean(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })),
    warnings: z.array(z.string()),
    /** "last-good" while the file on disk is invalid and the gateway keeps running the last config that was valid. */
    running: z.enum(["file", "last-good"]).optional(),
    /** The hash of the config that is running (differs from `hash` while the file on disk is invalid). */
    appliedConfigHash: z.string().optional(),
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
