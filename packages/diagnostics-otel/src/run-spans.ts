import type { DiagnosticEvent, RunAcceptedEvent } from "@openclaw/gateway-core";
import {
  type Attributes,
  type Context,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from "@opentelemetry/api";
import type { PresetIdGenerator } from "./preset-id-generator.js";

type EventOf<T extends DiagnosticEvent["type"]> = Extract<DiagnosticEvent, { type: T }>;

/** Open runs kept at once; past it the oldest run's root span is ended early (`openclaw.outcome` "evicted"). */
export const MAX_OPEN_RUNS = 1024;
/** A run with no `run.end` for this long is ended as evicted (a lost event must not pin memory). */
export const MAX_RUN_AGE_MS = 30 * 60_000;
/** After `run.end`, spans of the run's delivery still join its trace for this long. */
const ENDED_RUN_GRACE_MS = 2 * 60_000;

interface RunSpans {
  root: Span;
  context: Context;
  acceptedAt: number;
  endedAt: number | undefined;
}

export interface RunSpanOptions {
  tracer: Tracer;
  ids: PresetIdGenerator;
  now?: () => number;
  /** `OTEL_SEMCONV_STABILITY_OPT_IN=gen_ai_latest_experimental`: the latest GenAI span names and attributes. */
  latestGenAi?: boolean;
  maxOpenRuns?: number;
  maxRunAgeMs?: number;
}

/**
 * Turns a run's diagnostic events into one trace: `openclaw.run` (root, continuing the caller's W3C trace) with
 * `openclaw.queue.wait`, one `openclaw.model.call` per provider request, one `openclaw.tool.execution` per tool and
 * `openclaw.message.delivery` below it. Spans are drawn from the events' own timestamps, so they are exact however
 * late an event arrives. No prompt, answer, tool argument or session key is put on a span.
 */
export class RunSpanBuilder {
  readonly #runs = new Map<string, RunSpans>();
  readonly #o: RunSpanOptions;
  readonly #now: () => number;

  constructor(options: RunSpanOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
  }

  get openRuns(): number {
    return this.#runs.size;
  }

  handle(event: DiagnosticEvent): void {
    switch (event.type) {
      case "run.accepted":
        this.#accepted(event);
        return;
      case "run.start": {
        // From acceptance to the start: the wait behind the session's lane and the concurrency limit.
        const { acceptedAt } = this.#run(event.runId, event.queuedAt);
        this.#child(event.runId, acceptedAt, "openclaw.queue.wait", event.startedAt, {
          "openclaw.queue.wait_ms": Math.max(0, event.startedAt - acceptedAt),
        });
        return;
      }
      case "run.first_token":
        this.#run(event.runId, event.at).root.addEvent("openclaw.first_token", event.at);
        return;
      case "model.call":
        this.#modelCall(event);
        return;
      case "tool.call":
        this.#toolCall(event);
        return;
      case "run.end":
        this.#ended(event);
        return;
      case "message.delivered":
        if (event.runId !== undefined) this.#delivered(event, event.runId);
        return;
      default:
        return;
    }
  }

  /** Ends every open root span (at shutdown), so nothing started is lost. */
  endAll(): void {
    for (const [runId, run] of this.#runs) this.#evict(runId, run, "shutdown");
  }

  #accepted(event: RunAcceptedEvent): void {
    this.#sweep();
    const { trace: context } = event;
    const { receivedAt } = event;
    const startTime = receivedAt !== undefined && receivedAt <= event.at ? receivedAt : event.at;
    // The caller's span (traceparent) is the remote parent; without one the preset trace id starts a new trace.
    const parent = context.parentSpanId
      ? trace.setSpanContext(ROOT_CONTEXT, {
          traceId: context.traceId,
          spanId: context.parentSpanId,
          traceFlags: context.sampled ? 1 : 0,
          isRemote: true,
        })
      : ROOT_CONTEXT;
    const attributes: Attributes = {
      "openclaw.run_id": event.runId,
      "openclaw.channel": event.channel,
      "openclaw.trigger": event.trigger,
      "openclaw.agent": event.agentId,
    };
    const root = this.#o.ids.withIds({ traceId: context.traceId, spanId: context.spanId }, () =>
      this.#o.tracer.startSpan("openclaw.run", { startTime, attributes, kind: SpanKind.SERVER }, parent),
    );
    const run = {
      root,
      context: trace.setSpan(ROOT_CONTEXT, root),
      acceptedAt: event.at,
      endedAt: undefined,
    };
    this.#runs.set(event.runId, run);
    if (startTime < event.at) {
      this.#o.tracer
        .startSpan(
          "openclaw.message.processed",
          { startTime, attributes: { "openclaw.channel": event.channel } },
          run.context,
        )
        .end(event.at);
    }
  }

  #modelCall(event: EventOf<"model.call">): void {
    const latest = this.#o.latestGenAi === true;
    const attributes: Attributes = {
      [latest ? "gen_ai.provider.name" : "gen_ai.system"]: event.provider,
      "gen_ai.operation.name": "chat",
      "gen_ai.request.model": event.model,
      "gen_ai.usage.input_tokens": event.usage.input,
      "gen_ai.usage.output_tokens": event.usage.output,
      "openclaw.provider": event.provider,
      "openclaw.model": event.model,
      "openclaw.model_call.observation_unit": "request",
      "openclaw.tokens.input": event.usage.input,
      "openclaw.tokens.output": event.usage.output,
      "openclaw.tokens.cache_read": event.usage.cacheRead,
      "openclaw.tokens.cache_write": event.usage.cacheWrite,
    };
    if (event.api) attributes["openclaw.api"] = event.api;
    if (event.finishReason) attributes["gen_ai.response.finish_reasons"] = [event.finishReason];
    const span = this.#start(
      event.runId,
      latest ? `chat ${event.model}` : "openclaw.model.call",
      event.startedAt,
      attributes,
      SpanKind.CLIENT,
    );
    failed(span, event.outcome, event.errorCategory);
    span.end(event.endedAt);
  }

  #toolCall(event: EventOf<"tool.call">): void {
    const span = this.#start(
      event.runId,
      this.#o.latestGenAi ? `execute_tool ${event.tool}` : "openclaw.tool.execution",
      event.startedAt,
      {
        "gen_ai.operation.name": "execute_tool",
        "gen_ai.tool.name": event.tool,
        "gen_ai.tool.call.id": event.toolCallId,
        "openclaw.toolName": event.tool,
      },
    );
    failed(span, event.outcome, event.errorCategory);
    span.end(event.endedAt);
  }

  #ended(event: EventOf<"run.end">): void {
    const run = this.#run(event.runId, event.endedAt);
    if (run.endedAt !== undefined) return;
    run.endedAt = event.endedAt;
    run.root.setAttribute("openclaw.outcome", event.status);
    if (event.provider) run.root.setAttribute("openclaw.provider", event.provider);
    if (event.model) run.root.setAttribute("openclaw.model", event.model);
    failed(run.root, event.status);
    run.root.end(event.endedAt);
  }

  #delivered(event: EventOf<"message.delivered">, runId: string): void {
    const span = this.#start(runId, "openclaw.message.delivery", event.startedAt, {
      "openclaw.channel": event.channel,
      "openclaw.outcome": event.outcome,
    });
    failed(span, event.outcome, event.errorCategory);
    span.end(event.endedAt);
  }

  #child(runId: string, startTime: number, name: string, endTime: number, attributes: Attributes): void {
    this.#start(runId, name, startTime, attributes).end(endTime);
  }

  #start(
    runId: string,
    name: string,
    startTime: number,
    attributes: Attributes,
    kind = SpanKind.INTERNAL,
  ): Span {
    const run = this.#run(runId, startTime);
    return this.#o.tracer.startSpan(name, { startTime, attributes, kind }, run.context);
  }

  /** The run's spans; a run whose `run.accepted` was not seen gets a root of its own from its first event. */
  #run(runId: string, at: number): RunSpans {
    const known = this.#runs.get(runId);
    if (known) return known;
    this.#sweep();
    const root = this.#o.tracer.startSpan(
      "openclaw.run",
      { startTime: at, attributes: { "openclaw.run_id": runId }, kind: SpanKind.SERVER },
      ROOT_CONTEXT,
    );
    const run = { root, context: trace.setSpan(ROOT_CONTEXT, root), acceptedAt: at, endedAt: undefined };
    this.#runs.set(runId, run);
    return run;
  }

  /** Forgets ended runs past their grace, ends runs past the age limit, and keeps the map under its cap. */
  #sweep(): void {
    const now = this.#now();
    const maxAge = this.#o.maxRunAgeMs ?? MAX_RUN_AGE_MS;
    for (const [runId, run] of this.#runs) {
      if (run.endedAt !== undefined && run.endedAt < now - ENDED_RUN_GRACE_MS) this.#runs.delete(runId);
      else if (run.endedAt === undefined && run.acceptedAt < now - maxAge) this.#evict(runId, run, "evicted");
    }
    const max = this.#o.maxOpenRuns ?? MAX_OPEN_RUNS;
    for (const [runId, run] of this.#runs) {
      if (this.#runs.size < max) break;
      this.#evict(runId, run, "evicted");
    }
  }

  #evict(runId: string, run: RunSpans, outcome: string): void {
    this.#runs.delete(runId);
    if (run.endedAt !== undefined) return;
    run.root.setAttribute("openclaw.outcome", outcome);
    run.root.end(this.#now());
  }
}

function failed(span: Span, outcome: string, errorCategory?: string): void {
  if (outcome === "ok") return;
  if (errorCategory) {
    span.setAttribute("openclaw.errorCategory", errorCategory);
    span.setAttribute("error.type", errorCategory);
  }
  span.setAttribute("openclaw.outcome", outcome);
  if (outcome === "error")
    span.setStatus({ code: SpanStatusCode.ERROR, ...(errorCategory ? { message: errorCategory } : {}) });
}
