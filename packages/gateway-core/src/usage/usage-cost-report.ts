import type { UsageCostResult } from "@openclaw/protocol";
import type { UsageLedger } from "@openclaw/sessions";
import { queryByDay } from "./usage-day-query.js";
import type { UsageRange } from "./usage-range.js";
import { addTotals, emptyTotals, totalsBy } from "./usage-totals.js";

/** What a gateway whose store keeps no usage ledger says instead of totals. */
export const NO_LEDGER_NOTE =
  "this gateway's storage keeps no usage ledger (an older or third-party store): no usage is recorded, so every total is 0; use storage.driver sqlite or postgres to record usage";

/**
 * `usage.cost` from the ledger: grouped queries (by model and day), summed per day and overall. Days without
 * usage are left out, as OpenClaw does.
 */
export async function usageCostReport(
  ledger: UsageLedger | undefined,
  range: UsageRange,
  agentId: string | undefined,
  now: number,
): Promise<UsageCostResult> {
  const result: UsageCostResult = { updatedAt: now, days: range.days, daily: [], totals: emptyTotals() };
  if (!ledger) return { ...result, note: NO_LEDGER_NOTE };
  const groups = await queryByDay(ledger, range, {
    ...(agentId === undefined ? {} : { agentId }),
    groupBy: ["model"],
  });
  const byDay = totalsBy(groups, (group) => group.date);
  for (const [date, totals] of [...byDay].sort(([a], [b]) => a.localeCompare(b))) {
    result.daily.push({ date, ...totals });
    addTotals(result.totals, totals);
  }
  return result;
}
