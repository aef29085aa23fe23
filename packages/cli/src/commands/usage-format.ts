import type { CostUsageTotals } from "@openclaw/protocol";
import { formatTable } from "../output.js";

export const NO_PRICE = "n/a (no price)";

/** Dollars with enough digits for a few tokens' worth ($0.000125) without noise on large sums. */
export function formatDollars(value: number): string {
  if (value === 0) return "$0.00";
  if (value >= 1) return `$${value.toFixed(2)}`;
  return `$${value.toPrecision(3).replace(/0+$/, "").replace(/\.$/, "")}`;
}

/**
 * A cost cell: the dollars of the priced turns, "n/a (no price)" when no turn had a price, and both when only some
 * had (the sum then leaves the unpriced ones out).
 */
export function formatCost(totals: CostUsageTotals): string {
  const priced = totals.totalCost > 0 || totals.missingCostEntries === 0;
  if (!priced) return NO_PRICE;
  if (totals.missingCostEntries === 0) return formatDollars(totals.totalCost);
  return `${formatDollars(totals.totalCost)} + ${NO_PRICE} x${totals.missingCostEntries}`;
}

function count(value: number): string {
  return value.toLocaleString("en-US");
}

/** One table: a row per key with its tokens and cost, then the total. */
export function usageTable(
  label: string,
  rows: ReadonlyArray<{ key: string; totals: CostUsageTotals; turns?: number }>,
  total: CostUsageTotals,
): string {
  const withTurns = rows.some((row) => row.turns !== undefined);
  const headers = [
    label,
    ...(withTurns ? ["TURNS"] : []),
    "INPUT",
    "OUTPUT",
    "CACHE READ",
    "CACHE WRITE",
    "TOKENS",
    "COST",
  ];
  const line = (key: string, totals: CostUsageTotals, turns?: number) => [
    key,
    ...(withTurns ? [turns === undefined ? "" : count(turns)] : []),
    count(totals.input),
    count(totals.output),
    count(totals.cacheRead),
    count(totals.cacheWrite),
    count(totals.totalTokens),
    formatCost(totals),
  ];
  const totalTurns = withTurns ? rows.reduce((sum, row) => sum + (row.turns ?? 0), 0) : undefined;
  return formatTable(headers, [
    ...rows.map((row) => line(row.key, row.totals, row.turns)),
    line("TOTAL", total, totalTurns),
  ]);
}

/** "no price for fake/cheap (2 turns): set models.providers.<id>.models[].cost" when some turns had none. */
export function unpricedNote(totals: CostUsageTotals): string | undefined {
  const models = Object.entries(totals.missingCostByModel ?? {})
    .filter(([, turns]) => turns > 0)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  if (models.length === 0) return undefined;
  const list = models.map(([model, turns]) => `${model} (${turns} turn${turns === 1 ? "" : "s"})`).join(", ");
  return `no price configured for ${list}: their tokens count, their cost does not; set models.providers.<provider>.models[].cost (USD per million tokens) to price them`;
}
