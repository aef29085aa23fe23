import { z } from "zod";
import { lazySchemas } from "../lazy-schemas.js";
import { LIMITS } from "../limits.js";

/**
 * `usage.cost`, as OpenClaw's `openclaw gateway usage-cost` and its TUI read it: token totals and their cost per day
 * and overall, summed from the usage ledger (one stored row per turn and model, priced from
 * `models.providers.*.models[].cost` when the turn ran). A turn of a model without a price counts its tokens and one
 * `missingCostEntries` entry, exactly as OpenClaw counts an answer of a model without a configured price.
 */
function buildUsageSchemas() {
  const id = z.string().min(1).max(LIMITS.idChars);
  const isoDate = z
    .string()
    .max(10)
    .regex(/^\d{4}-\d{2}-\d{2}$/, "a date as YYYY-MM-DD");

  const UsageCostParamsSchema = z
    .object({
      days: z.int().min(1).max(3_660).optional(),
      startDate: isoDate.optional(),
      endDate: isoDate.optional(),
      agentId: id.optional(),
      agentScope: z.literal("all").optional(),
      /** How days are bucketed: UTC (default), the gateway's local zone, or `timeZone` / `utcOffset`. */
      mode: z.enum(["utc", "gateway", "specific"]).optional(),
      timeZone: id.optional(),
      utcOffset: z.string().max(16).optional(),
    })
    .optional();

  const costTotals = {
    input: z.int().min(0),
    output: z.int().min(0),
    cacheRead: z.int().min(0),
    cacheWrite: z.int().min(0),
    totalTokens: z.int().min(0),
    totalCost: z.number().min(0),
    inputCost: z.number().min(0),
    outputCost: z.number().min(0),
    cacheReadCost: z.number().min(0),
    cacheWriteCost: z.number().min(0),
    missingCostEntries: z.int().min(0),
    /** Per `provider/model`: how many of its answers had no price. */
    missingCostByModel: z.record(z.string(), z.int().min(0)).optional(),
  };
  const CostUsageTotalsSchema = z.object(costTotals);
  const UsageCostResultSchema = z.object({
    updatedAt: z.int().min(0),
    days: z.int().min(1),
    daily: z.array(z.object({ date: z.string(), ...costTotals })),
    totals: CostUsageTotalsSchema,
    /** Set when the store keeps no usage ledger (a store written before it existed): every total is 0. */
    note: z.string().optional(),
  });

  return { UsageCostParamsSchema, CostUsageTotalsSchema, UsageCostResultSchema, costTotals };
}

const schemas = lazySchemas(buildUsageSchemas);

/** The fields of {@link CostUsageTotalsSchema}, for schemas that extend it (call inside a lazy builder). */
export function costUsageTotalsShape(): ReturnType<typeof buildUsageSchemas>["costTotals"] {
  return schemas().costTotals;
}

export const UsageCostParamsSchema = z.lazy(() => schemas().UsageCostParamsSchema);
export type UsageCostParams = z.infer<typeof UsageCostParamsSchema>;
export const CostUsageTotalsSchema = z.lazy(() => schemas().CostUsageTotalsSchema);
export type CostUsageTotals = z.infer<typeof CostUsageTotalsSchema>;
export const UsageCostResultSchema = z.lazy(() => schemas().UsageCostResultSchema);
export type UsageCostResult = z.infer<typeof UsageCostResultSchema>;
