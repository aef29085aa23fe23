import type { ModelCandidate } from "./provider-catalog.js";
import type { RunDependencies } from "./run-dependencies.js";

/**
 * The run-level observations of one run (`run.start`, `run.first_token`, `run.end`); every call is a no-op when
 * nothing observes the runtime.
 */
export class RunObservation {
  /** The candidate last asked: the provider and model `run.end` names. */
  asked: ModelCandidate | undefined;
  readonly #deps: RunDependencies;
  readonly #ids: { runId: string; sessionKey: string; agentId: string };
  #sawText = false;

  constructor(deps: RunDependencies, ids: { runId: string; sessionKey: string; agentId: string }) {
    this.#deps = deps;
    this.#ids = ids;
  }

  started(): void {
    const observe = this.#deps.observe;
    if (!observe) return;
    const startedAt = this.#deps.now();
    observe({ type: "run.start", ...this.#ids, queuedAt: this.#deps.queuedAt ?? startedAt, startedAt });
  }

  /** Called with each streamed delta; reports the first. */
  text(): void {
    if (this.#sawText) return;
    this.#sawText = true;
    this.#deps.observe?.({ type: "run.first_token", ...this.#ids, at: this.#deps.now() });
  }

  ended(status: "ok" | "aborted" | "error"): void {
    const observe = this.#deps.observe;
    if (!observe) return;
    const asked = this.asked;
    observe({
      type: "run.end",
      ...this.#ids,
      endedAt: this.#deps.now(),
      status,
      ...(asked ? { provider: asked.provider, model: asked.model } : {}),
    });
  }
}
