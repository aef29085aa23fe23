import type { CostUsageTotals, SessionsUsageResult } from "@openclaw/protocol";
import { formatCost, formatDay, formatTokens } from "./usage-format.js";
import { daysBetween, type UsageDateRange } from "./usage-range.js";

/** Sessions listed under "Top sessions". */
export const TOP_SESSIONS = 10;

export interface UsageCard {
  id: "input" | "output" | "cache-read" | "cache-write" | "total" | "cost";
  label: string;
  value: string;
}

/** One row of a breakdown table (by agent, model or channel). */
export interface UsageTableRow {
  name: string;
  /** Model rows only: how many answers (turns) the model gave. */
  answers?: string;
  input: string;
  output: string;
  /** Cache reads and writes together. */
  cache: string;
  total: string;
  cost: string;
}

export interface UsageSessionRow {
  key: string;
  name: string;
  agent: string;
  model: string;
  total: string;
  cost: string;
}

export interface UsageDayBar {
  date: string;
  /** `Dec 7`. */
  label: string;
  tokens: number;
  /** `Dec 7: 1,500 tokens, $0.0105`, the bar's tooltip and accessible name. */
  description: string;
}

export interface UsageView {
  /** Nothing was used in the range: the screen explains how usage gets here instead of showing zeros. */
  empty: boolean;
  cards: UsageCard[];
  /** One sentence per model whose answers had no configured price, naming the config key that fixes it. */
  missingPrices: string[];
  days: UsageDayBar[];
  byAgent: UsageTableRow[];
  byModel: UsageTableRow[];
  byChannel: UsageTableRow[];
  topSessions: UsageSessionRow[];
  /** Sessions with usage in the range (all of them, not only those listed). */
  sessionCount: number;
  /** The gateway's own remark (e.g. a store without a usage ledger). */
  note?: string;
}

type Totals = Pick<
  CostUsageTotals,
  "input" | "output" | "cacheRead" | "cacheWrite" | "totalTokens" | "totalCost" | "missingCostEntries"
>;

/**
 * A cost that counts only priced answers must say so: `no price` when none was priced, `$x + unpriced` when some
 * were not. A recorded zero-dollar price is a real price and shows as `$0.00`.
 */
export function costText(totals: Pick<Totals, "totalCost" | "missingCostEntries">): string {
  if (totals.missingCostEntries === 0) return formatCost(totals.totalCost);
  if (totals.totalCost === 0) return "no price";
  return `${formatCost(totals.totalCost)} + unpriced`;
}

function tableRow(name: string, totals: Totals, answers?: number): UsageTableRow {
  return {
    name,
    ...(answers === undefined ? {} : { answers: formatTokens(answers) }),
    input: formatTokens(totals.input),
    output: formatTokens(totals.output),
    cache: formatTokens(totals.cacheRead + totals.cacheWrite),
    total: formatTokens(totals.totalTokens),
    cost: costText(totals),
  };
}

/** Most expensive first; among equals the most tokens, then by name, so the order never flickers between loads. */
function byWeight<T>(totalsOf: (item: T) => Totals, nameOf: (item: T) => string) {
  return (left: T, right: T): number =>
    totalsOf(right).totalCost - totalsOf(left).totalCost ||
    totalsOf(right).totalTokens - totalsOf(left).totalTokens ||
    nameOf(left).localeCompare(nameOf(right));
}

/** `provider/model`, as OpenClaw names a model in config (`agents.defaults.model.primary`). */
export function modelName(provider: string | undefined, model: string | undefined): string {
  if (provider && model) return `${provider}/${model}`;
  return model ?? (provider ? `${provider}/(unknown model)` : "(unknown model)");
}

export function missingPriceSentence(
  provider: string | undefined,
  model: string | undefined,
  count: number,
): string {
  const answers = count === 1 ? "1 answer" : `${formatTokens(count)} answers`;
  const verb = count === 1 ? "has" : "have";
  return (
    `${answers} of ${modelName(provider, model)} ${verb} no price: set ` +
    `models.providers.${provider ?? "<id>"}.models[].cost (US$ per million tokens) to estimate its cost.`
  );
}

function missingPrices(report: SessionsUsageResult): string[] {
  const sentences = report.aggregates.byModel
    .filter((entry) => entry.totals.missingCostEntries > 0)
    .toSorted(
      byWeight(
        (entry) => entry.totals,
        (entry) => modelName(entry.provider, entry.model),
      ),
    )
    .map((entry) => missingPriceSentence(entry.provider, entry.model, entry.totals.missingCostEntries));
  const named = report.aggregates.byModel.reduce((sum, entry) => sum + entry.totals.missingCostEntries, 0);
  const unnamed = report.totals.missingCostEntries - named;
  if (unnamed > 0) sentences.push(missingPriceSentence(undefined, undefined, unnamed));
  return sentences;
}

function dayBars(report: SessionsUsageResult, range: UsageDateRange): UsageDayBar[] {
  const recorded = new Map(report.aggregates.daily.map((day) => [day.date, day]));
  const costs = new Map(report.aggregates.costDaily.map((day) => [day.date, day]));
  return daysBetween(range.startDate, range.endDate).map((date) => {
    const tokens = recorded.get(date)?.tokens ?? 0;
    const cost = costs.get(date);
    const label = formatDay(date);
    const costPart = cost === undefined ? "" : `, ${costText(cost)}`;
    return { date, label, tokens, description: `${label}: ${formatTokens(tokens)} tokens${costPart}` };
  });
}

function topSessions(report: SessionsUsageResult): UsageSessionRow[] {
  return report.sessions
    .flatMap((session) => (session.usage === null ? [] : [{ session, usage: session.usage }]))
    .filter(({ usage }) => usage.totalTokens > 0 || usage.totalCost > 0)
    .toSorted(
      byWeight(
        ({ usage }) => usage,
        ({ session }) => session.key,
      ),
    )
    .slice(0, TOP_SESSIONS)
    .map(({ session, usage }) => ({
      key: session.key,
      name: session.label ?? session.key,
      agent: session.agentId ?? "",
      model: session.model ? modelName(session.modelProvider, session.model) : "",
      total: formatTokens(usage.totalTokens),
      cost: costText(usage),
    }));
}

/** What the Usage screen shows for one `sessions.usage` answer over `range`. */
export function buildUsageView(report: SessionsUsageResult, range: UsageDateRange): UsageView {
  const { totals, aggregates } = report;
  const empty = totals.totalTokens === 0 && totals.totalCost === 0 && aggregates.byModel.length === 0;
  const cards: UsageCard[] = [
    { id: "input", label: "Input tokens", value: formatTokens(totals.input) },
    { id: "output", label: "Output tokens", value: formatTokens(totals.output) },
    { id: "cache-read", label: "Cache read", value: formatTokens(totals.cacheRead) },
    { id: "cache-write", label: "Cache write", value: formatTokens(totals.cacheWrite) },
    { id: "total", label: "Total tokens", value: formatTokens(totals.totalTokens) },
    { id: "cost", label: "Estimated cost", value: costText(totals) },
  ];
  return {
    empty,
    cards,
    missingPrices: missingPrices(report),
    days: dayBars(report, range),
    byAgent: aggregates.byAgent
      .toSorted(
        byWeight(
          (entry) => entry.totals,
          (entry) => entry.agentId,
        ),
      )
      .map((entry) => tableRow(entry.agentId, entry.totals)),
    byModel: aggregates.byModel
      .toSorted(
        byWeight(
          (entry) => entry.totals,
          (entry) => modelName(entry.provider, entry.model),
        ),
      )
      .map((entry) => tableRow(modelName(entry.provider, entry.model), entry.totals, entry.count)),
    byChannel: aggregates.byChannel
      .toSorted(
        byWeight(
          (entry) => entry.totals,
          (entry) => entry.channel,
        ),
      )
      .map((entry) => tableRow(entry.channel, entry.totals)),
    topSessions: topSessions(report),
    sessionCount: aggregates.sessionCount,
    ...(report.note ? { note: report.note } : {}),
  };
}
