import type { ResolvedReply } from "./fake-reply.js";
import { splitArguments } from "./fake-reply.js";
import { randomId } from "./random-id.js";
import { eventFrame, type StreamPlan } from "./server-sent-events.js";

export interface MessagesContext {
  model: string;
}

type ContentBlock =
  | { type: "text"; text: string }
  | { type: "tool_use"; id: string; name: string; input: Record<string, unknown>; inputJson: string };

function contentBlocks(reply: ResolvedReply): ContentBlock[] {
  const blocks: ContentBlock[] = [];
  if (reply.text.length > 0 || reply.toolCalls.length === 0) blocks.push({ type: "text", text: reply.text });
  for (const call of reply.toolCalls) {
    blocks.push({
      type: "tool_use",
      id: call.id ?? randomId("toolu_"),
      name: call.name,
      input: JSON.parse(call.argumentsJson),
      inputJson: call.argumentsJson,
    });
  }
  return blocks;
}

function wireBlock(block: ContentBlock) {
  return block.type === "text"
    ? block
    : { type: "tool_use", id: block.id, name: block.name, input: block.input };
}

function stopReason(reply: ResolvedReply): string {
  return reply.toolCalls.length > 0 ? "tool_use" : "end_turn";
}

function usageOf(inputTokens: number, outputTokens: number) {
  return {
    input_tokens: inputTokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    output_tokens: outputTokens,
    service_tier: "standard",
  };
}

export function messageJson(reply: ResolvedReply, context: MessagesContext): unknown {
  return {
    id: randomId("msg_"),
    type: "message",
    role: "assistant",
    model: context.model,
    content: contentBlocks(reply).map(wireBlock),
    stop_reason: stopReason(reply),
    stop_sequence: null,
    usage: usageOf(reply.usage.inputTokens, reply.usage.outputTokens),
  };
}

export function messageStream(reply: ResolvedReply, context: MessagesContext): StreamPlan {
  const frame = (type: string, fields: object = {}) => eventFrame(type, { type, ...fields });
  const content = [
    frame("message_start", {
      message: {
        id: randomId("msg_"),
        type: "message",
        role: "assistant",
        model: context.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        // The real API reports the full input count up front and a provisional output count of 1.
        usage: usageOf(reply.usage.inputTokens, 1),
      },
    }),
  ];
  contentBlocks(reply).forEach((block, index) => {
    if (block.type === "text") {
      content.push(frame("content_block_start", { index, content_block: { type: "text", text: "" } }));
      if (index === 0) content.push(frame("ping"));
      for (const text of reply.chunks) {
        content.push(frame("content_block_delta", { index, delta: { type: "text_delta", text } }));
      }
    } else {
      content.push(
        frame("content_block_start", {
          index,
          content_block: { type: "tool_use", id: block.id, name: block.name, input: {} },
        }),
      );
      if (index === 0) content.push(frame("ping"));
      for (const partial_json of ["", ...splitArguments(block.inputJson)]) {
        content.push(
          frame("content_block_delta", { index, delta: { type: "input_json_delta", partial_json } }),
        );
      }
    }
    content.push(frame("content_block_stop", { index }));
  });
  const ending = [
    frame("message_delta", {
      delta: { stop_reason: stopReason(reply), stop_sequence: null },
      usage: { output_tokens: reply.usage.outputTokens },
    }),
    frame("message_stop"),
  ];
  return { content, ending };
}
