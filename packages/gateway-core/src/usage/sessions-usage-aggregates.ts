import type { SessionsUsageAggregates } from "@openclaw/protocol";
import type { UsageGroup } from "@openclaw/sessions";
import { byCostThenTokens, latencyOf, modelRef, totalsBy, totalsOf } from "./usage-totals.js";

/** OpenClaw's message counts from turns: each turn is one user message and one answer. */
export function messageCountsOf(turns: number, toolCalls: number, errors: number) {
  return { total: 2 * turns, user: turns, assistant: turns, toolCalls, toolResults: toolCalls, errors };
}

function sum(groups: readonly UsageGroup[], field: "rows" | "turns" | "toolCalls" | "errors"): number {
  let total = 0;
  for (const group of groups) total += group[field];
  return total;
}

function groupsBy<K>(groups: readonly UsageGroup[], keyOf: (group: UsageGroup) => K): Map<K, UsageGroup[]> {
  const byKey = new Map<K, UsageGroup[]>();
  for (const group of groups) {
    const key = keyOf(group);
    const list = byKey.get(key);
    if (list) list.push(group);
    else byKey.set(key, [group]);
  }
  return byKey;
}

/** Per model (or per provider when `perProvider`): the turns it answered and its totals, dearest first. */
export function modelUsageOf(groups: readonly UsageGroup[], perProvider = false) {
  return [...groupsBy(groups, (group) => (perProvider ? (group.provider ?? "unknown") : modelRef(group)))]
    .map(([, members]) => {
      const first = members[0] as UsageGroup;
      return {
        ...(first.provider === undefined ? {} : { provider: first.provider }),
        ...(perProvider || first.model === undefined ? {} : { model: first.model }),
        count: sum(members, "rows"),
        totals: totalsOf(members),
      };
    })
    .sort(byCostThenTokens);
}

/** Per (day, provider, model): tokens, cost and turns, by day then dearest. */
export function dailyModelUsageOf(groups: readonly UsageGroup[], dayOf: (group: UsageGroup) => string) {
  return [...groupsBy(groups, (group) => JSON.stringify([dayOf(group), group.provider, group.model]))]
    .map(([, members]) => {
      const first = members[0] as UsageGroup;
      let tokens = 0;
      let cost = 0;
      for (const group of members) {
        tokens += group.input + group.output + group.cacheRead + group.cacheWrite;
        cost += group.costTotal;
      }
      return {
        date: dayOf(first),
        ...(first.provider === undefined ? {} : { provider: first.provider }),
        ...(first.model === undefined ? {} : { model: first.model }),
        tokens,
        cost,
        count: sum(members, "rows"),
      };
    })
    .sort((a, b) => a.date.localeCompare(b.date) || b.cost - a.cost);
}

/** Per day: latency of the turns timed that day. */
export function dailyLatencyOf(groups: readonly UsageGroup[], dayOf: (group: UsageGroup) => string) {
  return [...groupsBy(groups, dayOf)]
    .flatMap(([date, members]) => {
      const latency = latencyOf(members);
      return latency ? [{ date, ...latency }] : [];
    })
    .sort((a, b) => a.date.localeCompare(b.date));
}

/**
 * The gateway-wide aggregates of `sessions.usage` from groups by agent, channel, model and day bucket (`dayOf`
 * labels a group's bucket), plus the per-session groups for session counts and durations.
 */
export function sessionsUsageAggregates(
  groups: readonly UsageGroup[],
  perSession: readonly UsageGroup[],
  dayOf: (group: UsageGroup) => string,
): SessionsUsageAggregates {
  const turns = sum(perSession, "turns");
  const toolCalls = sum(perSession, "toolCalls");
  const errors = sum(perSession, "errors");
  let longest = 0;
  for (const session of perSession) longest = Math.max(longest, session.lastTs - session.firstTs);
  const byDay = [...totalsBy(groups, dayOf)].sort(([a], [b]) => a.localeCompare(b));
  const dayGroups = groupsBy(groups, dayOf);
  const latency = latencyOf(groups);
  return {
    sessionCount: perSession.length,
    ...(longest > 0 ? { longestSessionDurationMs: longest } : {}),
    messages: messageCountsOf(turns, toolCalls, errors),
    tools: { totalCalls: toolCalls, uniqueTools: 0, tools: [] },
    byModel: modelUsageOf(groups),
    byProvider: modelUsageOf(groups, true),
    byAgent: [...totalsBy(groups, (group) => group.agentId ?? "unknown")]
      .map(([agentId, totals]) => ({ agentId, totals }))
      .sort(byCostThenTokens),
    byChannel: [...totalsBy(groups, (group) => group.channel ?? null)]
      .filter((entry): entry is [string, (typeof entry)[1]] => entry[0] !== null)
      .map(([channel, totals]) => ({ channel, totals }))
      .sort(byCostThenTokens),
    costDaily: byDay.map(([date, totals]) => ({ date, ...totals })),
    ...(latency ? { latency } : {}),
    dailyLatency: dailyLatencyOf(groups, dayOf),
    modelDaily: dailyModelUsageOf(groups, dayOf),
    daily: byDay.map(([date, totals]) => {
      const members = dayGroups.get(date) ?? [];
      return {
        date,
        tokens: totals.totalTokens,
        cost: totals.totalCost,
        messages: 2 * sum(members, "turns"),
        toolCalls: sum(members, "toolCalls"),
        errors: sum(members, "errors"),
      };
    }),
  };
}
