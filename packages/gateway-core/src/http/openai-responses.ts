import type { IncomingMessage, ServerResponse } from "node:http";
import type { AgentRunResult, TranscriptEntry } from "@openclaw/agent";
import { z } from "zod";
import { foldAttachmentText } from "../chat/attachment-intake.js";
import { controlPlaneMedia } from "../methods/chat-methods.js";
import type { GatewayRuntime } from "../runtime/gateway-runtime.js";
import { OpenAiHttpError, readJsonBody, sendOpenAiJson, startEventStream } from "./openai-http-support.js";
import { intakeOpenAiMedia, resolveOpenAiMediaPolicy } from "./openai-media-input.js";
import { openAiUserContent } from "./openai-media-parts.js";
import {
  contentText,
  resolveOpenAiSessionKey,
  resolveOpenAiTarget,
  runFailure,
  runOpenAiTurn,
} from "./openai-turn.js";
import { acceptTraceparent } from "./trace-header.js";

const InputItemSchema = z.looseObject({
  type: z.string().optional(),
  role: z.string().optional(),
  content: z.unknown().optional(),
  output: z.unknown().optional(),
});

const ResponsesRequestSchema = z.looseObject({
  model: z.string().min(1),
  input: z.union([z.string(), z.array(InputItemSchema).min(1)]),
  instructions: z.string().nullish(),
  stream: z.boolean().optional(),
  user: z.string().optional(),
});

function usageOf(result: AgentRunResult) {
  return {
    input_tokens: result.usage.inputTokens,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: result.usage.outputTokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: result.usage.totalTokens,
  };
}

/** `POST /v1/responses`: the OpenResponses shape, with its typed SSE events when streaming. */
export async function handleResponses(
  request: IncomingMessage,
  response: ServerResponse,
  runtime: GatewayRuntime,
  maxBodyBytes: number,
): Promise<void> {
  const parsed = ResponsesRequestSchema.safeParse(await readJsonBody(request, maxBodyBytes));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const param = issue?.path.map(String).join(".") || undefined;
    throw new OpenAiHttpError(400, issue ? `${param ?? "body"}: ${issue.message}` : "invalid request body", {
      param,
    });
  }
  const body = parsed.data;
  const target = resolveOpenAiTarget(runtime, body.model, request);
  const sessionKey = resolveOpenAiSessionKey(target.agentId, body.user, request);

  const items =
    typeof body.input === "string" ? [{ type: "message", role: "user", content: body.input }] : body.input;
  const now = Date.now();
  const systemParts = body.instructions ? [body.instructions] : [];
  const turns: TranscriptEntry[] = [];
  let lastUserItem = -1;
  for (const [index, item] of items.entries()) {
    if (item.role === "system" || item.role === "developer") {
      systemParts.push(contentText(item.content));
    } else if (item.type === "function_call_output") {
      turns.push({ role: "tool", text: contentText(item.output), ts: now });
    } else if (item.role === "user" || item.role === "assistant") {
      if (item.role === "user") lastUserItem = index;
      turns.push({ role: item.role, text: contentText(item.content), ts: now });
    }
  }
  const lastUser = turns.map((turn) => turn.role).lastIndexOf("user");
  if (lastUser === -1)
    throw new OpenAiHttpError(400, "input must contain a user message", { param: "input" });
  const content = openAiUserContent(items[lastUserItem]?.content, `input[${lastUserItem}]`, "input");
  const attachments = await intakeOpenAiMedia(content.media, {
    policy: resolveOpenAiMediaPolicy(runtime.configState.config, "responses"),
    endpoint: "responses",
    media: controlPlaneMedia(runtime),
    param: "input",
  });
  const message = foldAttachmentText(content.text, attachments);
  const turn = {
    target,
    sessionKey,
    message,
    attachments,
    history: turns.slice(0, lastUser),
    ...(systemParts.length > 0 ? { systemPrompt: systemParts.join("\n\n") } : {}),

    trace: acceptTraceparent(request, response),
  };

  const id = `resp_${crypto.randomUUID().replaceAll("-", "")}`;
  const messageId = `msg_${crypto.randomUUID().replaceAll("-", "")}`;
  const createdAt = Math.floor(now / 1000);
  const base = {
    id,
    object: "response",
    created_at: createdAt,
    model: body.model,
    instructions: body.instructions ?? null,
    error: null,
    incomplete_details: null,
    metadata: {},
    parallel_tool_calls: true,
    tool_choice: "auto",
    tools: [],
    temperature: null,
    top_p: null,
    user: body.user ?? null,
  };
  const outputMessage = (text: string, status: string) => ({
    type: "message",
    id: messageId,
    status,
    role: "assistant",
    content: [{ type: "output_text", text, annotations: [] }],
  });

  if (!body.stream) {
    const result = await runOpenAiTurn(runtime, turn, response);
    if (result.status !== "ok") throw runFailure(result);
    sendOpenAiJson(response, 200, {
      ...base,
      status: "completed",
      output: [outputMessage(result.text, "completed")],
      output_text: result.text,
      usage: usageOf(result),
    });
    return;
  }

  const stream = startEventStream(response);
  let sequence = 0;
  const emit = (type: string, data: Record<string, unknown>) => {
    stream.send({ type, sequence_number: sequence++, ...data }, type);
  };
  const inProgress = { ...base, status: "in_progress", output: [], usage: null };
  emit("response.created", { response: inProgress });
  emit("response.in_progress", { response: inProgress });
  emit("response.output_item.added", {
    output_index: 0,
    item: { type: "message", id: messageId, status: "in_progress", role: "assistant", content: [] },
  });
  emit("response.content_part.added", {
    item_id: messageId,
    output_index: 0,
    content_index: 0,
    part: { type: "output_text", text: "", annotations: [] },
  });
  const result = await runOpenAiTurn(runtime, turn, response, (delta) =>
    emit("response.output_text.delta", {
      item_id: messageId,
      output_index: 0,
      content_index: 0,
      delta,
      logprobs: [],
    }),
  );
  if (result.status !== "ok") {
    const failure = runFailure(result);
    emit("response.failed", {
      response: {
        ...base,
        status: "failed",
        output: [],
        usage: null,
        error: { code: failure.code, message: failure.message },
      },
    });
    stream.end();
    return;
  }
  emit("response.output_text.done", {
    item_id: messageId,
    output_index: 0,
    content_index: 0,
    text: result.text,
    logprobs: [],
  });
  emit("response.content_part.done", {
    item_id: messageId,
    output_index: 0,
    content_index: 0,
    part: { type: "output_text", text: result.text, annotations: [] },
  });
  emit("response.output_item.done", { output_index: 0, item: outputMessage(result.text, "completed") });
  emit("response.completed", {
    response: {
      ...base,
      status: "completed",
      output: [outputMessage(result.text, "completed")],
      usage: usageOf(result),
    },
  });
  stream.end();
}
