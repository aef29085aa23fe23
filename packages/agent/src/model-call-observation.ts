import type { LanguageModelUsage } from "ai";
import type { ModelCallObservation, ObservedTokens, ToolCallObservation } from "./observation.js";
import type { ModelCandidate, ResolvedProvider } from "./provider-catalog.js";
import type { RunDependencies } from "./run-dependencies.js";

/** The run an observation belongs to (a model attempt's hooks carry these). */
interface RunIds {
  runId: string;
  sessionKey: string;
  agentId: string;
}

const NO_TOKENS: ObservedTokens = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };

/**
 * A step's usage as the ledger counts it: `input` is the uncached part only, so that input + cacheRead + cacheWrite
 * is what the provider read and each kind can be priced on its own.
 */
export function observedTokens(usage: LanguageModelUsage | undefined): ObservedTokens {
  if (!usage) return NO_TOKENS;
  const cacheRead = usage.inputTokenDetails?.cacheReadTokens ?? 0;
  const cacheWrite = usage.inputTokenDetails?.cacheWriteTokens ?? 0;
  const input =
    usage.inputTokenDetails?.noCacheTokens ?? Math.max(0, (usage.inputTokens ?? 0) - cacheRead - cacheWrite);
  return { input, output: usage.outputTokens ?? 0, cacheRead, cacheWrite };
}

/** A bounded failure category for metrics labels (never the provider's message). */
export function modelErrorCategory(error: unknown): string {
  const record = typeof error === "object" && error !== null ? (error as Record<string, unknown>) : {};
  const status = typeof record.statusCode === "number" ? record.statusCode : undefined;
  if (status === 401 || status === 403) return "auth";
  if (status === 429) return "rate_limit";
  if (status === 408 || record.name === "TimeoutError") return "timeout";
  if (status !== undefined && status >= 500) return "provider";
  if (status === undefined && record.isRetryable === true) return "network";
  return "other";
}

/**
 * Times each provider request of one attempt (one SDK step: `start-step` .. `finish-step`) and reports it. Made
 * only when an observer is set.
 */
export class ModelCallObserver {
  private stepStartedAt: number | undefined;
  /** When the step's last tool call streamed: the tools' run time after it is not the provider's. */
  private lastModelPartAt: number | undefined;

  constructor(
    private readonly observe: NonNullable<RunDependencies["observe"]>,
    private readonly now: () => number,
    private readonly candidate: ModelCandidate,
    private readonly provider: ResolvedProvider,
    private readonly hooks: RunIds,
  ) {
    // A failure before the first `start-step` (the model could not be made, the request failed) is a call too.
    this.stepStartedAt = now();
  }

  stepStarted(): void {
    this.stepStartedAt = this.now();
    this.lastModelPartAt = undefined;
  }

  /** The provider streamed a tool call (the SDK starts executing it before the step ends). */
  toolCallStreamed(): void {
    this.lastModelPartAt = this.now();
  }

  /** `failure` is an `error` part seen during the step (the SDK may still finish it). */
  stepFinished(usage: LanguageModelUsage, finishReason: string | undefined, failure: unknown): void {
    const failed = failure !== undefined;
    this.report(
      failed ? "error" : "ok",
      observedTokens(usage),
      finishReason,
      failed ? modelErrorCategory(failure) : undefined,
    );
    // The SDK sends the tool results in a next request without a `start-step` when that request fails at once.
    if (finishReason === "tool-calls" && !failed) this.stepStartedAt = this.now();
  }

  /** The step in flight, if any, ended without `finish-step`. */
  stepFailed(outcome: "error" | "aborted", error?: unknown): void {
    if (this.stepStartedAt === undefined) return;
    this.report(outcome, NO_TOKENS, undefined, outcome === "error" ? modelErrorCategory(error) : undefined);
  }

  private report(
    outcome: ModelCallObservation["outcome"],
    usage: ObservedTokens,
    finishReason: string | undefined,
    errorCategory: string | undefined,
  ): void {
    const startedAt = this.stepStartedAt ?? this.now();
    const endedAt = this.lastModelPartAt ?? this.now();
    this.stepStartedAt = undefined;
    this.lastModelPartAt = undefined;
    const observation: ModelCallObservation = {
      type: "model.call",
      runId: this.hooks.runId,
      sessionKey: this.hooks.sessionKey,
      agentId: this.hooks.agentId,
      provider: this.provider.id,
      model: this.candidate.model,
      startedAt,
      endedAt: Math.max(startedAt, endedAt),
      outcome,
      usage,
    };
    if (this.provider.api !== undefined) observation.api = this.provider.api;
    if (finishReason !== undefined) observation.finishReason = finishReason;
    if (errorCategory !== undefined) observation.errorCategory = errorCategory;
    this.observe(observation);
  }
}

/** Runs one tool execution and reports it as a `tool.call` observation. */
export async function observeToolCall(
  observe: NonNullable<RunDependencies["observe"]>,
  now: () => number,
  hooks: RunIds,
  tool: string,
  toolCallId: string,
  signal: AbortSignal,
  execute: () => Promise<unknown>,
): Promise<unknown> {
  const startedAt = now();
  let outcome: ToolCallObservation["outcome"] = "ok";
  try {
    return await execute();
  } catch (error) {
    outcome = signal.aborted ? "aborted" : "error";
    throw error;
  } finally {
    const observation: ToolCallObservation = {
      type: "tool.call",
      runId: hooks.runId,
      sessionKey: hooks.sessionKey,
      agentId: hooks.agentId,
      tool,
      toolCallId,
      startedAt,
      endedAt: now(),
      outcome,
    };
    if (outcome === "error") observation.errorCategory = "tool_error";
    observe(observation);
  }
}
