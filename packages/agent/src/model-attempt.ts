import type { ModelMessage, ToolSet } from "ai";
import type { RunControl, RunDependencies } from "./agent-run.js";
import type { ModelCandidate, ResolvedProvider } from "./provider-catalog.js";
import type { ToolRegistry, TranscriptEntry } from "./types.js";

export const MAX_TOOL_STEPS = 8;

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === "string" ? error : "unknown provider error";
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
}

export type AttemptOutcome =
  | { kind: "ok"; stopReason: string | undefined; usage: Usage }
  | { kind: "aborted"; usage: Usage }
  | { kind: "failed"; error: unknown; streamed: boolean; usage: Usage };

export interface AttemptHooks {
  runId: string;
  sessionKey: string;
  onText: (delta: string) => void;
  append: (entry: Omit<TranscriptEntry, "ts" | "runId">) => Promise<void>;
}

function buildToolSet(
  registry: ToolRegistry,
  hooks: AttemptHooks,
  signal: AbortSignal,
  tool: typeof import("ai").tool,
): ToolSet | undefined {
  const tools = registry.list();
  if (tools.length === 0) return undefined;
  const set: ToolSet = {};
  for (const agentTool of tools) {
    set[agentTool.name] = tool({
      description: agentTool.description,
      inputSchema: agentTool.parameters,
      execute: (args: unknown, options) =>
        agentTool.execute(args, {
          sessionKey: hooks.sessionKey,
          runId: hooks.runId,
          signal: options.abortSignal ?? signal,
        }),
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
  const usage: Usage = { inputTokens: 0, outputTokens: 0 };
  let streamed = false;
  try {
    const [{ streamText, stepCountIs, tool }, languageModel] = await Promise.all([
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
      tools: buildToolSet(deps.tools, hooks, control.signal, tool),
      stopWhen: stepCountIs(MAX_TOOL_STEPS),
      // Retries are ours: they must stop once text has streamed and must honour Retry-After.
      maxRetries: 0,
      abortSignal: control.signal,
      // Failures arrive as `error` parts below; the SDK's default handler would print them, bodies and all.
      onError: () => {},
      ...(candidate.entry?.maxTokens === undefined ? {} : { maxOutputTokens: candidate.entry.maxTokens }),
    });
    let stopReason: string | undefined;
    let failure: unknown;
    let sawTotal = false;
    for await (const part of result.fullStream) {
      switch (part.type) {
        case "text-delta":
          if (part.text === "") break;
          streamed = true;
          hooks.onText(part.text);
          break;
        case "tool-call":
          streamed = true;
          deps.emit("tool", {
            phase: "call",
            toolCallId: part.toolCallId,
            name: part.toolName,
            args: part.input,
          });
          await hooks.append({
            role: "tool",
            text: `call ${part.toolName}`,
            toolCallId: part.toolCallId,
            toolName: part.toolName,
            args: part.input,
          });
          break;
        case "tool-result":
          deps.emit("tool", {
            phase: "result",
            toolCallId: part.toolCallId,
            name: part.toolName,
            result: part.output,
          });
          await hooks.append({
            role: "tool",
            text: `result ${part.toolName}`,
            toolCallId: part.toolCallId,
            toolName: part.toolName,
            result: part.output,
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
          await hooks.append({
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
          for (const warning of part.warnings) {
            deps.logger.debug("agent model call warning", {
              runId: hooks.runId,
              model: candidate.ref,
              warning,
            });
          }
          break;
        case "finish-step":
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
          return { kind: "aborted", usage };
        default:
          break;
      }
    }
    if (control.signal.aborted) return { kind: "aborted", usage };
    if (failure !== undefined) return { kind: "failed", error: failure, streamed, usage };
    return { kind: "ok", stopReason, usage };
  } catch (error) {
    if (control.signal.aborted) return { kind: "aborted", usage };
    return { kind: "failed", error, streamed, usage };
  }
}
