import { z } from "zod";

export const ConfigGetParamsSchema = z.object({}).optional();
export const ConfigGetResultSchema = z.object({
  path: z.string(),
  exists: z.boolean(),
  raw: z.string(),
  /** The parsed config with every secret replaced by a redaction marker. */
  config: z.record(z.string(), z.unknown()),
  hash: z.string(),
  valid: z.boolean(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })),
  warnings: z.array(z.string()),
});
export type ConfigGetResult = z.infer<typeof ConfigGetResultSchema>;

const DeliveryContextSchema = z.object({
  channel: z.string().optional(),
  to: z.string().optional(),
  accountId: z.string().optional(),
  threadId: z.union([z.string(), z.number()]).optional(),
});

export const ConfigSetParamsSchema = z.object({
  raw: z.string(),
  baseHash: z.string().optional(),
});
export type ConfigSetParams = z.infer<typeof ConfigSetParamsSchema>;

export const ConfigApplyParamsSchema = ConfigSetParamsSchema.extend({
  sessionKey: z.string().optional(),
  deliveryContext: DeliveryContextSchema.optional(),
  note: z.string().optional(),
  restartDelayMs: z.int().min(0).optional(),
});
export type ConfigApplyParams = z.infer<typeof ConfigApplyParamsSchema>;

export const ConfigPatchParamsSchema = ConfigApplyParamsSchema.extend({
  replacePaths: z.array(z.string()).max(256).optional(),
});
export type ConfigPatchParams = z.infer<typeof ConfigPatchParamsSchema>;

export const ConfigWriteResultSchema = z.object({
  ok: z.literal(true),
  path: z.string(),
  hash: z.string(),
  config: z.record(z.string(), z.unknown()),
  warnings: z.array(z.string()),
  restartRequired: z.boolean(),
});
export type ConfigWriteResult = z.infer<typeof ConfigWriteResultSchema>;

export const ConfigSchemaParamsSchema = z.object({}).optional();
export const ConfigUiHintSchema = z.object({
  label: z.string().optional(),
  help: z.string().optional(),
  group: z.string().optional(),
  order: z.int().optional(),
  advanced: z.boolean().optional(),
  sensitive: z.boolean().optional(),
  placeholder: z.string().optional(),
});
export const ConfigSchemaResultSchema = z.object({
  schema: z.unknown(),
  uiHints: z.record(z.string(), ConfigUiHintSchema),
  version: z.string(),
  generatedAt: z.string(),
});
export type ConfigSchemaResult = z.infer<typeof ConfigSchemaResultSchema>;
