import { type IdGenerator, RandomIdGenerator } from "@opentelemetry/sdk-trace";

/**
 * Random ids, except for the one span started inside `withIds`: the gateway chose a run's trace id and root span id
 * before the run (they are already in log lines and in the HTTP `traceparent` answer), so the exported root span
 * must carry exactly those.
 */
export class PresetIdGenerator implements IdGenerator {
  readonly #random = new RandomIdGenerator();
  #traceId: string | undefined;
  #spanId: string | undefined;

  withIds<T>(ids: { traceId?: string | undefined; spanId?: string | undefined }, start: () => T): T {
    this.#traceId = ids.traceId;
    this.#spanId = ids.spanId;
    try {
      return start();
    } finally {
      this.#traceId = undefined;
      this.#spanId = undefined;
    }
  }

  generateTraceId(): string {
    const preset = this.#traceId;
    this.#traceId = undefined;
    return preset ?? this.#random.generateTraceId();
  }

  generateSpanId(): string {
    const preset = this.#spanId;
    this.#spanId = undefined;
    return preset ?? this.#random.generateSpanId();
  }
}
