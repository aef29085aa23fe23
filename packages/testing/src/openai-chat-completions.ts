import type { ResolvedReply } from "./fake-reply.js";
import { splitArguments } from "./fake-reply.js";
import { randomId } from "./random-id.js";
import { dataFrame, type StreamPlan } from "./server-sent-events.js";

export interface ChatCompletionContext {
  model: string;
  includeUsage: boolean;
}

const SYSTEM_FINGERPRINT = "fp_openclaw_fake";

function finishReason(reply: ResolvedReply): string {
  return reply.toolCalls.length > 0 ? "tool_calls" : "stop";
}

function usageOf(reply: ResolvedReply) {
  return {
    prompt_tokens: reply.usage.inputTokens,
    completion_tokens: reply.usage.outputTokens,
    total_tokens: reply.usage.inputTokens + reply.usage.outputTokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

function toolCallIds(reply: ResolvedReply): string[] {
  return reply.toolCalls.map((call) => call.id ?? randomId("call_"));
}

export function chatCompletionJson(reply: ResolvedReply, context: ChatCompletionContext): unknown {
  const ids = toolCallIds(reply);
  const hasText = reply.text.length > 0 || reply.toolCalls.length === 0;
  return {
    id: randomId("chatcmpl-"),
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: context.model,
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          content: hasText ? reply.text : null,
          refusal: null,
          annotations: [],
          ...(reply.toolCalls.length > 0 && {
            tool_calls: reply.toolCalls.map((call, i) => ({
              id: ids[i],
              type: "function",
              function: { name: call.name, arguments: call.argumentsJson },
            })),
          }),
        },
        logprobs: null,
        finish_reason: finishReason(reply),
      },
    ],
    usage: usageOf(reply),
    service_tier: "default",
    system_fingerprint: SYSTEM_FINGERPRINT,
  };
}

export function chatCompletionStream(reply: ResolvedReply, context: ChatCompletionContext): StreamPlan {
  const id = randomId("chatcmpl-");
  const created = Math.floor(Date.now() / 1000);
  // With include_usage every chunk carries `usage: null` and one extra chunk with empty choices carries the totals.
  const chunk = (delta: object, finish: string | null = null) => ({
    id,
    object: "chat.completion.chunk",
    created,
    model: context.model,
    service_tier: "default",
    system_fingerprint: SYSTEM_FINGERPRINT,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...(context.includeUsage && { usage: null }),
  });
  const hasText = reply.text.length > 0 || reply.toolCalls.length === 0;
  const content: string[] = [];
  if (hasText) {
    content.push(dataFrame(chunk({ role: "assistant", content: "", refusal: null })));
    for (const piece of reply.chunks) content.push(dataFrame(chunk({ content: piece })));
  }
  const ids = toolCallIds(reply);
  reply.toolCalls.forEach((call, index) => {
    const tool_calls = [
      { index, id: ids[index], type: "function", function: { name: call.name, arguments: "" } },
    ];
    // Without text the real API announces the assistant role in the same chunk as the first tool call.
    const opening =
      index === 0 && !hasText
        ? { role: "assistant", content: null, tool_calls, refusal: null }
        : { tool_calls };
    content.push(dataFrame(chunk(opening)));
    for (const piece of splitArguments(call.argumentsJson)) {
      content.push(dataFrame(chunk({ tool_calls: [{ index, function: { arguments: piece } }] })));
    }
  });
  const ending = [dataFrame(chunk({}, finishReason(reply)))];
  if (context.includeUsage) {
    ending.push(
      dataFrame({
        id,
        object: "chat.completion.chunk",
        created,
        model: context.model,
        service_tier: "default",
        system_fingerprint: SYSTEM_FINGERPRINT,
        choices: [],
        usage: usageOf(reply),
      }),
    );
  }
  ending.push(dataFrame("[DONE]"));
  return { content, ending };
}
