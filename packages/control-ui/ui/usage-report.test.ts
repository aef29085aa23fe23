import type { CostUsageTotals, SessionsUsageResult } from "@openclaw/protocol";
import { describe, expect, it } from "vitest";
import { formatCost, formatDay, formatTokens, formatTokensShort } from "./usage-format.js";
import { buildUsageView, costText, missingPriceSentence, TOP_SESSIONS } from "./usage-report.js";

function totals(input: number, output: number, cost: number, missing = 0, cacheRead = 0): CostUsageTotals {
  return {
    input,
    output,
    cacheRead,
    cacheWrite: 0,
    totalTokens: input + output + cacheRead,
    totalCost: cost,
    inputCost: 0,
    outputCost: 0,
    cacheReadCost: 0,
    cacheWriteCost: 0,
    missingCostEntries: missing,
  };
}

function report(overrides: Partial<SessionsUsageResult> = {}): SessionsUsageResult {
  const priced = totals(2_000, 1_000, 0.021);
  const unpriced = totals(300, 200, 0, 2, 100);
  const all = totals(2_300, 1_200, 0.021, 2, 100);
  return {
    updatedAt: 1,
    startDate: "2026-12-05",
    endDate: "2026-12-07",
    totals: all,
    sessions: [
      {
        key: "agent:main:main",
        scope: "instance",
        updatedAt: 1,
        agentId: "main",
        modelProvider: "fake",
        model: "fast",
        usage: { ...priced },
        hasContextWeight: false,
      },
      {
        key: "agent:ops:telegram:direct:42",
        label: "Ops chat",
        scope: "instance",
        updatedAt: 2,
        agentId: "ops",
        channel: "telegram",
        modelProvider: "local",
        model: "llama",
        usage: { ...unpriced },
        hasContextWeight: false,
      },
      { key: "agent:main:idle", scope: "instance", updatedAt: 3, usage: null, hasContextWeight: false },
    ],
    aggregates: {
      sessionCount: 2,
      messages: { total: 8, user: 4, assistant: 4, toolCalls: 0, toolResults: 0, errors: 0 },
      tools: { totalCalls: 0, uniqueTools: 0, tools: [] },
      byModel: [
        { provider: "local", model: "llama", count: 2, totals: unpriced },
        { provider: "fake", model: "fast", count: 2, totals: priced },
      ],
      byProvider: [],
      byAgent: [
        { agentId: "ops", totals: unpriced },
        { agentId: "main", totals: priced },
      ],
      byChannel: [{ channel: "telegram", totals: unpriced }],
      costDaily: [{ date: "2026-12-07", ...all }],
      dailyLatency: [],
      modelDaily: [],
      daily: [
        { date: "2026-12-05", tokens: 600, cost: 0, messages: 2, toolCalls: 0, errors: 0 },
        { date: "2026-12-07", tokens: 3_000, cost: 0.021, messages: 6, toolCalls: 0, errors: 0 },
      ],
    },
    creatorOptions: [],
    ...overrides,
  };
}

const RANGE = { startDate: "2026-12-05", endDate: "2026-12-07", days: 3 };

describe("usage formatting", () => {
  it("writes tokens with separators and costs in dollars, keeping fractions of a cent visible", () => {
    expect(formatTokens(1_234_567)).toBe("1,234,567");
    expect(formatTokensShort(12_345)).toBe("12.3K");
    expect(formatCost(0)).toBe("$0.00");
    expect(formatCost(0.021)).toBe("$0.0210");
    expect(formatCost(0.00004)).toBe("$0.0000");
    expect(formatCost(12.345)).toBe("$12.35");
    expect(formatDay("2026-12-07")).toBe("Dec 7");
  });

  it("never shows an unpriced cost as if it were free", () => {
    expect(costText({ totalCost: 0, missingCostEntries: 0 })).toBe("$0.00");
    expect(costText({ totalCost: 0, missingCostEntries: 3 })).toBe("no price");
    expect(costText({ totalCost: 1.5, missingCostEntries: 1 })).toBe("$1.50 + unpriced");
  });
});

describe("buildUsageView", () => {
  it("shows the totals as cards", () => {
    const view = buildUsageView(report(), RANGE);
    expect(view.empty).toBe(false);
    expect(view.cards.map((card) => [card.id, card.value])).toEqual([
      ["input", "2,300"],
      ["output", "1,200"],
      ["cache-read", "100"],
      ["cache-write", "0"],
      ["total", "3,600"],
      ["cost", "$0.0210 + unpriced"],
    ]);
    expect(view.sessionCount).toBe(2);
  });

  it("names the config key that prices each unpriced model", () => {
    expect(buildUsageView(report(), RANGE).missingPrices).toEqual([
      "2 answers of local/llama have no price: set models.providers.local.models[].cost (US$ per million tokens) " +
        "to estimate its cost.",
    ]);
    expect(missingPriceSentence(undefined, undefined, 1)).toBe(
      "1 answer of (unknown model) has no price: set models.providers.<id>.models[].cost (US$ per million tokens) " +
        "to estimate its cost.",
    );
  });

  it("counts unpriced answers the per-model rows do not explain", () => {
    const base = report();
    const view = buildUsageView({ ...base, totals: { ...base.totals, missingCostEntries: 3 } }, RANGE);
    expect(view.missingPrices).toHaveLength(2);
    expect(view.missingPrices[1]).toMatch(/^1 answer of \(unknown model\) has no price/);
  });

  it("orders the breakdowns by cost, then tokens, with the model's answers", () => {
    const view = buildUsageView(report(), RANGE);
    expect(view.byModel).toEqual([
      {
        name: "fake/fast",
        answers: "2",
        input: "2,000",
        output: "1,000",
        cache: "0",
        total: "3,000",
        cost: "$0.0210",
      },
      {
        name: "local/llama",
        answers: "2",
        input: "300",
        output: "200",
        cache: "100",
        total: "600",
        cost: "no price",
      },
    ]);
    expect(view.byAgent.map((row) => [row.name, row.cost])).toEqual([
      ["main", "$0.0210"],
      ["ops", "no price"],
    ]);
    expect(view.byChannel.map((row) => row.name)).toEqual(["telegram"]);
  });

  it("draws a bar for every day of the range, zero on days without usage", () => {
    const view = buildUsageView(report(), RANGE);
    expect(view.days.map((day) => [day.date, day.tokens])).toEqual([
      ["2026-12-05", 600],
      ["2026-12-06", 0],
      ["2026-12-07", 3_000],
    ]);
    expect(view.days[2]?.description).toBe("Dec 7: 3,000 tokens, $0.0210 + unpriced");
    expect(view.days[1]?.description).toBe("Dec 6: 0 tokens");
  });

  it("lists the top sessions by cost, skipping sessions without usage", () => {
    const view = buildUsageView(report(), RANGE);
    expect(view.topSessions).toEqual([
      {
        key: "agent:main:main",
        name: "agent:main:main",
        agent: "main",
        model: "fake/fast",
        total: "3,000",
        cost: "$0.0210",
      },
      {
        key: "agent:ops:telegram:direct:42",
        name: "Ops chat",
        agent: "ops",
        model: "local/llama",
        total: "600",
        cost: "no price",
      },
    ]);
    const many = report({
      sessions: Array.from({ length: TOP_SESSIONS + 5 }, (_, index) => ({
        key: `agent:main:s${index}`,
        scope: "instance" as const,
        updatedAt: index,
        usage: { ...totals(index + 1, 0, 0) },
        hasContextWeight: false,
      })),
    });
    const top = buildUsageView(many, RANGE).topSessions;
    expect(top).toHaveLength(TOP_SESSIONS);
    expect(top[0]?.key).toBe(`agent:main:s${TOP_SESSIONS + 4}`);
  });

  it("is empty when nothing was used, and passes the gateway's note on", () => {
    const base = report();
    const view = buildUsageView(
      {
        ...base,
        totals: totals(0, 0, 0),
        sessions: [],
        aggregates: {
          ...base.aggregates,
          sessionCount: 0,
          byModel: [],
          byAgent: [],
          byChannel: [],
          daily: [],
        },
        note: "this store keeps no usage ledger",
      },
      RANGE,
    );
    expect(view.empty).toBe(true);
    expect(view.missingPrices).toEqual([]);
    expect(view.days.every((day) => day.tokens === 0)).toBe(true);
    expect(view.note).toBe("this store keeps no usage ledger");
  });
});
