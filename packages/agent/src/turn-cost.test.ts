import { describe, expect, it } from "vitest";
import type { ModelCallObservation } from "./observation.js";
import { TurnCostTally } from "./turn-cost.js";

const config = {
  models: {
    providers: {
      openai: {
        baseUrl: "http://127.0.0.1:1",
        models: [
          { id: "priced", cost: { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 } },
          { id: "free" },
        ],
      },
    },
  },
};

function call(model: string, usage: ModelCallObservation["usage"]): ModelCallObservation {
  return {
    type: "model.call",
    runId: "r",
    sessionKey: "agent:main:main",
    agentId: "main",
    provider: "openai",
    model,
    startedAt: 0,
    endedAt: 1,
    outcome: "ok",
    usage,
  };
}

describe("TurnCostTally", () => {
  it("prices every request at its model's price and passes each observation on", () => {
    const seen: string[] = [];
    const tally = new TurnCostTally(config as never);
    const observe = tally.observer((observation) => seen.push(observation.type));
    observe(call("priced", { input: 1_000, output: 100, cacheRead: 4_000, cacheWrite: 200 }));
    observe(call("priced", { input: 10, output: 20, cacheRead: 0, cacheWrite: 0 }));
    const usage = tally.usage({ inputTokens: 5_210, outputTokens: 120 });
    expect(seen).toEqual(["model.call", "model.call"]);
    expect(usage).toMatchObject({ inputTokens: 5_210, outputTokens: 120, cacheRead: 4_000, cacheWrite: 200 });
    expect(usage.cost?.input).toBeCloseTo((1_010 * 3) / 1e6, 12);
    expect(usage.cost?.output).toBeCloseTo((120 * 15) / 1e6, 12);
    expect(usage.cost?.cacheRead).toBeCloseTo((4_000 * 0.3) / 1e6, 12);
    expect(usage.cost?.cacheWrite).toBeCloseTo((200 * 3.75) / 1e6, 12);
    expect(usage.cost?.total).toBeCloseTo((1_010 * 3 + 120 * 15 + 4_000 * 0.3 + 200 * 3.75) / 1e6, 12);
  });

  it("has no cost when a request with tokens went to a model without a price", () => {
    const tally = new TurnCostTally(config as never);
    const observe = tally.observer(undefined);
    observe(call("priced", { input: 10, output: 1, cacheRead: 0, cacheWrite: 0 }));
    observe(call("free", { input: 10, output: 1, cacheRead: 0, cacheWrite: 0 }));
    expect(tally.usage({ inputTokens: 20, outputTokens: 2 })).toEqual({ inputTokens: 20, outputTokens: 2 });
  });
});
