/**
 * What the agent runtime reports to an observer (metrics, traces, the usage ledger). Observations are for the
 * operator's telemetry and are never sent to clients; they carry no prompt, answer or tool argument text.
 */

/** Tokens of one provider request, as the provider reported them (0 when it did not). */
export interface ObservedTokens {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

interface RunScoped {
  runId: string;
  sessionKey: string;
  agentId: string;
}

/** One request to a model provider (one step of the tool loop). Times are epoch milliseconds. */
export interface ModelCallObservation extends RunScoped {
  type: "model.call";
  /** The provider id of the config (`models.providers.<id>`), e.g. "openai". */
  provider: string;
  /** The model id without the provider, e.g. "gpt-4o-mini". */
  model: string;
  /** The provider's wire API, e.g. "openai-completions". */
  api?: string;
  startedAt: number;
  endedAt: number;
  outcome: "ok" | "error" | "aborted";
  /** A bounded category for failures: "timeout", "rate_limit", "auth", "provider", "network", "other". */
  errorCategory?: string;
  /** The provider's finish reason ("stop", "tool-calls", "length", ...). */
  finishReason?: string;
  usage: ObservedTokens;
}

/** One execution of a tool. */
export interface ToolCallObservation extends RunScoped {
  type: "tool.call";
  tool: string;
  toolCallId: string;
  startedAt: number;
  endedAt: number;
  outcome: "ok" | "error" | "aborted";
  errorCategory?: string;
}

/** A run left its queue and started: how long it waited behind its session lane and the concurrency limit. */
export interface RunStartObservation extends RunScoped {
  type: "run.start";
  queuedAt: number;
  startedAt: number;
}

/** The first visible text of a run streamed. */
export interface RunFirstTokenObservation extends RunScoped {
  type: "run.first_token";
  at: number;
}

/** A run ended, with the model that answered last (when one did) and the run's token totals. */
export interface RunEndObservation extends RunScoped {
  type: "run.end";
  endedAt: number;
  status: "ok" | "aborted" | "error";
  provider?: string;
  model?: string;
}

export type AgentObservation =
  | ModelCallObservation
  | ToolCallObservation
  | RunStartObservation
  | RunFirstTokenObservation
  | RunEndObservation;

/** Receives observations synchronously; it must not throw or block (queue anything slow). */
export type AgentObserver = (observation: AgentObservation) => void;
