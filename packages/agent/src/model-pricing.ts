import type { ObservedTokens } from "./observation.js";

/** OpenClaw's `models.providers.<id>.models[].cost`: US dollars per million tokens of each kind. */
export interface ModelPrice {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

export interface TokenCost {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  total: number;
}

interface PricedModels {
  providers?: Record<string, { models?: ReadonlyArray<{ id: string; cost?: Partial<ModelPrice> }> }>;
}

function price(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : 0;
}

/** The configured price of `provider`/`model`; undefined when the config prices it not (cost unknown, not 0). */
export function modelPrice(
  models: PricedModels | undefined,
  provider: string,
  model: string,
): ModelPrice | undefined {
  const entry = models?.providers?.[provider]?.models?.find((candidate) => candidate.id === model);
  if (!entry?.cost) return undefined;
  return {
    input: price(entry.cost.input),
    output: price(entry.cost.output),
    cacheRead: price(entry.cost.cacheRead),
    cacheWrite: price(entry.cost.cacheWrite),
  };
}

/** What `tokens` cost at `modelPrice` (per million), in US dollars. */
export function tokenCost(modelPrice: ModelPrice, tokens: ObservedTokens): TokenCost {
  const input = (tokens.input * modelPrice.input) / 1e6;
  const output = (tokens.output * modelPrice.output) / 1e6;
  const cacheRead = (tokens.cacheRead * modelPrice.cacheRead) / 1e6;
  const cacheWrite = (tokens.cacheWrite * modelPrice.cacheWrite) / 1e6;
  return { input, output, cacheRead, cacheWrite, total: input + output + cacheRead + cacheWrite };
}
