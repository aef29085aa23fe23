import { z } from "zod";
import { lazySchemas } from "../lazy-schemas.js";
import { LIMITS } from "../limits.js";
import { CostUsageTotalsSchema, costUsageTotalsShape } from "./compat-cli-usage.js";

/**
 * `sessions.usage`, as OpenClaw's Control UI Usage screen reads it: per-session usage in a date range with daily,
 * per-model and latency breakdowns, and gateway-wide aggregates (by model, provider, agent, channel, day). This
 * gateway answers it from the usage ledger (one stored row per turn and model), never by re-reading transcripts.
 *
 * What the ledger cannot know is left out rather than invented: tool names (`toolUsage` is absent), per-message
 * roles (`messageCounts` counts turns: one user message and one answer each), creators (every session is the
 * "unknown" creator) and context weight (`hasContextWeight` is false).
 */
function buildSessionsUsageSchemas() {
  const id = z.string().min(1).max(LIMITS.idChars);
  const key = z.string().min(1).max(LIMITS.keyChars);
  const isoDate = z
    .string()
    .max(10)
    .regex(/^\d{4}-\d{2}-\d{2}$/, "a date as YYYY-MM-DD");
  const count = z.int().min(0);
  const ms = z.number().min(0);
  const totals = CostUsageTotalsSchema;
  const totalsShape = costUsageTotalsShape();

  const SessionsUsageParamsSchema = z
    .object({
      /** One session (key, or a session id of the agent); omitted: the sessions of the effective agent. */
      key: key.optional(),
      agentId: id.optional(),
      agentScope: z.literal("all").optional(),
      /** OpenClaw's creator filter; this gateway records no creators, so only the "unknown" creator matches. */
      creatorKey: z.string().min(1).max(LIMITS.keyChars).optional(),
      startDate: isoDate.optional(),
      endDate: isoDate.optional(),
      /** The last N days up to today when no start/end dates are given (default 30). */
      days: z.int().min(1).max(36_600).optional(),
      range: z.enum(["7d", "30d", "90d", "1y", "all"]).optional(),
      /** How dates are read: UTC (default), the gateway's local zone, or `timeZone` / `utcOffset`. */
      mode: z.enum(["utc", "gateway", "specific"]).optional(),
      /** IANA time zone for `mode: "specific"`, e.g. "Europe/Paris". */
      timeZone: id.optional(),
      /** Fixed offset for `mode: "specific"` when no `timeZone` is given: "UTC+2", "UTC-4", "UTC+5:30". */
      utcOffset: z
        .string()
        .max(16)
        .regex(/^UTC[+-]\d{1,2}(?::[0-5]\d)?$/, "an offset as UTC+H, UTC-HH or UTC+H:MM")
        .optional(),
      /** Sessions returned (default 50); aggregates always cover every session in range. */
      limit: z.int().min(1).max(1_000).optional(),
      includeContextWeight: z.boolean().optional(),
      /** "family" groups rotated session ids of one key; the ledger keys rows by session key, so both agree. */
      groupBy: z.enum(["instance", "family"]).optional(),
      /** Deprecated alias of `groupBy: "family"`. */
      includeHistorical: z.boolean().optional(),
    })
    .optional();

  const messageCounts = {
    total: count,
    user: count,
    assistant: count,
    toolCalls: count,
    toolResults: count,
    errors: count,
  };
  const MessageCountsSchema = z.object(messageCounts);
  const latencyStats = { count, avgMs: ms, p95Ms: ms, minMs: ms, maxMs: ms };
  const LatencySchema = z.object(latencyStats);
  const ModelUsageSchema = z.object({
    provider: z.string().optional(),
    model: z.string().optional(),
    /** Turns (ledger rows) of this model. */
    count,
    totals,
  });
  const DailyBreakdownSchema = z.object({
    date: z.string(),
    tokens: count,
    cost: z.number(),
    ...totalsShape,
  });
  const DailyModelUsageSchema = z.object({
    date: z.string(),
    provider: z.string().optional(),
    model: z.string().optional(),
    tokens: count,
    cost: z.number(),
    count,
  });

  const SessionUsageSchema = z.object({
    ...totalsShape,
    sessionId: z.string().optional(),
    firstActivity: ms.optional(),
    lastActivity: ms.optional(),
    durationMs: ms.optional(),
    activityDates: z.array(z.string()).optional(),
    dailyBreakdown: z.array(DailyBreakdownSchema).optional(),
    dailyMessageCounts: z.array(z.object({ date: z.string(), ...messageCounts })).optional(),
    utcQuarterHourMessageCounts: z
      .array(z.object({ date: z.string(), quarterIndex: z.int().min(0).max(95), ...messageCounts }))
      .optional(),
    utcQuarterHourTokenUsage: z
      .array(
        z.object({
          date: z.string(),
          quarterIndex: z.int().min(0).max(95),
          input: count,
          output: count,
          cacheRead: count,
          cacheWrite: count,
          totalTokens: count,
          totalCost: z.number(),
        }),
      )
      .optional(),
    dailyLatency: z.array(z.object({ date: z.string(), ...latencyStats })).optional(),
    dailyModelUsage: z.array(DailyModelUsageSchema).optional(),
    messageCounts: MessageCountsSchema.optional(),
    modelUsage: z.array(ModelUsageSchema).optional(),
    latency: LatencySchema.optional(),
  });

  const SessionsUsageEntrySchema = z.object({
    key: z.string(),
    label: z.string().optional(),
    sessionId: z.string().optional(),
    scope: z.enum(["instance", "family"]),
    updatedAt: ms,
    agentId: z.string().optional(),
    creatorKey: z.string().optional(),
    channel: z.string().optional(),
    chatType: z.string().optional(),
    modelOverride: z.string().optional(),
    providerOverride: z.string().optional(),
    modelProvider: z.string().optional(),
    model: z.string().optional(),
    usage: SessionUsageSchema.nullable(),
    hasContextWeight: z.boolean(),
    contextWeight: z.null().optional(),
  });

  const SessionsUsageAggregatesSchema = z.object({
    sessionCount: count,
    longestSessionDurationMs: ms.optional(),
    messages: MessageCountsSchema,
    tools: z.object({
      totalCalls: count,
      uniqueTools: count,
      tools: z.array(z.object({ name: z.string(), count })),
    }),
    byModel: z.array(ModelUsageSchema),
    byProvider: z.array(ModelUsageSchema),
    byAgent: z.array(z.object({ agentId: z.string(), totals })),
    byChannel: z.array(z.object({ channel: z.string(), totals })),
    costDaily: z.array(z.object({ date: z.string(), ...totalsShape })),
    latency: LatencySchema.optional(),
    dailyLatency: z.array(z.object({ date: z.string(), ...latencyStats })),
    modelDaily: z.array(DailyModelUsageSchema),
    daily: z.array(
      z.object({
        date: z.string(),
        tokens: count,
        cost: z.number(),
        messages: count,
        toolCalls: count,
        errors: count,
      }),
    ),
  });

  const SessionsUsageResultSchema = z.object({
    updatedAt: ms,
    startDate: z.string(),
    endDate: z.string(),
    sessions: z.array(SessionsUsageEntrySchema),
    totals,
    aggregates: SessionsUsageAggregatesSchema,
    /** OpenClaw's creator filter options: the one "unknown" creator when any session is in range. */
    creatorOptions: z.array(z.object({ key: z.string() })),
    /** True when more sessions were in range than `limit` returned. */
    sessionsLimitReached: z.boolean().optional(),
    /** Set when the store keeps no usage ledger (a store written before it existed): every total is 0. */
    note: z.string().optional(),
  });

  return {
    SessionsUsageParamsSchema,
    SessionUsageSchema,
    SessionsUsageEntrySchema,
    SessionsUsageAggregatesSchema,
    SessionsUsageResultSchema,
  };
}

const schemas = lazySchemas(buildSessionsUsageSchemas);

export const SessionsUsageParamsSchema = z.lazy(() => schemas().SessionsUsageParamsSchema);
export type SessionsUsageParams = z.infer<typeof SessionsUsageParamsSchema>;
export const SessionUsageSchema = z.lazy(() => schemas().SessionUsageSchema);
export type SessionUsage = z.infer<typeof SessionUsageSchema>;
export const SessionsUsageEntrySchema = z.lazy(() => schemas().SessionsUsageEntrySchema);
export type SessionsUsageEntry = z.infer<typeof SessionsUsageEntrySchema>;
export const SessionsUsageAggregatesSchema = z.lazy(() => schemas().SessionsUsageAggregatesSchema);
export type SessionsUsageAggregates = z.infer<typeof SessionsUsageAggregatesSchema>;
export const SessionsUsageResultSchema = z.lazy(() => schemas().SessionsUsageResultSchema);
export type SessionsUsageResult = z.infer<typeof SessionsUsageResultSchema>;
