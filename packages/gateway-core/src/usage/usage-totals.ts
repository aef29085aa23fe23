import type { CostUsageTotals } from "@openclaw/protocol";
import type { UsageGroup } from "@openclaw/sessions";

export function emptyTotals(): CostUsageTotals {
  return {
    input: 0,
    output: 0,
    cacheRead: 0,
    cacheWrite: 0,
    totalTokens: 0,
    totalCost: 0,
    inputCost: 0,
    outputCost: 0,
    cacheReadCost: 0,
    cacheWriteCost: 0,
    missingCostEntries: 0,
  };
}

/** "provider/model", as OpenClaw names a model in `missingCostByModel`. */
export function modelRef(group: Pick<UsageGroup, "provider" | "model">): string {
  return `${group.provider ?? "unknown"}/${group.model ?? "unknown"}`;
}

/** Adds a ledger group to OpenClaw's totals; unpriced rows also count per model when the group names one. */
export function addGroup(totals: CostUsageTotals, group: UsageGroup): void {
  totals.input += group.input;
  totals.output += group.output;
  totals.cacheRead += group.cacheRead;
  totals.cacheWrite += group.cacheWrite;
  totals.totalTokens += group.input + group.output + group.cacheRead + group.cacheWrite;
  totals.totalCost += group.costTotal;
  totals.inputCost += group.costInput;
  totals.outputCost += group.costOutput;
  totals.cacheReadCost += group.costCacheRead;
  totals.cacheWriteCost += group.costCacheWrite;
  totals.missingCostEntries += group.unpriced;
  if (group.unpriced > 0 && group.model !== undefined) {
    totals.missingCostByModel ??= {};
    const ref = modelRef(group);
    totals.missingCostByModel[ref] = (totals.missingCostByModel[ref] ?? 0) + group.unpriced;
  }
}

export function addTotals(target: CostUsageTotals, source: CostUsageTotals): void {
  for (const field of [
    "input",
    "output",
    "cacheRead",
    "cacheWrite",
    "totalTokens",
    "totalCost",
    "inputCost",
    "outputCost",
    "cacheReadCost",
    "cacheWriteCost",
    "missingCostEntries",
  ] as const) {
    target[field] += source[field];
  }
  for (const [model, count] of Object.entries(source.missingCostByModel ?? {})) {
    target.missingCostByModel ??= {};
    target.missingCostByModel[model] = (target.missingCostByModel[model] ?? 0) + count;
  }
}

export function totalsOf(groups: Iterable<UsageGroup>): CostUsageTotals {
  const totals = emptyTotals();
  for (const group of groups) addGroup(totals, group);
  return totals;
}

/** Groups keyed by `keyOf`, each key's totals (insertion order). */
export function totalsBy<G extends UsageGroup, K>(
  groups: Iterable<G>,
  keyOf: (group: G) => K,
): Map<K, CostUsageTotals> {
  const byKey = new Map<K, CostUsageTotals>();
  for (const group of groups) {
    const key = keyOf(group);
    let totals = byKey.get(key);
    if (!totals) {
      totals = emptyTotals();
      byKey.set(key, totals);
    }
    addGroup(totals, group);
  }
  return byKey;
}

export interface LatencyStats {
  count: number;
  avgMs: number;
  /** An upper bound: the ledger keeps per-turn sums, not every request, so this is the slowest turn's time. */
  p95Ms: number;
  minMs: number;
  maxMs: number;
}

/** Model time per turn (the sum of its requests' durations) over the groups; undefined when none was timed. */
export function latencyOf(groups: Iterable<UsageGroup>): LatencyStats | undefined {
  let count = 0;
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = 0;
  for (const group of groups) {
    if (group.durationCount === 0) continue;
    count += group.durationCount;
    sum += group.durationSum;
    min = Math.min(min, group.durationMin);
    max = Math.max(max, group.durationMax);
  }
  if (count === 0) return undefined;
  return { count, avgMs: sum / count, p95Ms: max, minMs: min, maxMs: max };
}

/** OpenClaw's order for cost tables: dearest first, then most tokens. */
export function byCostThenTokens(a: { totals: CostUsageTotals }, b: { totals: CostUsageTotals }): number {
  return b.totals.totalCost - a.totals.totalCost || b.totals.totalTokens - a.totals.totalTokens;
}
