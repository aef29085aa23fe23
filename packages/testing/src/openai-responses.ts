import type { ResolvedReply } from "./fake-reply.js";
import { splitArguments } from "./fake-reply.js";
import { randomId } from "./random-id.js";
import { eventFrame, type StreamPlan } from "./server-sent-events.js";

export interface ResponsesContext {
  model: string;
  body: Record<string, unknown>;
}

type OutputItem = Record<string, unknown> & { type: string; id: string };

function usageOf(reply: ResolvedReply) {
  return {
    input_tokens: reply.usage.inputTokens,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: reply.usage.outputTokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: reply.usage.inputTokens + reply.usage.outputTokens,
  };
}

function outputItems(reply: ResolvedReply): OutputItem[] {
  const items: OutputItem[] = [];
  if (reply.text.length > 0 || reply.toolCalls.length === 0) {
    items.push({
      id: randomId("msg_"),
      type: "message",
      status: "completed",
      role: "assistant",
      content: [{ type: "output_text", text: reply.text, annotations: [], logprobs: [] }],
    });
  }
  for (const call of reply.toolCalls) {
    items.push({
      id: randomId("fc_"),
      type: "function_call",
      status: "completed",
      arguments: call.argumentsJson,
      call_id: call.id ?? randomId("call_"),
      name: call.name,
    });
  }
  return items;
}

/** The response object's echo of the request settings, as the real API returns it. */
function responseObject(
  id: string,
  createdAt: number,
  context: ResponsesContext,
  status: "in_progress" | "completed",
  output: OutputItem[],
  usage: ReturnType<typeof usageOf> | null,
) {
  const body = context.body;
  return {
    id,
    object: "response",
    created_at: createdAt,
    status,
    background: false,
    error: null,
    incomplete_details: null,
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    model: context.model,
    output,
    parallel_tool_calls: body.parallel_tool_calls ?? true,
    previous_response_id: body.previous_response_id ?? null,
    reasoning: { effort: null, summary: null },
    service_tier: "default",
    store: body.store ?? true,
    temperature: body.temperature ?? 1,
    text: { format: { type: "text" } },
    tool_choice: body.tool_choice ?? "auto",
    tools: Array.isArray(body.tools) ? body.tools : [],
    top_p: body.top_p ?? 1,
    truncation: "disabled",
    usage,
    user: null,
    metadata: body.metadata ?? {},
  };
}

export function responsesJson(reply: ResolvedReply, context: ResponsesContext): unknown {
  const createdAt = Math.floor(Date.now() / 1000);
  return responseObject(
    randomId("resp_"),
    createdAt,
    context,
    "completed",
    outputItems(reply),
    usageOf(reply),
  );
}

export function responsesStream(reply: ResolvedReply, context: ResponsesContext): StreamPlan {
  const id = randomId("resp_");
  const createdAt = Math.floor(Date.now() / 1000);
  let sequence = 0;
  const frame = (type: string, fields: object) =>
    eventFrame(type, { type, sequence_number: sequence++, ...fields });
  const items = outputItems(reply);
  const content = [
    frame("response.created", { response: responseObject(id, createdAt, context, "in_progress", [], null) }),
    frame("response.in_progress", {
      response: responseObject(id, createdAt, context, "in_progress", [], null),
    }),
  ];
  items.forEach((item, outputIndex) => {
    const at = { item_id: item.id, output_index: outputIndex };
    if (item.type === "message") {
      const part = { type: "output_text", annotations: [], logprobs: [], text: "" };
      content.push(
        frame("response.output_item.added", {
          output_index: outputIndex,
          item: { ...item, status: "in_progress", content: [] },
        }),
        frame("response.content_part.added", { ...at, content_index: 0, part }),
        ...reply.chunks.map((delta) =>
          frame("response.output_text.delta", { ...at, content_index: 0, delta, logprobs: [] }),
        ),
        frame("response.output_text.done", { ...at, content_index: 0, text: reply.text, logprobs: [] }),
        frame("response.content_part.done", { ...at, content_index: 0, part: { ...part, text: reply.text } }),
        frame("response.output_item.done", { output_index: outputIndex, item }),
      );
      return;
    }
    content.push(
      frame("response.output_item.added", {
        output_index: outputIndex,
        item: { ...item, status: "in_progress", arguments: "" },
      }),
      ...splitArguments(item.arguments as string).map((delta) =>
        frame("response.function_call_arguments.delta", { ...at, delta }),
      ),
      frame("response.function_call_arguments.done", { ...at, arguments: item.arguments }),
      frame("response.output_item.done", { output_index: outputIndex, item }),
    );
  });
  const ending = [
    frame("response.completed", {
      response: responseObject(id, createdAt, context, "completed", items, usageOf(reply)),
    }),
  ];
  return { content, ending };
}
