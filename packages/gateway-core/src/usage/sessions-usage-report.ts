import type { SessionsUsageEntry, SessionsUsageResult, SessionUsage } from "@openclaw/protocol";
import type { SessionStore, SessionStoreRow, UsageGroup, UsageLedger } from "@openclaw/sessions";
import {
  dailyLatencyOf,
  dailyModelUsageOf,
  messageCountsOf,
  modelUsageOf,
  sessionsUsageAggregates,
} from "./sessions-usage-aggregates.js";
import { NO_LEDGER_NOTE } from "./usage-cost-report.js";
import { type DayGroup, queryByDay } from "./usage-day-query.js";
import type { UsageRange } from "./usage-range.js";
import { emptyTotals, latencyOf, totalsBy, totalsOf } from "./usage-totals.js";

/** OpenClaw's key of the creator it cannot name; this gateway records no creators, so every session has it. */
export const UNKNOWN_CREATOR_KEY = '["unknown"]';

const QUARTER_MS = 900_000;
const QUARTERS_PER_DAY = 96;

export interface SessionsUsageQuery {
  range: UsageRange;
  /** One agent's sessions; undefined: every agent's. */
  agentId?: string;
  /** One session. */
  key?: string;
  creatorKey?: string;
  limit: number;
  now: number;
}

function emptyResult(q: SessionsUsageQuery): SessionsUsageResult {
  return {
    updatedAt: q.now,
    startDate: q.range.startDate,
    endDate: q.range.endDate,
    sessions: [],
    totals: emptyTotals(),
    aggregates: sessionsUsageAggregates([], [], () => ""),
    creatorOptions: [],
  };
}

/**
 * `sessions.usage` from the ledger in three grouped queries: per session (counts, order, totals), per agent ×
 * channel × model × day (the aggregates), and per session × model × quarter hour for the sessions returned (their
 * daily, quarter-hour and per-model breakdowns). Sessions are ordered by their last turn, newest first.
 */
export async function sessionsUsageReport(
  ledger: UsageLedger | undefined,
  sessions: SessionStore,
  q: SessionsUsageQuery,
): Promise<SessionsUsageResult> {
  if (!ledger) return { ...emptyResult(q), note: NO_LEDGER_NOTE };
  if (q.creatorKey !== undefined && q.creatorKey !== UNKNOWN_CREATOR_KEY) return emptyResult(q);
  const filter = {
    from: q.range.startMs,
    to: q.range.endMs,
    ...(q.agentId === undefined ? {} : { agentId: q.agentId }),
    ...(q.key === undefined ? {} : { sessionKeys: [q.key] }),
  };
  const { range } = q;
  const [perSession, grouped] = await Promise.all([
    ledger.query({ ...filter, groupBy: ["session", "agent"] }),
    queryByDay(ledger, range, { ...filter, groupBy: ["agent", "channel", "model"] }),
  ]);
  perSession.sort((a, b) => b.lastTs - a.lastTs || String(a.sessionKey).localeCompare(String(b.sessionKey)));
  const top = perSession.slice(0, q.limit);
  const topKeys = top.map((group) => group.sessionKey as string);
  const [details, rows] = await Promise.all([
    topKeys.length === 0
      ? Promise.resolve([])
      : ledger.query({
          ...filter,
          sessionKeys: topKeys,
          groupBy: ["session", "channel", "model"],
          bucket: { sizeMs: QUARTER_MS, offsetMs: 0 },
        }),
    Promise.all(topKeys.map((key) => sessions.get(key).catch(() => undefined))),
  ]);
  const detailsBySession = new Map<string, UsageGroup[]>();
  for (const group of details) {
    const list = detailsBySession.get(group.sessionKey as string) ?? [];
    list.push(group);
    detailsBySession.set(group.sessionKey as string, list);
  }
  const dayOfQuarter = (group: UsageGroup) => range.dayOfMs((group.bucket ?? 0) * QUARTER_MS);
  return {
    updatedAt: q.now,
    startDate: q.range.startDate,
    endDate: q.range.endDate,
    sessions: top.map((session, index) =>
      sessionEntry(
        session,
        detailsBySession.get(session.sessionKey as string) ?? [],
        rows[index],
        dayOfQuarter,
      ),
    ),
    totals: totalsOf(grouped),
    aggregates: sessionsUsageAggregates(grouped, perSession, (group) => (group as DayGroup).date),
    creatorOptions: perSession.length > 0 ? [{ key: UNKNOWN_CREATOR_KEY }] : [],
    ...(perSession.length > q.limit ? { sessionsLimitReached: true } : {}),
  };
}

function sessionEntry(
  session: UsageGroup,
  details: UsageGroup[],
  row: SessionStoreRow | undefined,
  dayOf: (group: UsageGroup) => string,
): SessionsUsageEntry {
  const usage = sessionUsage(session, details, dayOf);
  if (row?.sessionId) usage.sessionId = row.sessionId;
  const topModel = usage.modelUsage?.[0];
  const label = row?.label ?? row?.displayName;
  const entry: SessionsUsageEntry = {
    key: session.sessionKey as string,
    scope: "instance",
    updatedAt: row?.updatedAt ?? session.lastTs,
    creatorKey: UNKNOWN_CREATOR_KEY,
    usage,
    hasContextWeight: false,
  };
  if (label) entry.label = label;
  if (row?.sessionId) entry.sessionId = row.sessionId;
  const agentId = row?.agentId ?? session.agentId;
  if (agentId) entry.agentId = agentId;
  const channel = row?.channel ?? mostUsedChannel(details);
  if (channel) entry.channel = channel;
  if (row?.chatType) entry.chatType = row.chatType;
  if (row?.model) entry.modelOverride = row.model;
  if (topModel?.provider) entry.modelProvider = topModel.provider;
  if (topModel?.model) entry.model = topModel.model;
  return entry;
}

function mostUsedChannel(details: readonly UsageGroup[]): string | undefined {
  return details.find((group) => typeof group.channel === "string")?.channel ?? undefined;
}

/** One session's usage in OpenClaw's shape, from its totals and its per-model quarter-hour groups. */
function sessionUsage(
  session: UsageGroup,
  details: readonly UsageGroup[],
  dayOf: (group: UsageGroup) => string,
): SessionUsage {
  const byDay = [...totalsBy(details, dayOf)].sort(([a], [b]) => a.localeCompare(b));
  const dayCounts = new Map<string, ReturnType<typeof messageCountsOf>>();
  const quarters = new Map<number, UsageGroup[]>();
  for (const group of details) {
    const date = dayOf(group);
    const counts = dayCounts.get(date) ?? messageCountsOf(0, 0, 0);
    addCounts(counts, messageCountsOf(group.turns, group.toolCalls, group.errors));
    dayCounts.set(date, counts);
    const list = quarters.get(group.bucket ?? 0) ?? [];
    list.push(group);
    quarters.set(group.bucket ?? 0, list);
  }
  const quarterRows = [...quarters].sort(([a], [b]) => a - b);
  const latency = latencyOf(details);
  return {
    ...totalsOf([session]),
    firstActivity: session.firstTs,
    lastActivity: session.lastTs,
    durationMs: Math.max(0, session.lastTs - session.firstTs),
    activityDates: byDay.map(([date]) => date),
    dailyBreakdown: byDay.map(([date, totals]) => ({
      date,
      tokens: totals.totalTokens,
      cost: totals.totalCost,
      ...totals,
    })),
    dailyMessageCounts: [...dayCounts]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([date, counts]) => ({ date, ...counts })),
    utcQuarterHourMessageCounts: quarterRows.map(([bucket, groups]) => {
      const counts = messageCountsOf(0, 0, 0);
      for (const group of groups)
        addCounts(counts, messageCountsOf(group.turns, group.toolCalls, group.errors));
      return { ...quarterOf(bucket), ...counts };
    }),
    utcQuarterHourTokenUsage: quarterRows.map(([bucket, groups]) => {
      const totals = totalsOf(groups);
      return {
        ...quarterOf(bucket),
        input: totals.input,
        output: totals.output,
        cacheRead: totals.cacheRead,
        cacheWrite: totals.cacheWrite,
        totalTokens: totals.totalTokens,
        totalCost: totals.totalCost,
      };
    }),
    dailyLatency: dailyLatencyOf(details, dayOf),
    dailyModelUsage: dailyModelUsageOf(details, dayOf),
    messageCounts: messageCountsOf(session.turns, session.toolCalls, session.errors),
    modelUsage: modelUsageOf(details),
    ...(latency ? { latency } : {}),
  };
}

function quarterOf(bucket: number): { date: string; quarterIndex: number } {
  const date = new Date(bucket * QUARTER_MS).toISOString().slice(0, 10);
  return { date, quarterIndex: ((bucket % QUARTERS_PER_DAY) + QUARTERS_PER_DAY) % QUARTERS_PER_DAY };
}

function addCounts(
  target: ReturnType<typeof messageCountsOf>,
  source: ReturnType<typeof messageCountsOf>,
): void {
  target.total += source.total;
  target.user += source.user;
  target.assistant += source.assistant;
  target.toolCalls += source.toolCalls;
  target.toolResults += source.toolResults;
  target.errors += source.errors;
}
