import type { ModelMessage, Tool, ToolSet } from "ai";
import { ModelCallObserver, observeToolCall } from "./model-call-observation.js";
import type { ModelCandidate, ResolvedProvider } from "./provider-catalog.js";
import { recordedToolValue } from "./recorded-tool-result.js";
import type { RunControl, RunDependencies } from "./run-dependencies.js";
import type { ReasoningProviderOptions } from "./thinking-level.js";
import type { AgentTool, TranscriptEntry } from "./types.js";

/** Model calls per run while the model keeps calling tools, unless `maxToolSteps` says otherwise. */
export const DEFAULT_MAX_TOOL_STEPS = 20;
/** A tool result longer than this (as JSON) reaches the model cut, with a note saying so. */
export const MAX_TOOL_RESULT_CHARS = 64 * 1024;

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === "string" ? error : "unknown provider error";
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  toolCalls: number;
}

export type AttemptOutcome =
  | { kind: "ok"; stopReason: string | undefined; usage: Usage; stepLimitHit: boolean }
  | { kind: "aborted"; usage: Usage }
  | { kind: "failed"; error: unknown; streamed: boolean; usage: Usage };

export interface AttemptHooks {
  runId: string;
  sessionKey: string;
  agentId: string;
  /** The tools policy lets this run offer. */
  tools: AgentTool[];
  maxToolSteps: number;
  /** The model's reasoning options for this run's thinking level; undefined sends none. */
  providerOptions: ReasoningProviderOptions | undefined;
  onText: (delta: string) => void;
  append: (entry: Omit<TranscriptEntry, "ts" | "runId">) => Promise<void>;
}

/** The JSON a result becomes for the model, cut with a note when it is too long. */
export function toolResultText(result: unknown): string {
  const text = typeof result === "string" ? result : (JSON.stringify(result) ?? "null");
  if (text.length <= MAX_TOOL_RESULT_CHARS) return text;
  return `${text.slice(0, MAX_TOOL_RESULT_CHARS)}\n[tool result truncated: ${text.length - MAX_TOOL_RESULT_CHARS} of ${text.length} characters left out]`;
}

function modelOutputOf(agentTool: AgentTool, result: unknown): ToolResultOutput {
  const custom = agentTool.toModelOutput?.(result);
  if (custom === undefined) {
    const text = toolResultText(result);
    return typeof result !== "string" && text.length <= MAX_TOOL_RESULT_CHARS
      ? { type: "json", value: result as JSONValue }
      : { type: "text", value: text };
  }
  if (custom.type !== "content") return custom as ToolResultOutput;
  return {
    type: "content",
    value: custom.value.map((part) =>
      part.type === "text"
        ? part
        : { type: "file-data" as const, data: part.data, mediaType: part.mediaType },
    ),
  };
}

type ToolResultOutput = Exclude<Awaited<ReturnType<NonNullable<Tool["toModelOutput"]>>>, undefined>;
type JSONValue = Extract<ToolResultOutput, { type: "json" }>["value"];

type SdkSchema = ReturnType<typeof import("ai").zodSchema>;

/**
 * Each tool's parameters as the SDK's schema, made once per tool: the SDK turns a bare zod schema into JSON Schema
 * again on every model call, which cost more than everything else in a tool step together.
 */
const sdkSchemas = new WeakMap<AgentTool, SdkSchema>();

function sdkSchemaOf(agentTool: AgentTool, zodSchema: typeof import("ai").zodSchema): SdkSchema {
  let schema = sdkSchemas.get(agentTool);
  if (!schema) {
    schema = zodSchema(agentTool.parameters as Parameters<typeof zodSchema>[0]);
    sdkSchemas.set(agentTool, schema);
  }
  return schema;
}

function buildToolSet(
  offered: AgentTool[],
  hooks: AttemptHooks,
  signal: AbortSignal,
  sdk: Pick<typeof import("ai"), "tool" | "zodSchema">,
  deps: Pick<RunDependencies, "emit" | "observe" | "now">,
): ToolSet | undefined {
  if (offered.length === 0) return undefined;
  const set: ToolSet = {};
  for (const agentTool of offered) {
    set[agentTool.name] = sdk.tool({
      description: agentTool.description,
      inputSchema: sdkSchemaOf(agentTool, sdk.zodSchema),
      execute: (args: unknown, options) => {
        const toolSignal = options.abortSignal ?? signal;
        const run = () =>
          agentTool.execute(args, {
            sessionKey: hooks.sessionKey,
            runId: hooks.runId,
            agentId: hooks.agentId,
            toolCallId: options.toolCallId,
            signal: toolSignal,
            update: (partial) =>
              deps.emit("tool", {
                phase: "update",
                name: agentTool.name,
                toolCallId: options.toolCallId,
                partialResult: partial,
              }),
          });
        if (!deps.observe) return run();
        return observeToolCall(
          deps.observe,
          deps.now,
          hooks,
          agentTool.name,
          options.toolCallId,
          toolSignal,
          run,
        );
      },
      toModelOutput: ({ output }) => modelOutputOf(agentTool, output),
    });
  }
  return set;
}

/** One call to one model: streams text and tool steps, and says how it ended without throwing. */
export async function streamAttempt(
  candidate: ModelCandidate,
  provider: ResolvedProvider,
  context: { system: string | undefined; messages: ModelMessage[] },
  control: RunControl,
  deps: RunDependencies,
  hooks: AttemptHooks,
): Promise<AttemptOutcome> {
  const usage: Usage = { inputTokens: 0, outputTokens: 0, toolCalls: 0 };
  let streamed = false;
  let steps = 0;
  const calls = deps.observe
    ? new ModelCallObserver(deps.observe, deps.now, candidate, provider, hooks)
    : undefined;
  let failure: unknown;
  try {
    const [{ streamText, stepCountIs, tool, zodSchema }, languageModel] = await Promise.all([
      import("ai"),
      deps.createModel(provider, candidate.model),
    ]);
    // The SDK prints call warnings to the console unless told otherwise; ours go to the structured log
    // (from the start-step parts below). A host that set its own logger keeps it.
    globalThis.AI_SDK_LOG_WARNINGS ??= false;
    const result = streamText({
      model: languageModel,
      ...(context.system === undefined ? {} : { system: context.system }),
      messages: context.messages,
      tools: buildToolSet(hooks.tools, hooks, control.signal, { tool, zodSchema }, deps),
      stopWhen: stepCountIs(hooks.maxToolSteps),
      // Retries are ours: they must stop once text has streamed and must honour Retry-After.
      maxRetries: 0,
      abortSignal: control.signal,
      // Failures arrive as `error` parts below; the SDK's default handler would print them, bodies and all.
      onError: () => {},
      ...(hooks.providerOptions === undefined ? {} : { providerOptions: hooks.providerOptions }),
      ...(candidate.entry?.maxTokens === undefined ? {} : { maxOutputTokens: candidate.entry.maxTokens }),
    });
    let stopReason: string | undefined;
    let sawTotal = false;
    for await (const part of result.fullStream) {
      switch (part.type) {
        case "text-delta":
          if (part.text === "") break;
          streamed = true;
          hooks.onText(part.text);
          break;
        case "tool-call":
          calls?.toolCallStreamed();
          streamed = true;
          usage.toolCalls++;
          deps.emit("tool", {
            phase: "start",
            toolCallId: part.toolCallId,
            name: part.toolName,
            args: recordedToolValue(part.input),
          });
          void hooks.append({
            role: "tool",
            text: `call ${part.toolName}`,
            toolCallId: part.toolCallId,
            toolName: part.toolName,
            args: recordedToolValue(part.input),
          });
          break;
        case "tool-result":
          deps.emit("tool", {
            phase: "result",
            toolCallId: part.toolCallId,
            name: part.toolName,
            result: recordedToolValue(part.output),
            isError: false,
          });
          void hooks.append({
            role: "tool",
            text: `result ${part.toolName}`,
            toolCallId: part.toolCallId,
            toolName: part.toolName,
            result: recordedToolValue(part.output),
          });
          break;
        case "tool-error": {
          const message = describeError(part.error);
          deps.emit("tool", {
            phase: "result",
            toolCallId: part.toolCallId,
            name: part.toolName,
            result: message,
            isError: true,
          });
          void hooks.append({
            role: "tool",
            text: `error ${part.toolName}`,
            toolCallId: part.toolCallId,
            toolName: part.toolName,
            result: message,
            isError: true,
          });
          break;
        }
        case "start-step":
          calls?.stepStarted();
          for (const warning of part.warnings) {
            deps.logger.debug("agent model call warning", {
              runId: hooks.runId,
              model: candidate.ref,
              warning,
            });
          }
          break;
        case "finish-step":
          steps++;
          calls?.stepFinished(part.usage, part.finishReason, failure);
          if (!sawTotal) {
            usage.inputTokens += part.usage.inputTokens ?? 0;
            usage.outputTokens += part.usage.outputTokens ?? 0;
          }
          stopReason = part.finishReason;
          break;
        case "finish":
          sawTotal = true;
          usage.inputTokens = part.totalUsage.inputTokens ?? usage.inputTokens;
          usage.outputTokens = part.totalUsage.outputTokens ?? usage.outputTokens;
          stopReason = part.finishReason;
          break;
        case "error":
          failure ??= part.error;
          break;
        case "abort":
          calls?.stepFailed("aborted");
          return { kind: "aborted", usage };
        default:
          break;
      }
    }
    if (control.signal.aborted) {
      calls?.stepFailed("aborted");
      return { kind: "aborted", usage };
    }
    if (failure !== undefined) {
      calls?.stepFailed("error", failure);
      return { kind: "failed", error: failure, streamed, usage };
    }
    // The SDK stops at the step limit even when the model's last step asked for more tools.
    return {
      kind: "ok",
      stopReason,
      usage,
      stepLimitHit: stopReason === "tool-calls" && steps >= hooks.maxToolSteps,
    };
  } catch (error) {
    if (control.signal.aborted) {
      calls?.stepFailed("aborted");
      return { kind: "aborted", usage };
    }
    calls?.stepFailed("error", error);
    return { kind: "failed", error, streamed, usage };
  }
}
