import type { IncomingMessage, ServerResponse } from "node:http";
import type { TranscriptEntry } from "@openclaw/agent";
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

const ChatCompletionRequestSchema = z.looseObject({
  model: z.string().min(1),
  messages: z
    .array(z.looseObject({ role: z.string(), content: z.unknown().optional() }))
    .min(1, "messages must contain at least one message"),
  stream: z.boolean().optional(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
  user: z.string().optional(),
});

function invalid(error: z.ZodError): OpenAiHttpError {
  const issue = error.issues[0];
  const param = issue?.path.map(String).join(".") || undefined;
  return new OpenAiHttpError(400, issue ? `${param ?? "body"}: ${issue.message}` : "invalid request body", {
    param,
  });
}

/** `POST /v1/chat/completions`: OpenAI's Chat Completions shape, streamed as SSE chunks ending `[DONE]`. */
export async function handleChatCompletions(
  request: IncomingMessage,
  response: ServerResponse,
  runtime: GatewayRuntime,
  maxBodyBytes: number,
): Promise<void> {
  const parsed = ChatCompletionRequestSchema.safeParse(await readJsonBody(request, maxBodyBytes));
  if (!parsed.success) throw invalid(parsed.error);
  const body = parsed.data;
  const target = resolveOpenAiTarget(runtime, body.model, request);
  const sessionKey = resolveOpenAiSessionKey(target.agentId, body.user, request);

  const system = body.messages
    .filter((message) => message.role === "system" || message.role === "developer")
    .map((message) => contentText(message.content))
    .join("\n\n");
  const conversation = body.messages.filter(
    (message) => message.role !== "system" && message.role !== "developer",
  );
  const lastUserIndex = conversation.map((message) => message.role).lastIndexOf("user");
  if (lastUserIndex === -1)
    throw new OpenAiHttpError(400, "messages must contain a user message", { param: "messages" });
  const lastUser = conversation[lastUserIndex];
  const userIndex = body.messages.indexOf(lastUser as (typeof body.messages)[number]);
  const content = openAiUserContent(lastUser?.content, `messages[${userIndex}]`, "messages");
  const attachments = await intakeOpenAiMedia(content.media, {
    policy: resolveOpenAiMediaPolicy(runtime.configState.config, "chatCompletions"),
    endpoint: "chatCompletions",
    media: controlPlaneMedia(runtime),
    param: "messages",
  });
  const message = foldAttachmentText(content.text, attachments);
  const now = Date.now();
  const history: TranscriptEntry[] = conversation.slice(0, lastUserIndex).map((entry) => ({
    role: entry.role === "assistant" ? "assistant" : entry.role === "tool" ? "tool" : "user",
    text: contentText(entry.content),
    ts: now,
  }));

  const id = `chatcmpl-${crypto.randomUUID().replaceAll("-", "")}`;
  const created = Math.floor(now / 1000);
  const turn = {
    target,
    sessionKey,
    message,
    attachments,
    history,
    ...(system ? { systemPrompt: system } : {}),

    trace: acceptTraceparent(request, response),
  };

  if (!body.stream) {
    const result = await runOpenAiTurn(runtime, turn, response);
    if (result.status !== "ok") throw runFailure(result);
    sendOpenAiJson(response, 200, {
      id,
      object: "chat.completion",
      created,
      model: body.model,
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: result.text, refusal: null },
          logprobs: null,
          finish_reason: "stop",
        },
      ],
      usage: {
        prompt_tokens: result.usage.inputTokens,
        completion_tokens: result.usage.outputTokens,
        total_tokens: result.usage.totalTokens,
      },
    });
    return;
  }

  const stream = startEventStream(response);
  const chunk = (delta: Record<string, unknown>, finishReason: string | null) => ({
    id,
    object: "chat.completion.chunk",
    created,
    model: body.model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  });
  stream.send(chunk({ role: "assistant", content: "" }, null));
  const result = await runOpenAiTurn(runtime, turn, response, (delta) =>
    stream.send(chunk({ content: delta }, null)),
  );
  if (result.status === "ok") {
    stream.send(chunk({}, "stop"));
    if (body.stream_options?.include_usage) {
      stream.send({
        id,
        object: "chat.completion.chunk",
        created,
        model: body.model,
        choices: [],
        usage: {
          prompt_tokens: result.usage.inputTokens,
          completion_tokens: result.usage.outputTokens,
          total_tokens: result.usage.totalTokens,
        },
      });
    }
  } else if (result.status === "error") {
    stream.send(runFailure(result).toJSON());
  }
  stream.send("[DONE]");
  stream.end();
}
