import type { AgentRuntimeConfig } from "./config-schema.js";
import { modelPrice, type TokenCost, tokenCost } from "./model-pricing.js";
import type { AgentObservation, AgentObserver } from "./observation.js";

/** What a turn cost, in US dollars, in OpenClaw's transcript shape (`message.usage.cost`). */
export type TurnCost = TokenCost;

/** The usage an assistant transcript entry carries: the run's tokens, its cached tokens, and its cost when priced. */
export interface TurnUsage {
  inputTokens: number;
  outputTokens: number;
  cacheRead?: number;
  cacheWrite?: number;
  cost?: TurnCost;
}

/**
 * Tallies a run's provider requests (the `model.call` observations) and prices each at its model's
 * `models.providers.<id>.models[].cost`, so the turn's answer is written with its cost as OpenClaw writes it. The
 * gateway's usage ledger prices the same observations the same way. A turn any of whose requests went to a model
 * without a price has no cost (unknown, not 0).
 */
export class TurnCostTally {
  private cacheRead = 0;
  private cacheWrite = 0;
  private readonly cost: TurnCost = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, total: 0 };
  private priced = true;
  private calls = 0;

  constructor(private readonly config: AgentRuntimeConfig) {}

  /** An observer that tallies and then hands every observation to `next`. */
  observer(next: AgentObserver | undefined): AgentObserver {
    return (observation) => {
      this.add(observation);
      next?.(observation);
    };
  }

  /** `tokens` (the run's input/output as the entry always carried them) with the cached tokens and the cost. */
  usage(tokens: { inputTokens: number; outputTokens: number }): TurnUsage {
    const usage: TurnUsage = { ...tokens };
    if (this.cacheRead > 0) usage.cacheRead = this.cacheRead;
    if (this.cacheWrite > 0) usage.cacheWrite = this.cacheWrite;
    if (this.calls > 0 && this.priced) usage.cost = { ...this.cost };
    return usage;
  }

  private add(observation: AgentObservation): void {
    if (observation.type !== "model.call") return;
    const price = modelPrice(this.config.models, observation.provider, observation.model);
    const { input, output, cacheRead, cacheWrite } = observation.usage;
    this.calls += 1;
    this.cacheRead += cacheRead;
    this.cacheWrite += cacheWrite;
    if (!price) {
      if (input + output + cacheRead + cacheWrite > 0) this.priced = false;
      return;
    }
    const cost = tokenCost(price, observation.usage);
    this.cost.input += cost.input;
    this.cost.output += cost.output;
    this.cost.cacheRead += cost.cacheRead;
    this.cost.cacheWrite += cost.cacheWrite;
    this.cost.total += cost.total;
  }
}
